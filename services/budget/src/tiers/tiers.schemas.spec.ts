import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TollgateError } from '@tollgate/contracts';
import { parseTierInput } from './tiers.schemas';

function rejects(body: Record<string, unknown>, message: RegExp): void {
  assert.throws(() => parseTierInput(body), (e: unknown) => e instanceof TollgateError && e.status === 400 && message.test(e.message));
}

test('tier input: LiteLLM fields and aliases; unset fields stay unset', () => {
  const t = parseTierInput({ budget_id: 'x', rpm_limit: 0, model_max_budget: { 'gpt-4o': { budget_limit: 10, time_period: '1d', rpm_limit: 1000000, tpm_limit: 500 } } });
  assert.deepEqual(t, { budget_id: 'x', rpm_limit: 0, model_max_budget: { 'gpt-4o': { budget_limit: 10, rpm_limit: 1000000, tpm_limit: 500, time_period: '1d' } } });
  assert.deepEqual(parseTierInput({ max_budget: null }), { max_budget: null });
});

test('tier input: LiteLLM\'s messages for bad values', () => {
  rejects({ max_budget: -1 }, /^max_budget must be a non-negative finite number\. Received: -1$/);
  rejects({ soft_budget: 'a' }, /^soft_budget must be a non-negative finite number/);
  rejects({ rpm_limit: 1.5 }, /^rpm_limit must be a non-negative integer/);
  rejects({ budget_duration: 'weekly' }, /^Invalid budget_duration: weekly/);
  rejects({ model_max_budget: { m: { time_period: 'soon' } } }, /^Invalid model_max_budget: m\.time_period is not a duration$/);
  rejects({ model_max_budget: [] }, /^Invalid model_max_budget: /);
});
