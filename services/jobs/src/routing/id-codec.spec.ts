import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModelId, encodeModelId } from './id-codec';

test('encodes ids the way LiteLLM does (reference §6.2 examples)', () => {
  assert.equal(encodeModelId('file-abc123', 'gpt-4o-test'), 'file-bGl0ZWxsbTpmaWxlLWFiYzEyMzttb2RlbCxncHQtNG8tdGVzdA');
  assert.equal(encodeModelId('batch_xyz789', 'gpt-4o-test'), 'batch_bGl0ZWxsbTpiYXRjaF94eXo3ODk7bW9kZWwsZ3B0LTRvLXRlc3Q');
});

test('decodes its own ids and leaves plain provider ids alone', () => {
  assert.deepEqual(decodeModelId(encodeModelId('ftjob-9', 'my-model')), { providerId: 'ftjob-9', model: 'my-model' });
  assert.equal(decodeModelId('file-abc123'), undefined);
  assert.equal(decodeModelId('batch_plain'), undefined);
});
