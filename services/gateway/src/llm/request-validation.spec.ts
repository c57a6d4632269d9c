import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TollgateError } from '@tollgate/contracts';
import { upstreamBody, validateRequest } from './request-validation';

function rejects(call: Parameters<typeof validateRequest>[0], body: unknown, param: string | null, pattern: RegExp): void {
  assert.throws(() => validateRequest(call, body, undefined), (e: TollgateError) => {
    assert.equal(e.status, 400);
    assert.equal(e.param, param);
    assert.match(e.message, pattern);
    return true;
  });
}

test('chat requests need a string model and an array of messages with roles', () => {
  rejects('chat', { messages: [] }, 'model', /Missing required parameter: model/);
  rejects('chat', { model: 3, messages: [] }, 'model', /Invalid type for model/);
  rejects('chat', { model: 'm' }, 'messages', /Missing required parameter: messages/);
  rejects('chat', { model: 'm', messages: 'hi' }, 'messages', /expected an array/);
  rejects('chat', { model: 'm', messages: [{ content: 'x' }] }, 'messages[0]', /string role/);
  rejects('chat', { model: 'm', messages: [], stream: 'yes' }, 'stream', /boolean/);
  rejects('chat', [1, 2], null, /JSON object/);
});

test('completion, embedding and speech check their own inputs', () => {
  rejects('completion', { model: 'm' }, 'prompt', /prompt/);
  rejects('embedding', { model: 'm', input: 5 }, 'input', /string or an array/);
  rejects('speech', { model: 'm' }, 'input', /input/);
});

test('the path model overrides the body, and stream options are read', () => {
  const r = validateRequest('chat', { model: 'body', messages: [], stream: true, stream_options: { include_usage: true } }, 'path');
  assert.equal(r.model, 'path');
  assert.equal(r.stream, true);
  assert.equal(r.includeUsage, true);
  assert.equal(validateRequest('embedding', { model: 'e', input: 'x', stream: true }, undefined).stream, false);
});

test('the upstream body drops Tollgate fields and carries the upstream model', () => {
  const b = upstreamBody({ model: 'public', messages: [], mock_response: 'x', metadata: { a: 1 }, guardrails: ['g'], api_key: 'sk-leak', temperature: 0.2 }, 'gpt-4o-2024');
  assert.deepEqual(b, { model: 'gpt-4o-2024', messages: [], temperature: 0.2 });
});
