import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hideSecretsCheck } from './hide-secrets.check';
import { build, runCheck } from './spec-helpers';

const KEY_BLOCK = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEpAIBAAKCAQEA7bq98k', '-----END RSA PRIVATE KEY-----'].join('\n');

test('keys, tokens and private keys are masked; the text around them stays', async () => {
  const check = build(hideSecretsCheck, {});
  const texts = [
    'my key is sk-proj-abcdefghijklmnopqrstuvwxyz0123 ok',
    'aws AKIAIOSFODNN7EXAMPLE and aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    `here:\n${KEY_BLOCK}\nthanks`,
    'Authorization: Bearer abcdefghijklmnopqrstuvwxyz123456',
    'postgres://admin:hunter2secret@db.internal:5432/app',
    'password = "correct-horse-battery"',
    'github ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
    'no secrets in here, just words',
  ];
  const r = await runCheck(check, texts);
  assert.equal(r.action, 'modify');
  if (r.action !== 'modify') return;
  assert.deepEqual(r.texts, [
    'my key is [REDACTED] ok',
    'aws [REDACTED] and aws_secret_access_key=[REDACTED]',
    'here:\n[REDACTED]\nthanks',
    'Authorization: Bearer [REDACTED]',
    'postgres://admin:[REDACTED]@db.internal:5432/app',
    'password = "[REDACTED]"',
    'github [REDACTED]',
    'no secrets in here, just words',
  ]);
  assert.equal(r.maskedEntityCount?.openai_api_key, 1);
  assert.equal(r.maskedEntityCount?.private_key, 1);
  assert.equal(r.maskedEntityCount?.aws_access_key, 1);
});

test('text without secrets is allowed untouched', async () => {
  const r = await runCheck(build(hideSecretsCheck, {}), ['the task-runner printed 42 lines', 'the token budget is 5k']);
  assert.equal(r.action, 'allow');
});
