import type { BudgetRow, ResolvedKey, StandardLoggingPayload } from '@tollgate/contracts';
import { dollarsToPico, EntityType, keyModelId, memberId, modelBudgetEntry, nextResetAt, parseDuration } from '@tollgate/limits';

/** When an entity's spend goes back to 0; `unknown` leaves what Postgres has (the key could not be resolved). */
export type Schedule = { duration: string | null; resetAt: Date | null } | 'unknown';

/** One entity a usage event's cost is added to. */
export interface Charge {
  type: EntityType;
  id: string;
  schedule: Schedule;
  /** the key's soft budget (its tier's), pico-dollars: crossing it raises one alert per period */
  softBudgetPico: bigint | null;
  budgetId: string | null;
}

export interface ChargedEvent {
  requestId: string;
  costPico: bigint;
  charges: Charge[];
}

function schedule(duration: string | null | undefined, resetAt: string | null | undefined, now: Date): Schedule {
  const d = parseDuration(duration);
  if (!d) return { duration: null, resetAt: null };
  const given = resetAt ? new Date(resetAt) : null;
  const at = given && !Number.isNaN(given.getTime()) && given.getTime() > now.getTime() ? given : nextResetAt(d, now);
  return { duration: duration ?? null, resetAt: at };
}

/**
 * Which entities one successful call is charged to (LiteLLM's update_database: key, user, team,
 * team membership; plus the key's tier and the key+model pair that model_max_budget limits).
 * `key` is the key as the keys service resolves it now, or null when it could not be asked: then
 * ids come from the event and schedules are left as they are.
 */
export function attribute(e: StandardLoggingPayload, key: ResolvedKey | null, tiers: ReadonlyMap<string, BudgetRow>, now: Date): ChargedEvent | null {
  if (e.status !== 'success' || !(e.response_cost > 0)) return null;
  const costPico = dollarsToPico(e.response_cost);
  if (costPico <= 0n) return null;
  const m = e.metadata;
  const keyHash = key?.token ?? m.user_api_key_hash ?? null;
  const userId = key ? key.user_id : m.user_api_key_user_id;
  const teamId = key ? key.team_id : m.user_api_key_team_id;
  const tier = key?.budget_id ? tiers.get(key.budget_id) ?? null : null;
  const model = e.model_group ?? e.model;
  const known = key !== null;
  const charges: Charge[] = [];
  const add = (type: EntityType, id: string, s: Schedule, soft: bigint | null = null) =>
    charges.push({ type, id, schedule: known ? s : 'unknown', softBudgetPico: soft, budgetId: tier?.budget_id ?? null });

  if (keyHash) {
    const own = key?.budget_duration ?? null;
    const s = own ? schedule(own, key?.budget_reset_at, now) : schedule(tier?.budget_duration, tier?.budget_reset_at, now);
    const soft = tier?.soft_budget !== null && tier?.soft_budget !== undefined ? dollarsToPico(tier.soft_budget) : null;
    add('key', keyHash, s, soft);
    if (model) {
      const period = modelBudgetEntry(key?.model_max_budget, model)?.duration ?? modelBudgetEntry(tier?.model_max_budget ?? null, model)?.duration ?? null;
      add('keymodel', keyModelId(keyHash, model), schedule(period, null, now));
    }
  }
  if (userId) add('user', userId, schedule(key?.user?.budget_duration, key?.user?.budget_reset_at, now));
  if (teamId) add('team', teamId, schedule(key?.team?.budget_duration, key?.team?.budget_reset_at, now));
  if (teamId && userId) add('member', memberId(teamId, userId), { duration: null, resetAt: null });
  if (tier) add('tier', tier.budget_id, schedule(tier.budget_duration, tier.budget_reset_at, now));
  return { requestId: e.id, costPico, charges };
}
