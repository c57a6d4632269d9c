import { ErrorCode, TollgateError } from '@tollgate/contracts';
import type { DescriptorKind } from './layout';
import { picoToDollars, pyFloat } from './money';
import type { BudgetScope } from './request';

export type RateLimitType = 'requests' | 'tokens' | 'max_parallel_requests';

/** One descriptor's standing after admission (LiteLLM v3's rate-limit status). */
export interface RateLimitStatus {
  kind: DescriptorKind;
  value: string;
  /** null where the descriptor has no such limit */
  requests: { limit: number; remaining: number } | null;
  tokens: { limit: number; remaining: number } | null;
  maxParallel: { limit: number; remaining: number } | null;
  /** when the current rpm/tpm window ends (ms since epoch) */
  resetAtMs: number;
}

/** `2025-01-31 12:00:05 UTC` */
export function formatResetAt(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** LiteLLM v3 limiter's 429 message. */
export function rateLimitMessage(kind: DescriptorKind, value: string, type: RateLimitType, limit: number, remaining: number, resetAtMs: number): string {
  return (
    `Rate limit exceeded for ${kind}: ${value}. Limit type: ${type}. ` +
    `Current limit: ${limit}, Remaining: ${Math.max(0, remaining)}. Limit resets at: ${formatResetAt(resetAtMs)}`
  );
}

export interface BudgetMessageContext {
  scope: BudgetScope;
  spendPico: string;
  maxPico: string;
  keyHash: string | null;
  keyAlias: string | null;
  userId: string | null;
  teamId: string | null;
  model: string;
}

/** LiteLLM's budget-exceeded messages, one variant per entity (reference §4.5). */
export function budgetMessage(c: BudgetMessageContext): string {
  const s = pyFloat(picoToDollars(c.spendPico));
  const b = pyFloat(picoToDollars(c.maxPico));
  switch (c.scope) {
    case 'key':
      return `Budget has been exceeded! Current cost: ${s}, Max budget: ${b}`;
    case 'user':
      return `ExceededBudget: User=${c.userId} over budget. Spend=${s}, Budget=${b}`;
    case 'team':
      return `Budget has been exceeded! Team=${c.teamId} Current cost: ${s}, Max budget: ${b}`;
    case 'team_member':
      return `Budget has been exceeded! User=${c.userId} in Team=${c.teamId} Current cost: ${s}, Max budget: ${b}`;
    case 'key_model':
      return `LiteLLM Virtual Key: ${c.keyHash}, key_alias: ${c.keyAlias}, exceeded budget for model=${c.model}`;
  }
}

export function budgetExceededError(c: BudgetMessageContext): TollgateError {
  return new TollgateError(ErrorCode.BudgetExceeded, budgetMessage(c), { status: 400 });
}

/** the descriptor with the least left of one kind of limit */
function tightest(statuses: RateLimitStatus[], pick: (s: RateLimitStatus) => { limit: number; remaining: number } | null) {
  let best: { limit: number; remaining: number } | null = null;
  for (const s of statuses) {
    const v = pick(s);
    if (v && (best === null || v.remaining < best.remaining)) best = v;
  }
  return best;
}

/**
 * Response headers for an admitted request: OpenAI's `x-ratelimit-{limit,remaining}-{requests,tokens}`
 * (the tightest descriptor), LiteLLM's per-descriptor `x-ratelimit-<descriptor>-{remaining,limit}-<type>`
 * and `x-litellm-key-remaining-{requests,tokens}-<model>` for key+model limits.
 */
export function rateLimitHeaders(statuses: RateLimitStatus[], model: string): Record<string, string> {
  const h: Record<string, string> = {};
  const req = tightest(statuses, (s) => s.requests);
  const tok = tightest(statuses, (s) => s.tokens);
  if (req) {
    h['x-ratelimit-limit-requests'] = String(req.limit);
    h['x-ratelimit-remaining-requests'] = String(req.remaining);
  }
  if (tok) {
    h['x-ratelimit-limit-tokens'] = String(tok.limit);
    h['x-ratelimit-remaining-tokens'] = String(tok.remaining);
  }
  for (const s of statuses) {
    const parts: [RateLimitType, { limit: number; remaining: number } | null][] = [
      ['requests', s.requests],
      ['tokens', s.tokens],
      ['max_parallel_requests', s.maxParallel],
    ];
    for (const [type, v] of parts) {
      if (!v) continue;
      h[`x-ratelimit-${s.kind}-remaining-${type}`] = String(v.remaining);
      h[`x-ratelimit-${s.kind}-limit-${type}`] = String(v.limit);
    }
    if (s.kind === 'model_per_key') {
      if (s.requests) h[`x-litellm-key-remaining-requests-${model}`] = String(s.requests.remaining);
      if (s.tokens) h[`x-litellm-key-remaining-tokens-${model}`] = String(s.tokens.remaining);
    }
  }
  return h;
}

export interface RateRefusal {
  kind: DescriptorKind;
  value: string;
  type: RateLimitType;
  limit: number;
  remaining: number;
  resetAtMs: number;
}

/** The 429: LiteLLM's message, `retry-after` in whole seconds and the refusing descriptor's limits. */
export function rateLimitError(r: RateRefusal, statuses: RateLimitStatus[], nowMs: number): TollgateError {
  const own = statuses.find((s) => s.kind === r.kind && s.value === r.value);
  const headers: Record<string, string> = {};
  // this request took nothing, so its descriptor's other limits are shown as they stand before it
  if (own?.requests) {
    headers['x-ratelimit-limit-requests'] = String(own.requests.limit);
    headers['x-ratelimit-remaining-requests'] = String(Math.min(own.requests.limit, own.requests.remaining + 1));
  }
  if (own?.tokens) {
    headers['x-ratelimit-limit-tokens'] = String(own.tokens.limit);
    headers['x-ratelimit-remaining-tokens'] = String(own.tokens.remaining);
  }
  if (r.type === 'requests') {
    headers['x-ratelimit-limit-requests'] = String(r.limit);
    headers['x-ratelimit-remaining-requests'] = String(r.remaining);
  } else if (r.type === 'tokens') {
    headers['x-ratelimit-limit-tokens'] = String(r.limit);
    headers['x-ratelimit-remaining-tokens'] = String(r.remaining);
  }
  headers['retry-after'] = String(Math.max(1, Math.ceil((r.resetAtMs - nowMs) / 1000)));
  headers['rate_limit_type'] = r.type;
  headers['reset_at'] = formatResetAt(r.resetAtMs);
  return new TollgateError(ErrorCode.RateLimited, rateLimitMessage(r.kind, r.value, r.type, r.limit, r.remaining, r.resetAtMs), {
    status: 429,
    headers,
  });
}
