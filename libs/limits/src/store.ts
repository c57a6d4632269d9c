import type { RedisClient } from './admission';
import { EntityRef, LimitsLayout, TierField } from './layout';
import { dollarsToPico } from './money';
import { modelBudgetEntry } from './request';
import { SET_SPEND_LUA } from './scripts';

/** A rate-limit tier as the budget service stores it (LiteLLM's budget table row). */
export interface TierDefinition {
  budget_id: string;
  max_budget: number | null;
  soft_budget: number | null;
  max_parallel_requests: number | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  budget_duration: string | null;
  model_max_budget: Record<string, unknown>;
}

/** One committed spend total: the projection takes it when `version` is newer than what Redis holds. */
export interface SpendTotal {
  entity: EntityRef;
  /** pico-dollars */
  spend: bigint;
  version: number;
}

/** The fields of a tier's Redis hash (the admission script reads them by name). */
export function tierFields(t: TierDefinition): Record<string, string> {
  const f: Record<string, string> = {};
  const pico = (d: number): string => (dollarsToPico(d) < 0n ? '0' : dollarsToPico(d).toString());
  if (t.max_budget !== null) f[TierField.maxBudget] = pico(t.max_budget);
  if (t.soft_budget !== null) f[TierField.softBudget] = pico(t.soft_budget);
  if (t.rpm_limit !== null) f[TierField.rpm] = String(Math.floor(t.rpm_limit));
  if (t.tpm_limit !== null) f[TierField.tpm] = String(Math.floor(t.tpm_limit));
  if (t.max_parallel_requests !== null) f[TierField.parallel] = String(Math.floor(t.max_parallel_requests));
  if (t.budget_duration !== null) f[TierField.duration] = t.budget_duration;
  for (const model of Object.keys(t.model_max_budget ?? {})) {
    const e = modelBudgetEntry(t.model_max_budget, model);
    if (!e) continue;
    if (e.budget !== null) f[TierField.model(model, 'budget')] = pico(e.budget);
    if (e.rpm !== null) f[TierField.model(model, 'rpm')] = String(Math.floor(e.rpm));
    if (e.tpm !== null) f[TierField.model(model, 'tpm')] = String(Math.floor(e.tpm));
    if (e.duration !== null) f[TierField.model(model, 'dur')] = e.duration;
  }
  // an empty hash is no hash in Redis: keep a marker so a tier with no limits still exists
  f.id = t.budget_id;
  return f;
}

let seq = 0;

/**
 * The budget service's side of the layout: the only writer of tier definitions and spend. The
 * gateway never uses this class.
 */
export class LimitsStore {
  readonly layout: LimitsLayout;
  private readonly setSpendCmd: string;

  constructor(private readonly redis: RedisClient, namespace: string) {
    this.layout = new LimitsLayout(namespace);
    this.setSpendCmd = `tollgateSetSpend${++seq}`;
    redis.defineCommand(this.setSpendCmd, { lua: SET_SPEND_LUA });
  }

  /** Replaces a tier's definition atomically (the next admission sees all of it or none of it). */
  async writeTier(t: TierDefinition): Promise<void> {
    const key = this.layout.tier(t.budget_id);
    await this.redis.multi().del(key).hset(key, tierFields(t)).exec();
  }

  async deleteTier(budgetId: string): Promise<void> {
    await this.redis.del(this.layout.tier(budgetId));
  }

  /** Projects committed totals into Redis; stale versions are ignored. Returns how many changed. */
  async setSpend(totals: SpendTotal[]): Promise<number> {
    let changed = 0;
    for (let i = 0; i < totals.length; i += 500) {
      const chunk = totals.slice(i, i + 500);
      const keys = chunk.map((t) => this.layout.spend(t.entity));
      const args = chunk.flatMap((t) => [t.spend.toString(), String(t.version)]);
      const fn = (this.redis as unknown as Record<string, (n: number, ...a: string[]) => Promise<number>>)[this.setSpendCmd];
      changed += Number(await fn.call(this.redis, keys.length, ...keys, ...args));
    }
    return changed;
  }

  /** Spend (pico) as Redis holds it now; 0 when absent. */
  async readSpend(entity: EntityRef): Promise<bigint> {
    const s = await this.redis.hget(this.layout.spend(entity), 's');
    return s === null ? 0n : BigInt(s);
  }

  /** Marks the projection complete (after a rebuild); its absence means Redis lost state. */
  async markComplete(marker: string): Promise<void> {
    await this.redis.set(this.layout.epoch, marker);
  }

  async isComplete(): Promise<boolean> {
    return (await this.redis.exists(this.layout.epoch)) === 1;
  }
}
