import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BudgetRow, emptyLoggingMetadata, ResolvedKey, StandardLoggingPayload } from '@tollgate/contracts';
import { keyModelId, memberId } from '@tollgate/limits';
import { attribute } from './attribution';

const now = new Date('2025-03-05T10:17:42.500Z');

function event(cost: number, over: Partial<StandardLoggingPayload> = {}): StandardLoggingPayload {
  const metadata = { ...emptyLoggingMetadata(), user_api_key_hash: 'h1', user_api_key_user_id: 'u-meta', user_api_key_team_id: 't-meta' };
  return {
    id: 'r1', trace_id: null, call_type: 'acompletion', stream: false, status: 'success', response_cost: cost, custom_llm_provider: null,
    prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, startTime: 0, endTime: 0, completionStartTime: 0, model: 'openai/gpt-4o', model_id: null,
    model_group: 'gpt-4o', api_base: null, metadata, request_tags: [], end_user: null, error_str: null, error_information: null, response_id: null,
    messages: null, response: null, model_parameters: {}, guardrail_information: [], status_fields: { llm_api_status: 'success', guardrail_status: 'not_run' },
    ...over,
  };
}

const tier: BudgetRow = {
  budget_id: 'gold', max_budget: 10, soft_budget: 2, max_parallel_requests: null, tpm_limit: null, rpm_limit: null,
  model_max_budget: { 'gpt-4o': { budget_limit: 1, time_period: '1h' } }, budget_duration: '1d', budget_reset_at: '2025-03-06T00:00:00.000Z',
  created_at: '', created_by: null, updated_at: '', updated_by: null,
};

/** only the fields attribution reads */
function key(): ResolvedKey {
  return { token: 'h1', user_id: 'u1', team_id: 't1', budget_id: 'gold', budget_duration: null, budget_reset_at: null, model_max_budget: {}, user: null, team: null } as unknown as ResolvedKey;
}

test('a resolved key: charged to key, key+model, user, team, member and tier; schedules from the key, else its tier', () => {
  const k = { ...key(), user: { budget_duration: '30d', budget_reset_at: null }, team: { budget_duration: null, budget_reset_at: null } } as unknown as ResolvedKey;
  const c = attribute(event(0.1), k, new Map([['gold', tier]]), now)!;
  assert.equal(c.costPico, 100_000_000_000n);
  const by = new Map(c.charges.map((x) => [`${x.type}:${x.id}`, x]));
  assert.deepEqual([...by.keys()].sort(), ['key:h1', `keymodel:${keyModelId('h1', 'gpt-4o')}`, `member:${memberId('t1', 'u1')}`, 'team:t1', 'tier:gold', 'user:u1'].sort());
  assert.deepEqual(by.get('key:h1')!.schedule, { duration: '1d', resetAt: new Date('2025-03-06T00:00:00.000Z') });
  assert.equal(by.get('key:h1')!.softBudgetPico, 2_000_000_000_000n);
  assert.deepEqual(by.get(`keymodel:${keyModelId('h1', 'gpt-4o')}`)!.schedule, { duration: '1h', resetAt: new Date('2025-03-05T11:00:00.000Z') });
  assert.deepEqual(by.get('user:u1')!.schedule, { duration: '30d', resetAt: new Date('2025-04-01T00:00:00.000Z') });
  assert.deepEqual(by.get('team:t1')!.schedule, { duration: null, resetAt: null });
});

test('the key\'s own budget_duration wins over its tier\'s', () => {
  const k = { ...key(), budget_duration: '1h', budget_reset_at: '2025-03-05T11:00:00.000Z' } as unknown as ResolvedKey;
  const c = attribute(event(0.1), k, new Map([['gold', tier]]), now)!;
  assert.deepEqual(c.charges.find((x) => x.type === 'key')!.schedule, { duration: '1h', resetAt: new Date('2025-03-05T11:00:00.000Z') });
});

test('keys service unreachable: ids from the event, schedules left alone, no tier', () => {
  const c = attribute(event(0.1), null, new Map([['gold', tier]]), now)!;
  assert.deepEqual(c.charges.map((x) => `${x.type}:${x.id}`).sort(), ['key:h1', `keymodel:${keyModelId('h1', 'gpt-4o')}`, `member:${memberId('t-meta', 'u-meta')}`, 'team:t-meta', 'user:u-meta'].sort());
  assert.ok(c.charges.every((x) => x.schedule === 'unknown'));
});

test('failures and free calls are not charged', () => {
  assert.equal(attribute(event(0.1, { status: 'failure' }), null, new Map(), now), null);
  assert.equal(attribute(event(0), null, new Map(), now), null);
  assert.equal(attribute(event(1e-7), null, new Map(), now)!.costPico, 100_000n);
});
