import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeGuardrailConfig, parseRequestedGuardrails, validateDynamicParams } from './guardrail-spec';
import { restorePii } from './pii-restore';

const config = [
  { guardrail_name: 'pii-guard', litellm_params: { guardrail: 'presidio', mode: 'pre_call', default_on: true } },
  {
    guardrail_name: 'ext',
    litellm_params: { guardrail: 'generic_guardrail_api', mode: ['PRE_CALL', 'post_call'], api_base: 'http://x', api_key: 'secret', fail_open: true, timeout: 0.5 },
    guardrail_info: { params: [{ name: 'success_threshold', type: 'float' }, { name: 'strict', type: 'bool' }] },
  },
  { guardrail_name: 'mine', litellm_params: { guardrail: './guards/mine.js:Mine', mode: 'post_call' } },
];

test('normalizeGuardrailConfig: modes lower-cased and listed, defaults, timeouts, no secrets', () => {
  const [a, b, c] = normalizeGuardrailConfig(config);
  assert.deepEqual(a, {
    name: 'pii-guard', check: 'presidio', custom: false, modes: ['pre_call'], default_on: true, fail_open: false, timeout_ms: 5000,
    dynamic_params: a.dynamic_params,
  });
  assert.deepEqual(a.dynamic_params?.map((p) => p.name), ['presidio_language', 'presidio_score_threshold']);
  assert.deepEqual(b.modes, ['pre_call', 'post_call']);
  assert.equal(b.fail_open, true);
  assert.equal(b.timeout_ms, 500);
  assert.deepEqual(b.dynamic_params?.map((p) => [p.name, p.type]), [['success_threshold', 'float'], ['strict', 'boolean']]);
  assert.equal(c.custom, true);
  assert.equal(c.dynamic_params, null);
  assert.ok(!JSON.stringify([a, b, c]).includes('secret'));
});

test('normalizeGuardrailConfig: errors name the entry and field', () => {
  const bad = (entry: unknown): RegExp | void => assert.throws(() => normalizeGuardrailConfig([entry]));
  bad({ litellm_params: { guardrail: 'presidio', mode: 'pre_call' } });
  assert.throws(() => normalizeGuardrailConfig([{ guardrail_name: 'g', litellm_params: { guardrail: 'nope', mode: 'pre_call' } }]), /guardrails\[0\] \(g\)\.litellm_params\.guardrail: unknown guardrail type "nope"/);
  assert.throws(() => normalizeGuardrailConfig([{ guardrail_name: 'g', litellm_params: { guardrail: 'presidio', mode: 'sometimes' } }]), /mode: unsupported mode "sometimes"/);
  assert.throws(() => normalizeGuardrailConfig([{ guardrail_name: 'g', litellm_params: { guardrail: 'presidio' } }]), /mode is required/);
  assert.throws(() => normalizeGuardrailConfig([{ guardrail_name: 'g', litellm_params: { guardrail: 'presidio', mode: 'pre_call', output_parse_pii: 'yes' } }]), /output_parse_pii must be a boolean/);
  assert.throws(() => normalizeGuardrailConfig([config[0], config[0]]), /duplicate guardrail_name/);
});

test('validateDynamicParams: declared params pass, unknown or ill-typed ones are named', () => {
  const [pii, ext, mine] = normalizeGuardrailConfig(config);
  assert.equal(validateDynamicParams(ext, { success_threshold: 0.8, strict: true }), null);
  assert.equal(validateDynamicParams(ext, undefined), null);
  assert.equal(validateDynamicParams(ext, { success_threshold: 'high' }), 'guardrail "ext": parameter "success_threshold" must be a number (got string)');
  assert.equal(validateDynamicParams(ext, { nope: 1 }), 'guardrail "ext": unknown parameter "nope" (accepted: success_threshold, strict)');
  assert.equal(validateDynamicParams(pii, { presidio_score_threshold: 2 }), 'guardrail "pii-guard": parameter "presidio_score_threshold" must be a number between 0 and 1');
  assert.equal(validateDynamicParams(pii, { api_base: 'http://evil' }), 'guardrail "pii-guard": unknown parameter "api_base" (accepted: presidio_language, presidio_score_threshold)');
  assert.equal(validateDynamicParams(pii, [1]), 'guardrail "pii-guard": params must be an object');
  assert.equal(validateDynamicParams(mine, { anything: 1 }), null, 'custom modules are validated by the service');
});

test('parseRequestedGuardrails: every LiteLLM form', () => {
  assert.deepEqual(parseRequestedGuardrails(['a', 'b']), [{ name: 'a' }, { name: 'b' }]);
  assert.deepEqual(parseRequestedGuardrails([{ 'pii-guard': { extra_body: { success_threshold: 0.8 } } }, 'b']), [
    { name: 'pii-guard', params: { success_threshold: 0.8 } },
    { name: 'b' },
  ]);
  assert.deepEqual(parseRequestedGuardrails({ a: {} }), [{ name: 'a' }]);
  assert.equal(typeof parseRequestedGuardrails('a'), 'string');
  assert.equal(typeof parseRequestedGuardrails([{ a: { extra_body: 3 } }]), 'string');
});

test('restorePii: one pass, longer placeholders first, unknown text untouched', () => {
  const map = { '<EMAIL_ADDRESS>': 'a@x.io', '<EMAIL_ADDRESS_2>': '<EMAIL_ADDRESS>@weird' };
  assert.equal(restorePii('<EMAIL_ADDRESS_2> / <EMAIL_ADDRESS> / <PERSON>', map), '<EMAIL_ADDRESS>@weird / a@x.io / <PERSON>');
  assert.equal(restorePii('x', undefined), 'x');
});
