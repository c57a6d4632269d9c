import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openaiProvider } from './openai.provider';
import { openrouterProvider } from '../openrouter/openrouter.provider';
import type { UpstreamTarget } from '../provider';

const target = (over: Partial<UpstreamTarget> = {}): UpstreamTarget => ({ provider: 'openai', model: 'gpt-4o', params: {}, ...over });
const chunk = (o: Record<string, unknown>): string => JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', ...o });

describe('openai buildRequest', () => {
  test('default base, bearer key, JSON body', () => {
    const spec = openaiProvider.buildRequest('chat', target({ apiKey: 'sk-1' }), { model: 'gpt-4o', messages: [] }, false);
    assert.equal(spec.url, 'https://api.openai.com/v1/chat/completions');
    assert.equal(spec.method, 'POST');
    assert.equal(spec.headers.authorization, 'Bearer sk-1');
    assert.equal(spec.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(spec.body), { model: 'gpt-4o', messages: [] });
  });

  test('api_base is used as written (trailing slashes dropped), path appended', () => {
    const paths = { chat: '/chat/completions', completion: '/completions', embedding: '/embeddings', speech: '/audio/speech' } as const;
    for (const [call, path] of Object.entries(paths) as Array<[keyof typeof paths, string]>) {
      assert.equal(openaiProvider.buildRequest(call, target({ apiBase: 'http://vllm:8000/v1/' }), {}, false).url, `http://vllm:8000/v1${path}`);
    }
    assert.equal(openaiProvider.buildRequest('chat', target({ apiBase: 'http://ollama:11434' }), {}, false).url, 'http://ollama:11434/chat/completions');
  });

  test('no key → no Authorization header; extra_headers are added', () => {
    const spec = openaiProvider.buildRequest('chat', target({ params: { extra_headers: { 'X-Title': 'tollgate', n: 1 } } }), {}, false);
    assert.equal(spec.headers.authorization, undefined);
    assert.equal(spec.headers['x-title'], 'tollgate');
    assert.equal(spec.headers.n, undefined);
  });

  test('streams always ask for usage, keeping the client stream_options', () => {
    const body = JSON.parse(openaiProvider.buildRequest('chat', target(), { model: 'm', stream_options: { include_obfuscation: false } }, true).body);
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_obfuscation: false, include_usage: true });
  });

  test('non-stream drops stream and stream_options; embedding and speech bodies pass through', () => {
    const chat = JSON.parse(openaiProvider.buildRequest('chat', target(), { model: 'm', stream: false, stream_options: { include_usage: true } }, false).body);
    assert.deepEqual(chat, { model: 'm' });
    const speech = { model: 'tts-1', input: 'hi', voice: 'alloy', response_format: 'wav' };
    assert.deepEqual(JSON.parse(openaiProvider.buildRequest('speech', target(), speech, false).body), speech);
  });

  test('openrouter composes openai with its own base URL', () => {
    const spec = openrouterProvider.buildRequest('chat', { provider: 'openrouter', model: 'openai/o1', apiKey: 'or-1', params: {} }, { model: 'openai/o1' }, false);
    assert.equal(spec.url, 'https://openrouter.ai/api/v1/chat/completions');
    assert.equal(spec.headers.authorization, 'Bearer or-1');
    assert.equal(JSON.parse(spec.body).model, 'openai/o1');
    assert.throws(() => openrouterProvider.buildRequest('speech', { provider: 'openrouter', model: 'x', params: {} }, {}, false), /does not support speech/);
  });
});

describe('openai mapResponse', () => {
  test('renames the model and reads cached / reasoning tokens', () => {
    const json = {
      id: 'x', object: 'chat.completion', model: 'gpt-4o-2024-08-06', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 2 } },
    };
    const mapped = openaiProvider.mapResponse('chat', json, 'my-model');
    assert.equal(mapped.body.model, 'my-model');
    assert.deepEqual(mapped.usage, { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cached_tokens: 4, reasoning_tokens: 2 });
  });

  test('embeddings usage has no completion tokens; a bad shape is an upstream error', () => {
    const mapped = openaiProvider.mapResponse('embedding', { object: 'list', data: [], usage: { prompt_tokens: 3, total_tokens: 3 } }, 'e');
    assert.deepEqual(mapped.usage, { prompt_tokens: 3, completion_tokens: 0, total_tokens: 3 });
    assert.throws(() => openaiProvider.mapResponse('chat', 'nope', 'm'), (e: Error & { status?: number }) => e.status === 502);
  });
});

