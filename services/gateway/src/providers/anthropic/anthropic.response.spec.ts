import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicProvider } from './anthropic.provider';

describe('anthropic mapResponse', () => {
  test('text and tool_use blocks, stop reason, usage with cache reads', () => {
    const mapped = anthropicProvider.mapResponse('chat', {
      id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x',
      content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }],
      stop_reason: 'tool_use', usage: { input_tokens: 10, output_tokens: 7, cache_read_input_tokens: 90, cache_creation_input_tokens: 0 },
    }, 'claude');
    const choice = (mapped.body.choices as Array<Record<string, any>>)[0];
    assert.equal(mapped.body.object, 'chat.completion');
    assert.equal(mapped.body.model, 'claude');
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, 'Let me check.');
    assert.deepEqual(choice.message.tool_calls, [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }]);
    assert.deepEqual(mapped.usage, { prompt_tokens: 100, completion_tokens: 7, total_tokens: 107, cached_tokens: 90 });
    assert.deepEqual(mapped.body.usage, { prompt_tokens: 100, completion_tokens: 7, total_tokens: 107, prompt_tokens_details: { cached_tokens: 90 } });
  });

  test('stop reasons', () => {
    const reason = (stop_reason: string): unknown =>
      (anthropicProvider.mapResponse('chat', { content: [], stop_reason, usage: {} }, 'm').body.choices as Array<Record<string, unknown>>)[0].finish_reason;
    assert.equal(reason('end_turn'), 'stop');
    assert.equal(reason('stop_sequence'), 'stop');
    assert.equal(reason('max_tokens'), 'length');
    assert.equal(reason('tool_use'), 'tool_calls');
  });

  test('errors', () => {
    assert.deepEqual(anthropicProvider.mapError(429, { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }), {
      message: 'slow down', type: 'rate_limit_error', param: null, code: null,
    });
    assert.equal(anthropicProvider.mapError(502, '<html>bad gateway</html>').message, 'Anthropic returned HTTP 502: <html>bad gateway</html>');
  });
});

describe('anthropic stream translator', () => {
  const events = [
    { event: 'message_start', data: { type: 'message_start', message: { id: 'msg_9', usage: { input_tokens: 12, output_tokens: 1, cache_read_input_tokens: 3 } } } },
    { event: 'ping', data: { type: 'ping' } },
    { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
    { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Checking' } } },
    { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
    { event: 'content_block_start', data: { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: {} } } },
    { event: 'content_block_delta', data: { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city":' } } },
    { event: 'content_block_delta', data: { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } } },
    { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 20 } } },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ];

  function run(includeUsage: boolean): Array<Record<string, any>> {
    const t = anthropicProvider.createStreamTranslator('chat', { responseModel: 'claude', includeUsage });
    const out: string[] = [];
    for (const e of events) out.push(...t.onEvent({ event: e.event, data: JSON.stringify(e.data) }));
    out.push(...t.finish());
    assert.equal(t.text(), 'Checking');
    assert.deepEqual(t.usage(), { prompt_tokens: 15, completion_tokens: 20, total_tokens: 35, cached_tokens: 3 });
    return out.map((s) => JSON.parse(s));
  }

  test('chunks: role first, content, tool call pieces, finish reason', () => {
    const chunks = run(false);
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === 'msg_9' && c.model === 'claude'));
    assert.deepEqual(chunks.map((c) => c.choices[0].delta), [
      { role: 'assistant', content: '' },
      { content: 'Checking' },
      { tool_calls: [{ index: 0, id: 'toolu_9', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
      {},
    ]);
    assert.equal(chunks[5].choices[0].finish_reason, 'tool_calls');
    assert.ok(chunks.slice(0, 5).every((c) => c.choices[0].finish_reason === null));
  });

  test('a usage chunk with no choices only when the client asked', () => {
    const chunks = run(true);
    const last = chunks[chunks.length - 1];
    assert.deepEqual(last.choices, []);
    assert.deepEqual(last.usage, { prompt_tokens: 15, completion_tokens: 20, total_tokens: 35, prompt_tokens_details: { cached_tokens: 3 } });
    assert.equal(chunks.filter((c) => c.usage).length, 1, 'sent once, not again by finish()');
  });

  test('an error event is reported through error()', () => {
    const t = anthropicProvider.createStreamTranslator('chat', { responseModel: 'claude', includeUsage: false });
    assert.deepEqual(t.onEvent({ event: 'error', data: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' }), []);
    assert.deepEqual(t.error(), { message: 'Overloaded', type: 'overloaded_error', param: null, code: null });
    assert.equal(t.usage(), undefined);
  });
});
