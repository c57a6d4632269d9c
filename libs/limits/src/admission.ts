import type { Cluster, Redis } from 'ioredis';
import type { TollgateError } from '@tollgate/contracts';
import { LimitsLayout, TierField } from './layout';
import { budgetExceededError, RateLimitStatus, RateLimitType, rateLimitError, rateLimitHeaders, RateRefusal } from './messages';
import { picoToDollars } from './money';
import { AdmissionRequest, BudgetScope, encodeBudget, encodeLimit } from './request';
import { ADMIT_LUA, COMPLETE_LUA } from './scripts';

export type RedisClient = Redis | Cluster;

export interface AdmissionOptions {
  /** rpm / tpm window length (LiteLLM's LITELLM_RATE_LIMIT_WINDOW_SIZE); default 60 000 */
  windowMs?: number;
  /** a parallel slot not freed by `complete` (crashed gateway) is reclaimed after this; default 600 000 */
  parallelLeaseMs?: number;
  /** a Redis call slower than this counts as Redis being unreachable; default 1000 */
  timeoutMs?: number;
}

/** What `complete` needs: the windows and parallel sets this request counted in. Serializable. */
export interface AdmissionTicket {
  callId: string;
  windows: string[];
  parallel: string[];
}

/** Current spend (dollars) as the script read it: for `x-litellm-key-spend` and friends. */
export interface SpendSnapshot {
  key: number | null;
  user: number | null;
  team: number | null;
}

export interface Admitted {
  admitted: true;
  ticket: AdmissionTicket;
  statuses: RateLimitStatus[];
  /** rate-limit headers to add to the response */
  headers: Record<string, string>;
  spend: SpendSnapshot;
}

export interface Refused {
  admitted: false;
  reason: 'rate_limited' | 'budget_exceeded';
  /** ready to throw: 429 RateLimited (with retry-after and x-ratelimit-* headers) or 400 BudgetExceeded */
  error: TollgateError;
  statuses: RateLimitStatus[];
  spend: SpendSnapshot;
  rateLimit: RateRefusal | null;
  budget: { scope: BudgetScope; spend: number; maxBudget: number } | null;
}

export type AdmissionResult = Admitted | Refused;

/**
 * Redis could not answer (down, timed out, cluster unavailable): the gateway decides between 503
 * and `general_settings.budget_fail_open`. Anything else thrown by `admit` is a bug.
 */
export class LimitsUnavailableError extends Error {
  readonly code = 'limits_unavailable' as const;
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'LimitsUnavailableError';
  }
}

export function isLimitsUnavailable(e: unknown): e is LimitsUnavailableError {
  return e instanceof LimitsUnavailableError;
}

type ScriptFn = (numKeys: number, ...args: (string | number)[]) => Promise<unknown>;

const RATE_TYPES: Record<number, RateLimitType> = { 1: 'requests', 2: 'tokens', 3: 'max_parallel_requests' };
const UNAVAILABLE_REPLY = /^(LOADING|CLUSTERDOWN|MASTERDOWN|READONLY|TRYAGAIN|BUSY)/;

let commandSeq = 0;

/**
 * The gateway's admission: ONE Redis call per request (EVALSHA of the admission script, NOSCRIPT
 * falls back to EVAL through ioredis' defineCommand), and one more after the reply (`complete`).
 */
export class Admission {
  readonly layout: LimitsLayout;
  private readonly windowMs: number;
  private readonly leaseMs: number;
  private readonly timeoutMs: number;
  private readonly admitCmd: string;
  private readonly completeCmd: string;

  constructor(private readonly redis: RedisClient, namespace: string, opts: AdmissionOptions = {}) {
    this.layout = new LimitsLayout(namespace);
    this.windowMs = opts.windowMs ?? 60_000;
    this.leaseMs = opts.parallelLeaseMs ?? 600_000;
    this.timeoutMs = opts.timeoutMs ?? 1000;
    const seq = ++commandSeq;
    this.admitCmd = `tollgateAdmit${seq}`;
    this.completeCmd = `tollgateComplete${seq}`;
    redis.defineCommand(this.admitCmd, { lua: ADMIT_LUA });
    redis.defineCommand(this.completeCmd, { lua: COMPLETE_LUA });
  }

