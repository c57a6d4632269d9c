import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TollgateError } from '@tollgate/contracts';
import { anthropicProvider } from './anthropic.provider';
import { anthropicUrl } from './anthropic.request';
import type { UpstreamTarget } from '../provider';

const target: UpstreamTarget = { provider: 'anthropic', model: 'claude-sonnet-4-5', apiKey: 'ant-key', params: {} };
const build = (body: Record<string, unknown>, stream = false): Record<string, unknown> =>
  JSON.parse(anthropicProvider.buildRequest('chat', target, { model: 'claude-sonnet-4-5', ...body }, stream).body);

describe('anthropic buildRequest', () => {
  test('URL and headers', () => {
    const spec = anthropicProvider.buildRequest('chat', target, { model: 'm', messages: [{ role: 'user', content: 'hi' }] }, false);
    assert.equal(spec.url, 'https://api.anthropic.com/v1/messages');
    assert.equal(spec.headers['x-api-key'], 'ant-key');
    assert.equal(spec.headers['anthropic-version'], '2023-06-01');
    assert.equal(anthropicUrl('http://127.0.0.1:9/'), 'http://127.0.0.1:9/v1/messages');
    assert.equal(anthropicUrl('http://proxy/anthropic/v1'), 'http://proxy/anthropic/v1/messages');
    assert.equal(anthropicUrl('http://proxy/v1/messages'), 'http://proxy/v1/messages');
  });

  test('system → system, defaults max_tokens to 4096, maps sampling params and stop', () => {
    const body = build({
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }],
      temperature: 0.2, top_p: 0.9, stop: 'END', user: 'u-1',
    }, true);
    assert.deepEqual(body, {
      model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], max_tokens: 4096,
      system: 'Be brief.', temperature: 0.2, top_p: 0.9, stop_sequences: ['END'], metadata: { user_id: 'u-1' }, stream: true,
    });
    assert.equal(build({ messages: [{ role: 'user', content: 'x' }], max_completion_tokens: 50 }).max_tokens, 50);
    assert.deepEqual(build({ messages: [{ role: 'system', content: 'a' }, { role: 'developer', content: 'b' }, { role: 'user', content: 'x' }] }).system, [
      { type: 'text', text: 'a' }, { type: 'text', text: 'b' },
    ]);
  });

  test('tools, tool_choice, assistant tool_calls and tool results', () => {
    const body = build({
      messages: [
        { role: 'user', content: 'weather in Paris and Rome?' },
        { role: 'assistant', content: null, tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ] },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'rain' }] },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
    });
    assert.deepEqual(body.tools, [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }]);
    assert.deepEqual(body.tool_choice, { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true });
    assert.deepEqual(body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'weather in Paris and Rome?' }] },
      { role: 'assistant', content: [
        { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Rome' } },
      ] },
      { role: 'user', content: [
        { type: 'tool_result', tool_use_id: 'call_1', content: 'sunny' },
        { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: 'rain' }] },
      ] },
    ]);
    assert.deepEqual(build({ messages: [{ role: 'user', content: 'x' }], tool_choice: 'required' }).tool_choice, { type: 'any' });
    assert.deepEqual(build({ messages: [{ role: 'user', content: 'x' }], tool_choice: 'auto' }).tool_choice, { type: 'auto' });
  });

  test('images: data URLs become base64 sources, http URLs url sources', () => {
    const body = build({ messages: [{ role: 'user', content: [
      { type: 'text', text: 'what is this?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
      { type: 'image_url', image_url: { url: 'https://example.test/cat.jpg' } },
    ] }] });
    assert.deepEqual((body.messages as Array<{ content: unknown[] }>)[0].content.slice(1), [
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
      { type: 'image', source: { type: 'url', url: 'https://example.test/cat.jpg' } },
    ]);
  });

  test('bad input is a 400 naming the field; other calls are refused', () => {
    assert.throws(() => build({ messages: [{ role: 'assistant', tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{oops' } }] }] }),
      (e: unknown) => e instanceof TollgateError && e.status === 400 && /arguments is not valid JSON/.test(e.message));
    assert.throws(() => build({ messages: 'hi' }), (e: unknown) => e instanceof TollgateError && e.param === 'messages');
    assert.throws(() => anthropicProvider.buildRequest('embedding', target, {}, false), /does not support embedding/);
  });
});
