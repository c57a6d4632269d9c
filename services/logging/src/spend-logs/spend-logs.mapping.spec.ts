import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyLoggingMetadata, StandardLoggingPayload } from '@tollgate/contracts';
import { InvalidUsageEventError, spendDecimal, toSpendLogInsert } from './spend-logs.mapping';

function payload(over: Partial<StandardLoggingPayload> & Record<string, unknown> = {}): StandardLoggingPayload {
  return {
    id: 'req-1',
    trace_id: null,
    call_type: 'acompletion',
    stream: false,
    status: 'success',
    response_cost: 0.0000015,
    custom_llm_provider: 'openai',
    prompt_tokens: 3,
    completion_tokens: 4,
    total_tokens: 7,
    startTime: 1709287200.123,
    endTime: 1709287201.5,
    completionStartTime: 1709287200.9,
    model: 'gpt-4o',
    model_id: 'm-1',
    model_group: 'gpt-4o',
    api_base: null,
    metadata: { ...emptyLoggingMetadata(), user_api_key_hash: 'abc', user_api_key_user_id: 'u', user_api_key_team_id: 't' },
    request_tags: ['x'],
    end_user: null,
    error_str: null,
    error_information: null,
    response_id: null,
    messages: [{ role: 'user', content: 'hi' }],
    response: { ok: true },
    model_parameters: {},
    ...over,
  } as StandardLoggingPayload;
}

test('identity comes from the logging metadata; unix seconds become timestamps', () => {
  const row = toSpendLogInsert(payload(), false, true);
  assert.equal(row.api_key, 'abc');
  assert.equal(row.user, 'u');
  assert.equal(row.team_id, 't');
  assert.equal(row.end_user, '');
  assert.equal(row.api_base, '');
  assert.equal(row.start_time.toISOString(), '2024-03-01T10:00:00.123Z');
  assert.equal(row.end_time.toISOString(), '2024-03-01T10:00:01.500Z');
  assert.equal(row.completion_start_time?.toISOString(), '2024-03-01T10:00:00.900Z');
  assert.equal(row.status, 'success');
  assert.equal(row.metadata.status, 'success');
  assert.equal(row.metadata.error_information, undefined);
});

test('no key hash means api_key is the empty string', () => {
  const row = toSpendLogInsert(payload({ metadata: emptyLoggingMetadata() }), false, false);
  assert.equal(row.api_key, '');
  assert.equal(row.user, '');
});

test('prompts are kept only when store_prompts_in_spend_logs is on', () => {
  assert.deepEqual(toSpendLogInsert(payload(), false, false).messages, {});
  assert.deepEqual(toSpendLogInsert(payload(), false, false).response, {});
  assert.deepEqual(toSpendLogInsert(payload(), false, true).messages, [{ role: 'user', content: 'hi' }]);
});

test('a usage.failed event is a failure row with its error information in metadata', () => {
  const info = { error_code: '400', error_class: 'BadRequestError', llm_provider: 'openai', error_message: 'bad' };
  const row = toSpendLogInsert(payload({ error_information: info, error_str: 'bad' }), true, false);
  assert.equal(row.status, 'failure');
  assert.equal(row.metadata.status, 'failure');
  assert.deepEqual(row.metadata.error_information, info);
  assert.equal(row.metadata.error_str, 'bad');
});

test('a failure without error_information still records the error string', () => {
  const row = toSpendLogInsert(payload({ error_str: 'guardrail blocked' }), true, false);
  assert.equal((row.metadata.error_information as { error_message: string }).error_message, 'guardrail blocked');
});

test('guardrail traces are copied into metadata as LiteLLM does', () => {
  const trace = [{ guardrail_name: 'g', guardrail_mode: 'pre_call' as const, guardrail_status: 'guardrail_intervened' as const, guardrail_response: 'blocked', start_time: 1, end_time: 2, duration: 1, masked_entity_count: {} }];
  const row = toSpendLogInsert(payload({ guardrail_information: trace }), true, false);
  assert.deepEqual(row.metadata.guardrail_information, trace);
});

test('money is a decimal string with 12 places, never exponent notation', () => {
  assert.equal(spendDecimal(1.5e-7), '0.000000150000');
  assert.equal(spendDecimal(1.23456e-7), '0.000000123456');
  assert.equal(spendDecimal(12.5), '12.500000000000');
  assert.equal(spendDecimal(undefined), '0');
  assert.throws(() => spendDecimal(-1), InvalidUsageEventError);
  assert.throws(() => spendDecimal(Number.NaN), InvalidUsageEventError);
});

test('NUL characters are stripped (Postgres text and jsonb refuse them)', () => {
  const row = toSpendLogInsert(payload({ model: 'a\u0000b', messages: [{ content: 'x\u0000y' }] }), false, true);
  assert.equal(row.model, 'ab');
  assert.deepEqual(row.messages, [{ content: 'xy' }]);
});

test('an event without an id or a start time is rejected, not retried', () => {
  assert.throws(() => toSpendLogInsert(payload({ id: '' }), false, false), InvalidUsageEventError);
  assert.throws(() => toSpendLogInsert(payload({ startTime: Number.NaN }), false, false), InvalidUsageEventError);
});

test('batch and fine-tuning rows keep their job fields and key / team identity in metadata; model_group for every call type', () => {
  const batch = toSpendLogInsert(
    payload({
      id: 'batch_abc_batch_cost',
      call_type: 'aretrieve_batch',
      batch_id: 'batch_abc',
      file_id: 'file-out-1',
      batch_models: ['gpt-4o-mini'],
      cost_breakdown: { input_cost: 0.1, output_cost: 0.2, total_cost: 0.3 },
    } as Partial<StandardLoggingPayload> & Record<string, unknown>),
    false,
    false,
  );
  assert.equal(batch.call_type, 'aretrieve_batch');
  assert.equal(batch.session_id, 'batch_abc', 'a batch row groups under its batch id');
  assert.equal(batch.metadata.file_id, 'file-out-1');
  assert.deepEqual(batch.metadata.batch_models, ['gpt-4o-mini']);
  assert.equal(batch.metadata.user_api_key_team_id, 't');
  assert.equal(batch.metadata.user_api_key_alias, null, 'the key alias is always present');

  const ft = toSpendLogInsert(
    payload({
      call_type: 'acreate_fine_tuning_job',
      metadata: { ...emptyLoggingMetadata(), user_api_key_hash: 'h', user_api_key_alias: 'ci-key', finetuning_job_id: 'ftjob-1', training_file: 'file-t' } as StandardLoggingPayload['metadata'],
    }),
    false,
    false,
  );
  assert.equal(ft.metadata.finetuning_job_id, 'ftjob-1');
  assert.equal(ft.metadata.training_file, 'file-t');
  assert.equal(ft.metadata.user_api_key_alias, 'ci-key');

  const speech = toSpendLogInsert(
    payload({ call_type: 'aspeech', model_group: null, metadata: { ...emptyLoggingMetadata(), model_group: 'tts' } as StandardLoggingPayload['metadata'] }),
    false,
    false,
  );
  assert.equal(speech.model_group, 'tts');
});