describe('openai stream translator', () => {
  test('forwards chunks byte-for-byte when nothing needs changing', () => {
    const t = openaiProvider.createStreamTranslator('chat', { responseModel: 'gpt-4o', includeUsage: true });
    const data = chunk({ choices: [{ index: 0, delta: { content: 'Hel' } }], usage: null });
    assert.deepEqual(t.onEvent({ data }), [data]);
    assert.deepEqual(t.onEvent({ data: '[DONE]' }), []);
    assert.equal(t.text(), 'Hel');
  });

  test('without include_usage: strips usage and drops the usage-only chunk, but records usage', () => {
    const t = openaiProvider.createStreamTranslator('chat', { responseModel: 'gpt-4o', includeUsage: false });
    const [first] = t.onEvent({ data: chunk({ choices: [{ index: 0, delta: { content: 'a' } }], usage: null }) });
    assert.equal(first, chunk({ choices: [{ index: 0, delta: { content: 'a' } }] }));
    const usageOnly = chunk({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } });
    assert.deepEqual(t.onEvent({ data: usageOnly }), []);
    assert.deepEqual(t.usage(), { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 });
    assert.deepEqual(t.finish(), []);
  });

  test('with include_usage the usage chunk passes through', () => {
    const t = openaiProvider.createStreamTranslator('chat', { responseModel: 'gpt-4o', includeUsage: true });
    const usageOnly = chunk({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } });
    assert.deepEqual(t.onEvent({ data: usageOnly }), [usageOnly]);
  });

  test('renames the model in chunks, also when the JSON has unusual spacing', () => {
    const t = openaiProvider.createStreamTranslator('completion', { responseModel: 'public', includeUsage: false });
    const [a] = t.onEvent({ data: '{"id":"c","model":"gpt-3.5-turbo-instruct","choices":[{"index":0,"text":"x"}]}' });
    assert.equal(a, '{"id":"c","model":"public","choices":[{"index":0,"text":"x"}]}');
    const [b] = t.onEvent({ data: '{"id": "c", "model": "gpt-3.5-turbo-instruct", "choices": [{"index": 0, "text": "y"}], "usage": null}' });
    assert.deepEqual(JSON.parse(b), { id: 'c', model: 'public', choices: [{ index: 0, text: 'y' }] });
    assert.equal(t.text(), 'xy');
  });

  test('an empty-choices chunk without usage (Azure prompt filter) passes through', () => {
    const t = openaiProvider.createStreamTranslator('chat', { responseModel: '', includeUsage: false });
    const filter = JSON.stringify({ choices: [], created: 0, id: '', model: '', prompt_filter_results: [] });
    assert.deepEqual(t.onEvent({ data: filter }), [filter]);
  });

  test('an in-stream error is reported, not forwarded', () => {
    const t = openaiProvider.createStreamTranslator('chat', { responseModel: 'gpt-4o', includeUsage: false });
    assert.deepEqual(t.onEvent({ data: JSON.stringify({ error: { message: 'boom', type: 'server_error', param: null, code: null } }) }), []);
    assert.deepEqual(t.error(), { message: 'boom', type: 'server_error', param: null, code: null });
  });
});

describe('openai mapError', () => {
  test('OpenAI, Ollama, vLLM and FastAPI bodies', () => {
    assert.deepEqual(openaiProvider.mapError(400, { error: { message: 'bad', type: 'invalid_request_error', param: 'messages', code: 'invalid_value' } }), {
      message: 'bad', type: 'invalid_request_error', param: 'messages', code: 'invalid_value',
    });
    assert.deepEqual(openaiProvider.mapError(404, '{"error":"model \\"x\\" not found"}'), { message: 'model "x" not found', type: null, param: null, code: null });
    assert.deepEqual(openaiProvider.mapError(400, { object: 'error', message: 'too long', type: 'BadRequestError', param: null, code: 400 }), {
      message: 'too long', type: 'BadRequestError', param: null, code: '400',
    });
    assert.equal(openaiProvider.mapError(422, Buffer.from('{"detail":"field required"}')).message, 'field required');
  });

  test('a non-JSON body names the status and shows the start of the text', () => {
    const info = openaiProvider.mapError(502, '<html>502 Bad Gateway</html>');
    assert.equal(info.message, 'OpenAI returned HTTP 502: <html>502 Bad Gateway</html>');
    assert.equal(info.type, null);
    assert.equal(openaiProvider.mapError(503, undefined).message, 'OpenAI returned HTTP 503');
  });
});
