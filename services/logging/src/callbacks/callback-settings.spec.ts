import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callbackSettingsFrom } from './callback-settings';

test('success / failure lists take LiteLLM names; `callbacks` feeds both; unknown names are set aside', () => {
  const s = callbackSettingsFrom({
    success_callback: ['generic_api', 'langfuse'],
    failure_callback: 'datadog',
    callbacks: ['otel', 'my_module.MyHandler', 7],
  });
  assert.deepEqual(s.success, ['generic_api', 'otel']);
  assert.deepEqual(s.failure, ['datadog', 'otel']);
  assert.deepEqual(s.unsupported, ['langfuse', 'my_module.MyHandler']);
  assert.equal(s.turnOffMessageLogging, false);
  assert.deepEqual(callbackSettingsFrom(undefined), { success: [], failure: [], unsupported: [], turnOffMessageLogging: false });
});
