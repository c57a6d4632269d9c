import type { ResolvedKey } from '@tollgate/contracts';
import { DescriptorKind, EntityRef, keyModelId, memberId } from './layout';
import { dollarsToPico } from './money';

/**
 * A limit as the script receives it: a number (the entity's own limit), `null` (no limit) or a
 * tier field (`{ tier: 'rpm' }`): the key's null values fall back to its rate-limit tier, read from
 * Redis inside the script so `/budget/update` applies on the very next request.
 */
export type TierLimitField = 'rpm' | 'tpm' | 'par' | 'max' | 'm_rpm' | 'm_tpm' | 'm_budget';
export type LimitSpec = number | null | { tier: TierLimitField };

/** One rate-limit descriptor (LiteLLM v3): its own window and parallel-slot set. */
export interface RateDescriptor {
  kind: DescriptorKind;
  /** shown in the 429 message: the key hash, user id, team id, `team:user`, `hash:model` */
  value: string;
  rpm: LimitSpec;
  tpm: LimitSpec;
  maxParallel: LimitSpec;
}

export type BudgetScope = 'key' | 'user' | 'team' | 'team_member' | 'key_model';

/** One max-budget check against a spend counter written by the budget service. */
export interface BudgetCheck {
  scope: BudgetScope;
  entity: EntityRef;
  /** dollars; null = no limit (the counter is still read, e.g. for x-litellm-key-spend) */
  maxBudget: number | { tier: 'max' | 'm_budget' } | null;
  /** LiteLLM refuses a team only when spend > max (strict); every other entity at spend >= max */
  strict: boolean;
}

export interface AdmissionRequest {
  /** the call id (x-litellm-call-id): names the parallel slot this request holds */
  callId: string;
  model: string;
  keyHash: string | null;
  keyAlias: string | null;
  userId: string | null;
  teamId: string | null;
  /** the key's rate-limit tier, read from Redis by the script */
  budgetId: string | null;
  descriptors: RateDescriptor[];
  budgets: BudgetCheck[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);

/** The key's `model_max_budget[model]`, reading both LiteLLM spellings (budget_limit / max_budget). */
export function modelBudgetEntry(mmb: Record<string, unknown> | null | undefined, model: string): {
  budget: number | null;
  duration: string | null;
  rpm: number | null;
  tpm: number | null;
} | null {
  const e = mmb?.[model];
  if (typeof e !== 'object' || e === null) return null;
  const r = e as Record<string, unknown>;
  const duration = typeof r.time_period === 'string' ? r.time_period : typeof r.budget_duration === 'string' ? r.budget_duration : null;
  return { budget: num(r.budget_limit) ?? num(r.max_budget), duration, rpm: num(r.rpm_limit), tpm: num(r.tpm_limit) };
}

function spec(own: number | null | undefined, fallback: TierLimitField | null): LimitSpec {
  if (own !== null && own !== undefined) return own;
  return fallback ? { tier: fallback } : null;
}

const hasLimit = (d: RateDescriptor): boolean => d.rpm !== null || d.tpm !== null || d.maxParallel !== null;

/**
 * What the gateway passes to `Admission.admit` for a resolved key and the requested (public) model.
 * Pure: everything comes from the key the gateway already holds; the tier's values are left to the
 * script. Key values win, tier values are the fallback (LiteLLM's combined key view).
 */
export function admissionRequestFor(key: ResolvedKey, model: string, callId: string): AdmissionRequest {
  const tier = key.budget_id !== null && key.budget_id !== '';
  const keyModel = modelBudgetEntry(key.model_max_budget, model);
  const descriptors: RateDescriptor[] = [
    {
      kind: 'api_key',
      value: key.token,
      rpm: spec(key.rpm_limit, tier ? 'rpm' : null),
      tpm: spec(key.tpm_limit, tier ? 'tpm' : null),
      maxParallel: spec(key.max_parallel_requests, tier ? 'par' : null),
    },
  ];
  if (key.user) {
    descriptors.push({ kind: 'user', value: key.user.user_id, rpm: key.user.rpm_limit, tpm: key.user.tpm_limit, maxParallel: key.user.max_parallel_requests });
  }
  if (key.team) {
    descriptors.push({ kind: 'team', value: key.team.team_id, rpm: key.team.rpm_limit, tpm: key.team.tpm_limit, maxParallel: key.team.max_parallel_requests });
  }
  if (key.team && key.team_member) {
    descriptors.push({
      kind: 'team_member',
      value: `${key.team.team_id}:${key.team_member.user_id}`,
      rpm: key.team_member.rpm_limit,
      tpm: key.team_member.tpm_limit,
      maxParallel: null,
    });
  }
  descriptors.push({
    kind: 'model_per_key',
    value: `${key.token}:${model}`,
    rpm: spec(key.model_rpm_limit?.[model] ?? keyModel?.rpm ?? key.team?.model_rpm_limit?.[model], tier ? 'm_rpm' : null),
    tpm: spec(key.model_tpm_limit?.[model] ?? keyModel?.tpm ?? key.team?.model_tpm_limit?.[model], tier ? 'm_tpm' : null),
    maxParallel: null,
  });

  const budgets: BudgetCheck[] = [
    { scope: 'key', entity: { type: 'key', id: key.token }, maxBudget: key.max_budget ?? (tier ? { tier: 'max' } : null), strict: false },
  ];
  if (key.user_id) {
    // LiteLLM checks the user's personal budget only for keys outside a team
    const max = key.team_id === null && key.user ? key.user.max_budget : null;
    budgets.push({ scope: 'user', entity: { type: 'user', id: key.user_id }, maxBudget: max, strict: false });
  }
  if (key.team_id) {
    budgets.push({ scope: 'team', entity: { type: 'team', id: key.team_id }, maxBudget: key.team?.max_budget ?? null, strict: true });
  }
  if (key.team_id && key.user_id && key.team_member && key.team_member.max_budget !== null) {
    budgets.push({
      scope: 'team_member',
      entity: { type: 'member', id: memberId(key.team_id, key.user_id) },
      maxBudget: key.team_member.max_budget,
      strict: false,
    });
  }
  const keyModelMax = keyModel?.budget ?? null;
  if (keyModelMax !== null || tier) {
    budgets.push({
      scope: 'key_model',
      entity: { type: 'keymodel', id: keyModelId(key.token, model) },
      maxBudget: keyModelMax ?? { tier: 'm_budget' },
      strict: false,
    });
  }
  return {
    callId,
    model,
    keyHash: key.token,
    keyAlias: key.key_alias,
    userId: key.user_id,
    teamId: key.team_id,
    budgetId: tier ? key.budget_id : null,
    descriptors: descriptors.filter(hasLimit),
    budgets,
  };
}

/** A limit spec as one script argument: `''` none, `@field` tier fallback, else the number. */
export function encodeLimit(s: LimitSpec): string {
  if (s === null) return '';
  if (typeof s === 'number') return String(Math.floor(s));
  return `@${s.tier}`;
}

/** A max budget as one script argument: pico-dollars as an integer string, `''` or `@field`. */
export function encodeBudget(b: BudgetCheck['maxBudget']): string {
  if (b === null) return '';
  if (typeof b === 'number') {
    const p = dollarsToPico(b);
    return (p < 0n ? 0n : p).toString();
  }
  return `@${b.tier}`;
}