  async admit(req: AdmissionRequest): Promise<AdmissionResult> {
    const L = this.layout;
    const keys: string[] = [req.budgetId ? L.tier(req.budgetId) : L.noTier];
    const descArgs: string[] = [];
    for (const d of req.descriptors) {
      keys.push(L.window(d.kind, d.value), L.parallel(d.kind, d.value));
      descArgs.push(encodeLimit(d.rpm), encodeLimit(d.tpm), encodeLimit(d.maxParallel));
    }
    const budgetArgs: string[] = [];
    for (const b of req.budgets) {
      keys.push(L.spend(b.entity));
      budgetArgs.push(encodeBudget(b.maxBudget), b.strict ? '1' : '0');
    }
    const modelPrefix = TierField.model(req.model, 'budget').slice(0, -'budget'.length);
    const args = [req.callId, this.windowMs, this.leaseMs, modelPrefix, req.descriptors.length, req.budgets.length, ...descArgs, ...budgetArgs];
    const raw = (await this.call(this.admitCmd, keys, args)) as unknown[];
    return this.interpret(req, raw);
  }

  /**
   * After the reply (success or failure): add the tokens to the rpm/tpm windows and free the
   * parallel slots, in one call. Tokens are LiteLLM's default `total` token count.
   */
  async complete(ticket: AdmissionTicket, usage: { total_tokens: number }): Promise<void> {
    if (ticket.windows.length === 0 && ticket.parallel.length === 0) return;
    const tokens = Math.max(0, Math.floor(Number.isFinite(usage.total_tokens) ? usage.total_tokens : 0));
    await this.call(this.completeCmd, [...ticket.windows, ...ticket.parallel], [ticket.callId, tokens, this.windowMs, ticket.windows.length]);
  }

  private async call(cmd: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    const fn = (this.redis as unknown as Record<string, ScriptFn>)[cmd];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LimitsUnavailableError(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([fn.call(this.redis, keys.length, ...keys, ...args), timeout]);
    } catch (e) {
      if (e instanceof LimitsUnavailableError) throw e;
      const name = (e as Error)?.name;
      const message = (e as Error)?.message ?? String(e);
      if (name === 'ReplyError' && !UNAVAILABLE_REPLY.test(message)) throw e;
      throw new LimitsUnavailableError(`Redis unreachable: ${message}`, e);
    } finally {
      clearTimeout(timer);
    }
  }

  private interpret(req: AdmissionRequest, raw: unknown[]): AdmissionResult {
    const code = Number(raw[0]);
    const idx = Number(raw[1]);
    const st = (raw[6] as unknown[]).map(Number);
    const spends = (raw[7] as unknown[]).map(String);
    const maxes = (raw[8] as unknown[]).map(String);
    const statuses: RateLimitStatus[] = req.descriptors.map((d, i) => {
      const b = 7 * i;
      const lim = (limit: number, remaining: number) => (limit < 0 ? null : { limit, remaining });
      return { kind: d.kind, value: d.value, requests: lim(st[b], st[b + 1]), tokens: lim(st[b + 2], st[b + 3]), maxParallel: lim(st[b + 4], st[b + 5]), resetAtMs: st[b + 6] };
    });
    const spend: SpendSnapshot = { key: null, user: null, team: null };
    req.budgets.forEach((b, j) => {
      if (b.scope === 'key' || b.scope === 'user' || b.scope === 'team') spend[b.scope] = picoToDollars(spends[j] ?? '0');
    });
    if (code === 1) {
      const ticket: AdmissionTicket = { callId: req.callId, windows: [], parallel: [] };
      req.descriptors.forEach((d, i) => {
        if (statuses[i].requests || statuses[i].tokens) ticket.windows.push(this.layout.window(d.kind, d.value));
        if (statuses[i].maxParallel) ticket.parallel.push(this.layout.parallel(d.kind, d.value));
      });
      return { admitted: true, ticket, statuses, headers: rateLimitHeaders(statuses, req.model), spend };
    }
    if (code === 2) {
      const b = req.budgets[idx - 1];
      const spendPico = spends[idx - 1];
      const maxPico = maxes[idx - 1];
      const error = budgetExceededError({
        scope: b.scope, spendPico, maxPico, keyHash: req.keyHash, keyAlias: req.keyAlias, userId: req.userId, teamId: req.teamId, model: req.model,
      });
      return {
        admitted: false, reason: 'budget_exceeded', error, statuses, spend, rateLimit: null,
        budget: { scope: b.scope, spend: picoToDollars(spendPico), maxBudget: picoToDollars(maxPico) },
      };
    }
    const d = req.descriptors[idx - 1];
    const refusal: RateRefusal = {
      kind: d.kind, value: d.value, type: RATE_TYPES[Number(raw[2])], limit: Number(raw[3]), remaining: Number(raw[4]), resetAtMs: Number(raw[5]),
    };
    return { admitted: false, reason: 'rate_limited', error: rateLimitError(refusal, statuses, Date.now()), statuses, spend, rateLimit: refusal, budget: null };
  }
}
