import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, GuardrailsRunRequest, TollgateError } from '@tollgate/contracts';
import { createLogger } from '@tollgate/config';
import { HttpClient } from '../external/http-client';
import { GuardrailRegistry } from '../registry/guardrail-registry';
import { GuardrailRunner } from './guardrail-runner';

const registry = GuardrailRegistry.fromConfig(
  [
    { guardrail_name: 'secrets', litellm_params: { guardrail: 'hide-secrets', mode: ['pre_call', 'post_call', 'during_call', 'logging_only'] } },
    { guardrail_name: 'pii', litellm_params: { guardrail: 'presidio', mode: ['pre_call', 'post_call', 'during_call', 'logging_only'], output_parse_pii: true } },
    {
      guardrail_name: 'no-ssn',
      litellm_params: { guardrail: 'litellm_content_filter', mode: ['pre_call', 'during_call', 'logging_only'], patterns: [{ pattern_type: 'prebuilt', pattern_name: 'us_ssn', action: 'BLOCK' }] },
    },
    { guardrail_name: 'injection', litellm_params: { guardrail: 'detect_prompt_injection', mode: 'pre_call' } },
  ],
  { baseDir: process.cwd(), http: new HttpClient() },
);
const runner = new GuardrailRunner(registry, createLogger('guardrails-spec', 'silent'));

function req(mode: GuardrailsRunRequest['mode'], names: string[], texts: string[], extra: Partial<GuardrailsRunRequest> = {}): GuardrailsRunRequest {
  return { mode, guardrails: names.map((name) => ({ name })), call_type: 'acompletion', texts, request_data: { model: 'gpt-4o' }, ...extra };
}

test('sequential masking: each guardrail sees the previous one masked texts; traces per guardrail', async () => {
  const r = await runner.run(req('pre_call', ['secrets', 'pii'], ['key sk-abcdefghijklmnopqrstuvwx1234 for a@x.io', 'hi b@y.io']));
  assert.equal(r.action, 'modify');
  assert.deepEqual(r.texts, ['key [REDACTED] for <EMAIL_ADDRESS>', 'hi <EMAIL_ADDRESS_2>']);
  assert.deepEqual(r.restore, { '<EMAIL_ADDRESS>': 'a@x.io', '<EMAIL_ADDRESS_2>': 'b@y.io' });
  assert.deepEqual(r.traces.map((t) => [t.guardrail_name, t.guardrail_mode, t.guardrail_status, t.masked_entity_count]), [
    ['secrets', 'pre_call', 'success', { openai_api_key: 1 }],
    ['pii', 'pre_call', 'success', { EMAIL_ADDRESS: 2 }],
  ]);
  for (const t of r.traces) {
    assert.ok(t.end_time >= t.start_time && t.duration >= 0 && t.duration < 5);
    assert.ok(!JSON.stringify(t).includes('a@x.io'), 'traces never carry the originals');
  }
});

test('the first block stops the run; the message names the guardrail and the detail', async () => {
  const r = await runner.run(req('pre_call', ['no-ssn', 'injection', 'pii'], ['ssn 123-45-6789']));
  assert.equal(r.action, 'block');
  assert.deepEqual(r.block, { guardrail_name: 'no-ssn', reason: 'guardrail_intervened', message: 'Violated guardrail policy. Guardrail: no-ssn. Content blocked: us_ssn pattern detected' });
  assert.deepEqual(r.traces.map((t) => t.guardrail_status), ['guardrail_intervened']);
});

test('during_call blocks but never masks; logging_only masks but never blocks', async () => {
  const during = await runner.run(req('during_call', ['pii', 'no-ssn'], ['a@x.io 123-45-6789']));
  assert.equal(during.action, 'block');
  assert.equal(during.traces[0].masked_entity_count.EMAIL_ADDRESS, 1);
  const duringClean = await runner.run(req('during_call', ['pii'], ['a@x.io']));
  assert.equal(duringClean.action, 'allow');
  assert.equal(duringClean.texts, undefined);

  const logged = await runner.run(req('logging_only', ['no-ssn', 'pii'], ['a@x.io 123-45-6789']));
  assert.equal(logged.action, 'modify');
  assert.deepEqual(logged.texts, ['<EMAIL_ADDRESS> <US_SSN>']);
  assert.deepEqual(logged.traces.map((t) => t.guardrail_status), ['guardrail_intervened', 'success']);
});

test('guardrails not configured for the mode are skipped; a clean run allows', async () => {
  const r = await runner.run(req('post_call', ['injection', 'no-ssn', 'secrets'], ['all fine']));
  assert.equal(r.action, 'allow');
  assert.deepEqual(r.traces.map((t) => t.guardrail_name), ['secrets']);
});

test('unknown guardrails and bad per-request params are BadRequest errors naming them', async () => {
  await assert.rejects(runner.run(req('pre_call', ['nope'], ['x'])), (e: TollgateError) => e.code === ErrorCode.BadRequest && /Unknown guardrail "nope"/.test(e.message));
  const bad = { ...req('pre_call', [], ['x']), guardrails: [{ name: 'pii', params: { presidio_score_threshold: 'high' } }] };
  await assert.rejects(runner.run(bad), (e: TollgateError) => e.status === 400 && /parameter "presidio_score_threshold"/.test(e.message));
  await assert.rejects(runner.run({ ...req('pre_call', [], ['x']), mode: 'whenever' as never }), /unknown mode/);
});
