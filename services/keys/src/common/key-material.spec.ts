import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { TollgateError } from '@tollgate/contracts';
import { abbreviateKey, assertCustomKey, generateRawKey, hashKey, maskKey, toKeyHash } from './key-material';

test('generated keys start with sk-, carry at least 128 random bits and never repeat', () => {
  const keys = new Set(Array.from({ length: 200 }, () => generateRawKey()));
  assert.equal(keys.size, 200);
  for (const k of keys) {
    assert.match(k, /^sk-[A-Za-z0-9_-]+$/);
    // base64url: 6 bits per character
    assert.ok((k.length - 3) * 6 >= 128, k);
  }
});

test('the hash is the sha256 hex of the raw key (LiteLLM hash_token)', () => {
  assert.equal(hashKey('sk-1234'), createHash('sha256').update('sk-1234').digest('hex'));
});

test('an endpoint accepts the raw key or its hash, and refuses anything else', () => {
  const h = hashKey('sk-abc');
  assert.equal(toKeyHash('sk-abc'), h);
  assert.equal(toKeyHash(h), h);
  assert.throws(() => toKeyHash('not-a-key'), (e: TollgateError) => e.status === 400 && e.param === 'key' && !e.message.includes('not-a-key'));
});

test('key_name abbreviates and error messages mask', () => {
  assert.equal(abbreviateKey('sk-abcdefghwxyz'), 'sk-...wxyz');
  assert.equal(maskKey('sk-abcdefghwxyz'), 'sk-a****wxyz');
  assert.equal(maskKey('short'), '****');
});

test('a caller-chosen key must start with sk-', () => {
  assert.doesNotThrow(() => assertCustomKey('sk-my-own-key'));
  assert.throws(() => assertCustomKey('pk-my-own-key'), (e: TollgateError) => e.status === 400 && /must start with 'sk-'/.test(e.message));
});
