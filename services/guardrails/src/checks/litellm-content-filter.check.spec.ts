import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTENT_FILTER_PREBUILTS } from '@tollgate/contracts';
import { litellmContentFilterCheck } from './litellm-content-filter.check';
import { build, runCheck } from './spec-helpers';

const SAMPLES: Record<(typeof CONTENT_FILTER_PREBUILTS)[number], string> = {
  us_ssn: 'my ssn is 123-45-6789 ok',
  email: 'write to jane.doe+x@example.co.uk please',
  phone: 'call me at (415) 555-2671 tonight',
  visa: 'card 4111 1111 1111 1111 exp 12/29',
  mastercard: 'card 5555-5555-5555-4444',
  amex: 'amex 3782 822463 10005',
  iban: 'iban DE89 3704 0044 0532 0130 00 thanks',
  ipv4: 'server at 192.168.10.254 is down',
  aws_access_key: 'key AKIAIOSFODNN7EXAMPLE here',
  aws_secret_key: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  github_token: 'token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 ok',
  openai_api_key: 'use sk-proj-abcdefghijklmnopqrstuvwxyz012345 now',
};

for (const name of CONTENT_FILTER_PREBUILTS) {
  test(`prebuilt ${name}: BLOCK names the pattern, MASK writes a name-based tag`, async () => {
    const blocker = build(litellmContentFilterCheck, { patterns: [{ pattern_type: 'prebuilt', pattern_name: name, action: 'BLOCK' }] });
    const blocked = await runCheck(blocker, ['hello', SAMPLES[name]]);
    assert.equal(blocked.action, 'block');
    assert.equal(blocked.action === 'block' && blocked.detail, `Content blocked: ${name} pattern detected`);

    const masker = build(litellmContentFilterCheck, { patterns: [{ pattern_type: 'prebuilt', pattern_name: name, action: 'MASK' }] });
    const masked = await runCheck(masker, [SAMPLES[name]]);
    assert.equal(masked.action, 'modify');
    if (masked.action !== 'modify') return;
    assert.match(masked.texts[0], new RegExp(`\\[${name.toUpperCase()}_REDACTED\\]`));
    assert.deepEqual(masked.maskedEntityCount, { [name]: 1 });
  });
}

test('card numbers that fail the Luhn check are not cards', async () => {
  for (const name of ['visa', 'mastercard', 'amex'] as const) {
    const check = build(litellmContentFilterCheck, { patterns: [{ pattern_type: 'prebuilt', pattern_name: name, action: 'BLOCK' }] });
    const bad = { visa: '4111 1111 1111 1112', mastercard: '5555-5555-5555-4445', amex: '3782 822463 10006' }[name];
    assert.equal((await runCheck(check, [`card ${bad}`])).action, 'allow', name);
  }
});

test('an invalid IBAN checksum and a non-IP dotted number are ignored', async () => {
  const check = build(litellmContentFilterCheck, {
    patterns: [
      { pattern_type: 'prebuilt', pattern_name: 'iban', action: 'BLOCK' },
      { pattern_type: 'prebuilt', pattern_name: 'ipv4', action: 'BLOCK' },
    ],
  });
  assert.equal((await runCheck(check, ['DE89 3704 0044 0532 0130 01', 'version 1.2.3.4.5', '999.1.1.1'])).action, 'allow');
});

test('MASK replaces every match in every text and keeps the rest; email tag is [EMAIL_REDACTED]', async () => {
  const check = build(litellmContentFilterCheck, {
    patterns: [{ pattern_type: 'prebuilt', pattern_name: 'email', action: 'MASK' }, { pattern_type: 'prebuilt', pattern_name: 'us_ssn', action: 'MASK' }],
  });
  const r = await runCheck(check, ['a@x.io and b@y.io', 'ssn 123-45-6789', 'nothing']);
  assert.equal(r.action, 'modify');
  if (r.action !== 'modify') return;
  assert.deepEqual(r.texts, ['[EMAIL_REDACTED] and [EMAIL_REDACTED]', 'ssn [US_SSN_REDACTED]', 'nothing']);
  assert.deepEqual(r.maskedEntityCount, { email: 2, us_ssn: 1 });
});

test('blocked words: case-insensitive whole words; MASK writes [KEYWORD_REDACTED]', async () => {
  const check = build(litellmContentFilterCheck, {
    blocked_words: [{ keyword: 'Project Zeus', action: 'BLOCK' }, { keyword: 'acme', action: 'MASK', description: 'client name' }],
  });
  const blocked = await runCheck(check, ['tell me about project   zeus'.replace('   ', ' ')]);
  assert.equal(blocked.action === 'block' && blocked.detail, 'Content blocked: keyword "Project Zeus" detected');
  const masked = await runCheck(check, ['ACME owes Acme-corp; acmes stay']);
  assert.equal(masked.action === 'modify' && masked.texts[0], '[KEYWORD_REDACTED] owes [KEYWORD_REDACTED]-corp; acmes stay');
});

test('regex patterns (with a Python-style (?i) flag) use their name', async () => {
  const check = build(litellmContentFilterCheck, { patterns: [{ pattern_type: 'regex', pattern: '(?i)order-\\d{5}', name: 'order_id', action: 'MASK' }] });
  const r = await runCheck(check, ['ORDER-12345 shipped'], { mode: 'post_call' });
  assert.equal(r.action === 'modify' && r.texts[0], '[ORDER_ID_REDACTED] shipped');
});

test('BLOCK wins over MASK, and nothing found allows', async () => {
  const check = build(litellmContentFilterCheck, {
    patterns: [{ pattern_type: 'prebuilt', pattern_name: 'email', action: 'MASK' }, { pattern_type: 'prebuilt', pattern_name: 'us_ssn', action: 'BLOCK' }],
  });
  assert.equal((await runCheck(check, ['a@b.io', '123-45-6789'])).action, 'block');
  assert.equal((await runCheck(check, ['hello'])).action, 'allow');
});

test('config errors name the field', () => {
  assert.throws(() => build(litellmContentFilterCheck, {}), /blocked_words or patterns/);
  assert.throws(() => build(litellmContentFilterCheck, { patterns: [{ pattern_type: 'prebuilt', pattern_name: 'nope', action: 'BLOCK' }] }), /patterns\[0\]\.pattern_name/);
  assert.throws(() => build(litellmContentFilterCheck, { patterns: [{ pattern_type: 'regex', pattern: '(', name: 'x', action: 'BLOCK' }] }), /patterns\[0\]\.pattern is not a valid regex/);
  assert.throws(() => build(litellmContentFilterCheck, { blocked_words: [{ keyword: 'x', action: 'DROP' }] }), /blocked_words\[0\]\.action must be BLOCK or MASK/);
});
