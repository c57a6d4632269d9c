import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restorePii } from '@tollgate/contracts';
import { presidioCheck } from './presidio.check';
import { build, runCheck } from './spec-helpers';

const CASES: [string, string][] = [
  ['EMAIL_ADDRESS', 'mail jane@example.com now'],
  ['PHONE_NUMBER', 'phone +44 20 7946 0958 now'],
  ['CREDIT_CARD', 'card 4012888888881881 now'],
  ['IBAN_CODE', 'iban GB82 WEST 1234 5698 7654 32 now'],
  ['US_SSN', 'ssn 078-05-1120 now'],
  ['IP_ADDRESS', 'ip 10.0.0.12 now'],
  ['URL', 'see https://example.com/a?b=c now'],
];

for (const [entity, text] of CASES) {
  test(`built-in recognizer ${entity} masks as <${entity}>`, async () => {
    const check = build(presidioCheck, {});
    const r = await runCheck(check, [text]);
    assert.equal(r.action, 'modify', text);
    if (r.action !== 'modify') return;
    assert.equal(r.texts[0].replace(/^\S+ /, ''), `<${entity}> now`);
    assert.deepEqual(r.maskedEntityCount, { [entity]: 1 });
    assert.equal(r.restore, undefined);
  });
}

test('a number failing Luhn is not a CREDIT_CARD', async () => {
  const r = await runCheck(build(presidioCheck, { pii_entities_config: { CREDIT_CARD: 'BLOCK' } }), ['card 4012888888881882']);
  assert.equal(r.action, 'allow');
});

test('pii_entities_config: BLOCK blocks naming the entity, unlisted entities are left alone', async () => {
  const check = build(presidioCheck, { pii_entities_config: { EMAIL_ADDRESS: 'MASK', CREDIT_CARD: 'BLOCK' } });
  const blocked = await runCheck(check, ['a@b.io', 'pay with 4111-1111-1111-1111']);
  assert.equal(blocked.action, 'block');
  assert.match(blocked.action === 'block' ? blocked.detail : '', /^Blocked entity detected: CREDIT_CARD/);
  const masked = await runCheck(check, ['a@b.io from 10.0.0.1']);
  assert.equal(masked.action === 'modify' && masked.texts[0], '<EMAIL_ADDRESS> from 10.0.0.1');
});

test('without output_parse_pii every value of a type is <TYPE> (Presidio replace), and no restore map', async () => {
  const r = await runCheck(build(presidioCheck, {}), ['a@x.io, b@y.io', 'again a@x.io']);
  assert.equal(r.action, 'modify');
  if (r.action !== 'modify') return;
  assert.deepEqual(r.texts, ['<EMAIL_ADDRESS>, <EMAIL_ADDRESS>', 'again <EMAIL_ADDRESS>']);
  assert.deepEqual(r.maskedEntityCount, { EMAIL_ADDRESS: 3 });
  assert.equal(r.restore, undefined);
});

test('output_parse_pii: distinct values get numbered placeholders across texts, and the restore map brings them back', async () => {
  const r = await runCheck(build(presidioCheck, { output_parse_pii: true }), ['a@x.io, b@y.io', 'again a@x.io, call 415-555-2671']);
  assert.equal(r.action, 'modify');
  if (r.action !== 'modify') return;
  assert.deepEqual(r.texts, ['<EMAIL_ADDRESS>, <EMAIL_ADDRESS_2>', 'again <EMAIL_ADDRESS>, call <PHONE_NUMBER>']);
  assert.deepEqual(r.restore, { '<EMAIL_ADDRESS>': 'a@x.io', '<EMAIL_ADDRESS_2>': 'b@y.io', '<PHONE_NUMBER>': '415-555-2671' });
  const answer = 'I will write to <EMAIL_ADDRESS_2> and cc <EMAIL_ADDRESS>, then call <PHONE_NUMBER>.';
  assert.equal(restorePii(answer, r.restore), 'I will write to b@y.io and cc a@x.io, then call 415-555-2671.');
});

test('presidio_filter_scope: input checks only requests, output only answers', async () => {
  const input = build(presidioCheck, { presidio_filter_scope: 'input' });
  assert.equal((await runCheck(input, ['a@x.io'], { mode: 'post_call' })).action, 'allow');
  assert.equal((await runCheck(input, ['a@x.io'], { mode: 'pre_call' })).action, 'modify');
  const output = build(presidioCheck, { presidio_filter_scope: 'output' });
  assert.equal((await runCheck(output, ['a@x.io'], { mode: 'pre_call' })).action, 'allow');
  assert.equal((await runCheck(output, ['a@x.io'], { mode: 'post_call' })).action, 'modify');
});

test('bad pii_entities_config action is a config error', () => {
  assert.throws(() => build(presidioCheck, { pii_entities_config: { EMAIL_ADDRESS: 'HIDE' } }), /pii_entities_config\.EMAIL_ADDRESS must be MASK or BLOCK/);
});
