import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TollgateError } from '@tollgate/contracts';
import { AuthService, extractApiKey, sha256Hex } from './auth.service';

const auth = new AuthService('sk-master-1234');

async function fails(headers: Record<string, string>, pattern: RegExp): Promise<void> {
  await assert.rejects(auth.authenticate(headers), (e: unknown) => {
    assert.ok(e instanceof TollgateError);
    assert.equal(e.status, 401);
    assert.match(e.message, pattern);
    return true;
  });
}

test('keys are read in LiteLLM order: x-litellm-api-key, Authorization, api-key, x-api-key', () => {
  assert.equal(extractApiKey({ 'x-litellm-api-key': 'Bearer sk-a', authorization: 'Bearer sk-b' }), 'sk-a');
  assert.equal(extractApiKey({ 'x-litellm-api-key': 'sk-raw' }), 'sk-raw');
  assert.equal(extractApiKey({ authorization: 'Bearer sk-b', 'api-key': 'sk-c' }), 'sk-b');
  assert.equal(extractApiKey({ 'api-key': 'sk-c', 'x-api-key': 'sk-d' }), 'sk-c');
  assert.equal(extractApiKey({ 'x-api-key': 'sk-d' }), 'sk-d');
  assert.equal(extractApiKey({ authorization: 'Token sk-b' }), '');
  assert.equal(extractApiKey({}), undefined);
});

test('the master key is admitted from every header form, as proxy admin', async () => {
  for (const h of [{ authorization: 'Bearer sk-master-1234' }, { 'x-api-key': 'sk-master-1234' }, { 'api-key': 'sk-master-1234' }, { 'x-litellm-api-key': 'sk-master-1234' }]) {
    const a = await auth.authenticate(h);
    assert.equal(a.isAdmin, true);
    assert.equal(a.keyHash, sha256Hex('sk-master-1234'));
  }
});

test('missing, malformed and wrong keys get LiteLLM\'s 401 messages without echoing the key', async () => {
  await fails({}, /^Authentication Error, No api key passed in\.$/);
  await fails({ authorization: 'Token abc' }, /Malformed API Key passed in/);
  await fails({ authorization: 'Bearer not-a-virtual-key-xyz' }, /LiteLLM Virtual Key expected\. Received=not\.\.\.-xyz/);
  await assert.rejects(auth.authenticate({ authorization: 'Bearer sk-wrong-key-987654' }), (e: TollgateError) => {
    assert.match(e.message, /Invalid proxy server token passed/);
    assert.ok(!e.message.includes('sk-wrong-key-987654'), 'the raw key must not be echoed');
    assert.ok(e.message.includes(sha256Hex('sk-wrong-key-987654')));
    return true;
  });
  // a prefix of the master key is not the master key
  await fails({ authorization: 'Bearer sk-master-123' }, /Invalid proxy server token/);
});

test('without a master key every request is admitted as admin', async () => {
  const open = new AuthService(undefined);
  assert.equal(open.enabled, false);
  assert.equal((await open.authenticate({})).isAdmin, true);
});
