import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admissionRequestFor, encodeBudget, encodeLimit, modelBudgetEntry } from './request';
import { dollarsToPico, picoToDollars, pyFloat } from './money';
import { nextResetAt, parseDuration } from './duration';
import { budgetMessage, formatResetAt, rateLimitError, rateLimitHeaders, rateLimitMessage } from './messages';
import { keyModelId, LimitsLayout, memberId } from './layout';
import { tierFields } from './store';
import { resolvedKey, team, user } from '../test/fixtures';

test('money: dollars to pico-dollars exactly, including 1e-7 and sums that floats get wrong', () => {
  assert.equal(dollarsToPico(1e-7), 100_000n);
  assert.equal(dollarsToPico(0.1), 100_000_000_000n);
  assert.equal(dollarsToPico(15), 15_000_000_000_000n);
  assert.equal(dollarsToPico(1.5e-13), 0n);
  assert.equal(dollarsToPico(5e-13), 1n);
  let sum = 0n;
  for (let i = 0; i < 1_000_000; i++) sum += dollarsToPico(1e-7);
  assert.equal(picoToDollars(sum), 0.1);
  assert.equal(picoToDollars(123_456_789_000_000_000_001n), 123456789.000000000001);
});

test('pyFloat prints like Python str(float)', () => {
  assert.equal(pyFloat(15), '15.0');
  assert.equal(pyFloat(15.2), '15.2');
  assert.equal(pyFloat(1e-7), '1e-07');
  assert.equal(pyFloat(0.0001), '0.0001');
  assert.equal(pyFloat(0.00001), '1e-05');
  assert.equal(pyFloat(1.5e16), '1.5e+16');
  assert.equal(pyFloat(0), '0.0');
  assert.equal(pyFloat(1234.5678), '1234.5678');
});

test('durations: parse and LiteLLM standardized reset times', () => {
  assert.deepEqual(parseDuration('30s'), { value: 30, unit: 's' });
  assert.deepEqual(parseDuration('1mo'), { value: 1, unit: 'mo' });
  assert.equal(parseDuration('soon'), null);
  const now = new Date('2025-03-05T10:17:42.500Z'); // a Wednesday
  const at = (d: string) => nextResetAt(parseDuration(d)!, now).toISOString();
  assert.equal(at('30s'), '2025-03-05T10:18:00.000Z');
  assert.equal(at('30m'), '2025-03-05T10:30:00.000Z');
  assert.equal(at('1h'), '2025-03-05T11:00:00.000Z');
  assert.equal(at('1d'), '2025-03-06T00:00:00.000Z');
  assert.equal(at('7d'), '2025-03-10T00:00:00.000Z');
  assert.equal(at('1mo'), '2025-04-01T00:00:00.000Z');
  assert.equal(at('30d'), '2025-04-01T00:00:00.000Z');
});

test('admissionRequestFor: key limits win, tier values are the fallback for the null ones', () => {
  const r = admissionRequestFor(resolvedKey({ rpm_limit: 5, budget_id: 'tier-1' }), 'gpt-4o', 'call-1');
  assert.equal(r.budgetId, 'tier-1');
  const k = r.descriptors.find((d) => d.kind === 'api_key')!;
  assert.equal(k.rpm, 5);
  assert.deepEqual(k.tpm, { tier: 'tpm' });
  assert.deepEqual(k.maxParallel, { tier: 'par' });
  const km = r.descriptors.find((d) => d.kind === 'model_per_key')!;
  assert.deepEqual(km.rpm, { tier: 'm_rpm' });
  assert.equal(encodeLimit(k.rpm), '5');
  assert.equal(encodeLimit(k.tpm), '@tpm');
  assert.deepEqual(r.budgets.find((b) => b.scope === 'key')!.maxBudget, { tier: 'max' });
  assert.deepEqual(r.budgets.find((b) => b.scope === 'key_model')!.maxBudget, { tier: 'm_budget' });
});

test('admissionRequestFor: a key with no limits and no tier has no descriptors but still reads its spend', () => {
  const r = admissionRequestFor(resolvedKey(), 'gpt-4o', 'c');
  assert.equal(r.descriptors.length, 0);
  assert.deepEqual(r.budgets.map((b) => [b.scope, b.maxBudget]), [['key', null]]);
  assert.equal(r.budgetId, null);
});

test('admissionRequestFor: user budget only for keys outside a team; team is strict; member and key+model', () => {
  const solo = admissionRequestFor(resolvedKey({ user_id: 'u1', user: user('u1', { max_budget: 3, rpm_limit: 7 }) }), 'm', 'c');
  assert.equal(solo.budgets.find((b) => b.scope === 'user')!.maxBudget, 3);
  assert.equal(solo.descriptors.find((d) => d.kind === 'user')!.rpm, 7);
  const inTeam = admissionRequestFor(
    resolvedKey({
      user_id: 'u1', team_id: 't1', user: user('u1', { max_budget: 3 }), team: team('t1', { max_budget: 10, tpm_limit: 100, model_rpm_limit: { m: 9 } }),
      team_member: { user_id: 'u1', role: 'user', max_budget: 2, spend: 0, tpm_limit: null, rpm_limit: 4 },
      model_max_budget: { m: { budget_limit: 1.5, time_period: '1d' } },
    }),
    'm',
    'c',
  );
  assert.equal(inTeam.budgets.find((b) => b.scope === 'user')!.maxBudget, null);
  const t = inTeam.budgets.find((b) => b.scope === 'team')!;
  assert.equal(t.strict, true);
  assert.equal(t.maxBudget, 10);
  const m = inTeam.budgets.find((b) => b.scope === 'team_member')!;
  assert.deepEqual(m.entity, { type: 'member', id: memberId('t1', 'u1') });
  assert.equal(inTeam.descriptors.find((d) => d.kind === 'team_member')!.value, 't1:u1');
  assert.equal(inTeam.descriptors.find((d) => d.kind === 'model_per_key')!.rpm, 9);
  const km = inTeam.budgets.find((b) => b.scope === 'key_model')!;
  assert.equal(km.maxBudget, 1.5);
  assert.deepEqual(km.entity, { type: 'keymodel', id: keyModelId('a'.repeat(64), 'm') });
  assert.equal(encodeBudget(1.5), '1500000000000');
});

