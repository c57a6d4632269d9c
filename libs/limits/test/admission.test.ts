import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { ErrorCode } from '@tollgate/contracts';
import {
  Admission, admissionRequestFor, dollarsToPico, EntityRef, isLimitsUnavailable, keyModelId, LimitsStore, memberId, TierDefinition,
} from '../src';
import { resolvedKey, team, user } from './fixtures';

const ns = `t_limits_${randomBytes(4).toString('hex')}`;
let redis: Redis;
let admission: Admission;
let store: LimitsStore;
let version = 0;
let n = 0;

const hash = (): string => randomBytes(32).toString('hex');
const call = (): string => `call-${++n}`;

function tier(over: Partial<TierDefinition> & { budget_id: string }): TierDefinition {
  return { max_budget: null, soft_budget: null, max_parallel_requests: null, tpm_limit: null, rpm_limit: null, budget_duration: null, model_max_budget: {}, ...over };
}

async function setSpend(entity: EntityRef, dollars: number): Promise<void> {
  await store.setSpend([{ entity, spend: dollarsToPico(dollars), version: ++version }]);
}

before(async () => {
  redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  admission = new Admission(redis, ns);
  store = new LimitsStore(redis, ns);
});

after(async () => {
  const keys = await redis.keys(`{${ns}}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

test('rpm window: the (limit+1)th request in a window gets LiteLLM\'s 429 with retry-after; headers count down', async () => {
  const key = resolvedKey({ token: hash(), rpm_limit: 3 });
  const remaining: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await admission.admit(admissionRequestFor(key, 'gpt-4o', call()));
    assert.equal(r.admitted, true);
    if (r.admitted) remaining.push(r.headers['x-ratelimit-remaining-requests']);
  }
  assert.deepEqual(remaining, ['2', '1', '0']);
  const r = await admission.admit(admissionRequestFor(key, 'gpt-4o', call()));
  assert.equal(r.admitted, false);
  if (r.admitted) return;
  assert.equal(r.error.status, 429);
  assert.equal(r.error.code, ErrorCode.RateLimited);
  assert.match(r.error.message, new RegExp(`^Rate limit exceeded for api_key: ${key.token}\\. Limit type: requests\\. Current limit: 3, Remaining: 0\\. Limit resets at: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`));
  const retry = Number(r.error.headers['retry-after']);
  assert.ok(retry >= 1 && retry <= 60, `retry-after ${retry}`);
  assert.equal(r.error.headers['x-ratelimit-limit-requests'], '3');
  assert.equal(r.error.headers['x-ratelimit-remaining-requests'], '0');
});

test('a short window ends and admits again (windows live in Redis, not in the process)', async () => {
  const short = new Admission(redis, ns, { windowMs: 300 });
  const key = resolvedKey({ token: hash(), rpm_limit: 1 });
  assert.equal((await short.admit(admissionRequestFor(key, 'm', call()))).admitted, true);
  assert.equal((await short.admit(admissionRequestFor(key, 'm', call()))).admitted, false);
  // a second "gateway" (another Admission on another connection) sees the same window
  const other = new Redis('redis://127.0.0.1:6379');
  try {
    assert.equal((await new Admission(other, ns, { windowMs: 300 }).admit(admissionRequestFor(key, 'm', call()))).admitted, false);
  } finally {
    other.disconnect();
  }
  await new Promise((r) => setTimeout(r, 350));
  assert.equal((await short.admit(admissionRequestFor(key, 'm', call()))).admitted, true);
});

test('tpm: tokens added by complete() count; refused once the window holds the limit', async () => {
  const key = resolvedKey({ token: hash(), tpm_limit: 100 });
  const a = await admission.admit(admissionRequestFor(key, 'm', call()));
  assert.ok(a.admitted);
  if (!a.admitted) return;
  assert.equal(a.headers['x-ratelimit-remaining-tokens'], '100');
  await admission.complete(a.ticket, { total_tokens: 60 });
  const b = await admission.admit(admissionRequestFor(key, 'm', call()));
  assert.ok(b.admitted);
  if (!b.admitted) return;
  assert.equal(b.headers['x-ratelimit-remaining-tokens'], '40');
  await admission.complete(b.ticket, { total_tokens: 40 });
  const c = await admission.admit(admissionRequestFor(key, 'm', call()));
  assert.equal(c.admitted, false);
  if (c.admitted) return;
  assert.match(c.error.message, /Limit type: tokens\. Current limit: 100, Remaining: 0\./);
  assert.equal(c.error.headers['x-ratelimit-remaining-tokens'], '0');
});

test('max_parallel_requests: slots are held until complete(), then freed', async () => {
  const key = resolvedKey({ token: hash(), max_parallel_requests: 2 });
  const a = await admission.admit(admissionRequestFor(key, 'm', call()));
  const b = await admission.admit(admissionRequestFor(key, 'm', call()));
  assert.ok(a.admitted && b.admitted);
  const c = await admission.admit(admissionRequestFor(key, 'm', call()));
  assert.equal(c.admitted, false);
  if (!c.admitted) assert.match(c.error.message, /Limit type: max_parallel_requests\. Current limit: 2, Remaining: 0\./);
  if (a.admitted) await admission.complete(a.ticket, { total_tokens: 5 });
  assert.equal((await admission.admit(admissionRequestFor(key, 'm', call()))).admitted, true);
});

test('a leaked parallel slot (gateway died before complete) is reclaimed after its lease', async () => {
  const leasy = new Admission(redis, ns, { parallelLeaseMs: 200 });
  const key = resolvedKey({ token: hash(), max_parallel_requests: 1 });
  assert.equal((await leasy.admit(admissionRequestFor(key, 'm', call()))).admitted, true);
  assert.equal((await leasy.admit(admissionRequestFor(key, 'm', call()))).admitted, false);
  await new Promise((r) => setTimeout(r, 250));
  assert.equal((await leasy.admit(admissionRequestFor(key, 'm', call()))).admitted, true);
});

test('tier fallback: the tier limits a key without its own; /budget/update applies on the next request', async () => {
  const budgetId = `tier-${n}`;
  await store.writeTier(tier({ budget_id: budgetId, rpm_limit: 0 }));
  const onTier = resolvedKey({ token: hash(), budget_id: budgetId });
  const r = await admission.admit(admissionRequestFor(onTier, 'm', call()));
  assert.equal(r.admitted, false);
  if (!r.admitted) assert.match(r.error.message, /Limit type: requests\. Current limit: 0, Remaining: 0/);
  // the key's own limit wins over the tier's
  const own = resolvedKey({ token: hash(), budget_id: budgetId, rpm_limit: 5 });
  assert.equal((await admission.admit(admissionRequestFor(own, 'm', call()))).admitted, true);
  // the tier is raised: the very next request of the first key passes (no cache to expire)
  await store.writeTier(tier({ budget_id: budgetId, rpm_limit: 2 }));
  const again = await admission.admit(admissionRequestFor(onTier, 'm', call()));
  assert.equal(again.admitted, true);
  if (again.admitted) assert.equal(again.headers['x-ratelimit-limit-requests'], '2');
  // and a tier max_budget is the key's budget
  await store.writeTier(tier({ budget_id: budgetId, max_budget: 1 }));
  await setSpend({ type: 'key', id: onTier.token }, 1);
  const broke = await admission.admit(admissionRequestFor(onTier, 'm', call()));
  assert.equal(broke.admitted, false);
  if (!broke.admitted) assert.equal(broke.error.message, 'Budget has been exceeded! Current cost: 1.0, Max budget: 1.0');
  // deleting the tier lifts its limits
  await store.deleteTier(budgetId);
  assert.equal((await admission.admit(admissionRequestFor(onTier, 'm', call()))).admitted, true);
});

test('key+model: model_rpm_limit and the tier\'s model_max_budget (rpm, tpm, budget_limit)', async () => {
  const key = resolvedKey({ token: hash(), model_rpm_limit: { 'gpt-4o': 1 } });
  assert.equal((await admission.admit(admissionRequestFor(key, 'gpt-4o', call()))).admitted, true);
  const r = await admission.admit(admissionRequestFor(key, 'gpt-4o', call()));
  assert.equal(r.admitted, false);
  if (!r.admitted) assert.match(r.error.message, new RegExp(`Rate limit exceeded for model_per_key: ${key.token}:gpt-4o\\. Limit type: requests`));
  // another model of the same key is not limited
  assert.equal((await admission.admit(admissionRequestFor(key, 'gpt-4o-mini', call()))).admitted, true);

  const budgetId = `tier-model-${n}`;
  await store.writeTier(tier({ budget_id: budgetId, model_max_budget: { 'gpt-4o': { budget_limit: 10, time_period: '1d', rpm_limit: 1000000, tpm_limit: 500 } } }));
  const onTier = resolvedKey({ token: hash(), key_alias: 'my-alias', budget_id: budgetId });
  const ok = await admission.admit(admissionRequestFor(onTier, 'gpt-4o', call()));
  assert.ok(ok.admitted);
  if (ok.admitted) {
    assert.equal(ok.headers['x-litellm-key-remaining-requests-gpt-4o'], '999999');
    assert.equal(ok.headers['x-litellm-key-remaining-tokens-gpt-4o'], '500');
    await admission.complete(ok.ticket, { total_tokens: 500 });
  }
  const tok = await admission.admit(admissionRequestFor(onTier, 'gpt-4o', call()));
  assert.equal(tok.admitted, false);
  if (!tok.admitted) assert.match(tok.error.message, /model_per_key: .*Limit type: tokens\. Current limit: 500/);
  await setSpend({ type: 'keymodel', id: keyModelId(onTier.token, 'gpt-4o') }, 10);
  const broke = await admission.admit(admissionRequestFor(onTier, 'gpt-4o', call()));
  assert.equal(broke.admitted, false);
  if (!broke.admitted) {
    assert.equal(broke.reason, 'budget_exceeded');
    assert.equal(broke.error.status, 400);
    assert.equal(broke.error.message, `LiteLLM Virtual Key: ${onTier.token}, key_alias: my-alias, exceeded budget for model=gpt-4o`);
  }
});

test('budgets refuse at the right pico-dollar, with the entity\'s message; team is strict', async () => {
  const key = resolvedKey({ token: hash(), max_budget: 0.0000003 });
  await setSpend({ type: 'key', id: key.token }, 0.0000002);
  assert.equal((await admission.admit(admissionRequestFor(key, 'm', call()))).admitted, true);
  await setSpend({ type: 'key', id: key.token }, 0.0000003);
  const r = await admission.admit(admissionRequestFor(key, 'm', call()));
  assert.equal(r.admitted, false);
  if (!r.admitted) {
    assert.equal(r.error.code, ErrorCode.BudgetExceeded);
    assert.equal(r.error.status, 400);
    assert.equal(r.error.message, 'Budget has been exceeded! Current cost: 3e-07, Max budget: 3e-07');
  }
  // one pico-dollar under the limit still passes
  await store.setSpend([{ entity: { type: 'key', id: key.token }, spend: 299_999n, version: ++version }]);
  assert.equal((await admission.admit(admissionRequestFor(key, 'm', call()))).admitted, true);

  const teamId = `team-${n}`;
  const inTeam = resolvedKey({
    token: hash(), user_id: 'u-b', team_id: teamId, team: team(teamId, { max_budget: 5 }), user: user('u-b', { max_budget: 0.01 }),
    team_member: { user_id: 'u-b', role: 'user', max_budget: 2, spend: 0, tpm_limit: null, rpm_limit: null },
  });
  await setSpend({ type: 'team', id: teamId }, 5);
  await setSpend({ type: 'user', id: 'u-b' }, 1); // over the user's budget, but user budgets apply to personal keys only
  const atLimit = await admission.admit(admissionRequestFor(inTeam, 'm', call()));
  assert.equal(atLimit.admitted, true, 'team budget is strict (spend > max)');
  if (atLimit.admitted) assert.deepEqual(atLimit.spend, { key: 0, user: 1, team: 5 });
  await setSpend({ type: 'team', id: teamId }, 5.01);
  const t = await admission.admit(admissionRequestFor(inTeam, 'm', call()));
  assert.ok(!t.admitted && t.error.message === `Budget has been exceeded! Team=${teamId} Current cost: 5.01, Max budget: 5.0`);
  await setSpend({ type: 'team', id: teamId }, 1);
  await setSpend({ type: 'member', id: memberId(teamId, 'u-b') }, 2);
  const m = await admission.admit(admissionRequestFor(inTeam, 'm', call()));
  assert.ok(!m.admitted && m.error.message === `Budget has been exceeded! User=u-b in Team=${teamId} Current cost: 2.0, Max budget: 2.0`);

  const personal = resolvedKey({ token: hash(), user_id: 'u-c', user: user('u-c', { max_budget: 0.5 }) });
  await setSpend({ type: 'user', id: 'u-c' }, 0.75);
  const u = await admission.admit(admissionRequestFor(personal, 'm', call()));
  assert.ok(!u.admitted && u.error.message === 'ExceededBudget: User=u-c over budget. Spend=0.75, Budget=0.5');
});

test('a stale spend write (older version) never overwrites a newer one', async () => {
  const e: EntityRef = { type: 'key', id: hash() };
  await store.setSpend([{ entity: e, spend: 500n, version: 10 }]);
  assert.equal(await store.setSpend([{ entity: e, spend: 400n, version: 9 }]), 0);
  assert.equal(await store.readSpend(e), 500n);
  assert.equal(await store.setSpend([{ entity: e, spend: 600n, version: 11 }]), 1);
  assert.equal(await store.readSpend(e), 600n);
});

test('concurrency: 200 parallel admits from 4 connections never exceed rpm, and exactly rpm are admitted', async () => {
  const key = resolvedKey({ token: hash(), rpm_limit: 37, max_parallel_requests: 1000 });
  const clients = [0, 1, 2, 3].map(() => new Redis('redis://127.0.0.1:6379'));
  try {
    const gateways = clients.map((c) => new Admission(c, ns));
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => gateways[i % 4].admit(admissionRequestFor(key, 'm', call()))));
    assert.equal(results.filter((r) => r.admitted).length, 37);
    assert.ok(results.filter((r) => !r.admitted).every((r) => !r.admitted && r.reason === 'rate_limited'));
  } finally {
    for (const c of clients) c.disconnect();
  }
});

test('overspend bound: N in flight can overshoot by their own cost, nothing admitted after the spend lands', async () => {
  const key = resolvedKey({ token: hash(), max_budget: 1 });
  const e: EntityRef = { type: 'key', id: key.token };
  await setSpend(e, 0.9);
  // 5 requests are admitted while spend is 0.9 < 1 (they are in flight)
  const inflight = await Promise.all(Array.from({ length: 5 }, () => admission.admit(admissionRequestFor(key, 'm', call()))));
  assert.ok(inflight.every((r) => r.admitted));
  // their cost (0.1 each) lands: spend 1.4, i.e. overshoot 0.4 = the 5 in-flight requests' cost
  await setSpend(e, 0.9 + 5 * 0.1);
  const after = await Promise.all(Array.from({ length: 20 }, () => admission.admit(admissionRequestFor(key, 'm', call()))));
  assert.ok(after.every((r) => !r.admitted && r.reason === 'budget_exceeded'));
});

test('Redis unreachable is a typed LimitsUnavailableError, not a refusal', async () => {
  const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  dead.on('error', () => undefined);
  try {
    const a = new Admission(dead, ns, { timeoutMs: 300 });
    await assert.rejects(a.admit(admissionRequestFor(resolvedKey({ rpm_limit: 1 }), 'm', call())), (e: unknown) => isLimitsUnavailable(e));
  } finally {
    dead.disconnect();
  }
});