test('model_max_budget reads both LiteLLM spellings', () => {
  assert.deepEqual(modelBudgetEntry({ 'gpt-4o': { budget_limit: 10, time_period: '1d', rpm_limit: 1000000, tpm_limit: 500 } }, 'gpt-4o'), {
    budget: 10, duration: '1d', rpm: 1000000, tpm: 500,
  });
  assert.deepEqual(modelBudgetEntry({ x: { max_budget: 2, budget_duration: '30d' } }, 'x'), { budget: 2, duration: '30d', rpm: null, tpm: null });
  assert.equal(modelBudgetEntry({}, 'x'), null);
});

test('layout: one hash tag per namespace, ids cannot collide through colons', () => {
  const L = new LimitsLayout('ns1');
  assert.equal(L.tier('gold'), '{ns1}:lim:tier:gold');
  assert.notEqual(L.spend({ type: 'member', id: memberId('a:b', 'c') }), L.spend({ type: 'member', id: memberId('a', 'b:c') }));
  assert.ok(L.window('api_key', 'x').startsWith('{ns1}:'));
  assert.throws(() => new LimitsLayout('bad ns'));
});

test('tier fields: pico budgets, per-model fields', () => {
  const f = tierFields({
    budget_id: 'g', max_budget: 0.5, soft_budget: null, max_parallel_requests: 2, tpm_limit: null, rpm_limit: 0, budget_duration: '1d',
    model_max_budget: { 'gpt-4o': { budget_limit: 10, time_period: '1d', rpm_limit: 1000000, tpm_limit: 500 } },
  });
  assert.equal(f.max, '500000000000');
  assert.equal(f.rpm, '0');
  assert.equal(f.par, '2');
  assert.equal(f['m:gpt-4o:budget'], '10000000000000');
  assert.equal(f['m:gpt-4o:tpm'], '500');
  assert.equal(f.tpm, undefined);
});

test('messages: LiteLLM wording for budgets and rate limits', () => {
  const base = { spendPico: '15200000000000', maxPico: '15000000000000', keyHash: 'h', keyAlias: 'al', userId: 'u', teamId: 't', model: 'gpt-4o' };
  assert.equal(budgetMessage({ ...base, scope: 'key' }), 'Budget has been exceeded! Current cost: 15.2, Max budget: 15.0');
  assert.equal(budgetMessage({ ...base, scope: 'team' }), 'Budget has been exceeded! Team=t Current cost: 15.2, Max budget: 15.0');
  assert.equal(budgetMessage({ ...base, scope: 'team_member' }), 'Budget has been exceeded! User=u in Team=t Current cost: 15.2, Max budget: 15.0');
  assert.equal(budgetMessage({ ...base, scope: 'user' }), 'ExceededBudget: User=u over budget. Spend=15.2, Budget=15.0');
  assert.equal(budgetMessage({ ...base, scope: 'key_model' }), 'LiteLLM Virtual Key: h, key_alias: al, exceeded budget for model=gpt-4o');
  const reset = Date.parse('2025-01-31T12:00:05Z');
  assert.equal(formatResetAt(reset), '2025-01-31 12:00:05 UTC');
  assert.equal(
    rateLimitMessage('api_key', 'h', 'requests', 10, -2, reset),
    'Rate limit exceeded for api_key: h. Limit type: requests. Current limit: 10, Remaining: 0. Limit resets at: 2025-01-31 12:00:05 UTC',
  );
});

test('rate-limit headers: tightest descriptor for the OpenAI names, one set per descriptor for LiteLLM names', () => {
  const h = rateLimitHeaders(
    [
      { kind: 'api_key', value: 'h', requests: { limit: 10, remaining: 9 }, tokens: null, maxParallel: null, resetAtMs: 0 },
      { kind: 'team', value: 't', requests: { limit: 100, remaining: 3 }, tokens: { limit: 1000, remaining: 900 }, maxParallel: null, resetAtMs: 0 },
      { kind: 'model_per_key', value: 'h:m', requests: { limit: 5, remaining: 4 }, tokens: null, maxParallel: null, resetAtMs: 0 },
    ],
    'm',
  );
  assert.equal(h['x-ratelimit-remaining-requests'], '3');
  assert.equal(h['x-ratelimit-limit-requests'], '100');
  assert.equal(h['x-ratelimit-remaining-tokens'], '900');
  assert.equal(h['x-ratelimit-api_key-remaining-requests'], '9');
  assert.equal(h['x-litellm-key-remaining-requests-m'], '4');
  const err = rateLimitError({ kind: 'api_key', value: 'h', type: 'requests', limit: 10, remaining: 0, resetAtMs: 10_500 }, [], 1000);
  assert.equal(err.status, 429);
  assert.equal(err.headers['retry-after'], '10');
  assert.equal(err.headers['x-ratelimit-remaining-requests'], '0');
  assert.equal(err.headers['x-ratelimit-limit-requests'], '10');
});
