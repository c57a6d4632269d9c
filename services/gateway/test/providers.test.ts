import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { countWords, mockAnswer, startMockUpstream, type MockUpstream } from '@tollgate/testing';
import { getProvider } from '../src/providers/registry';
import type { Provider, ProviderCall, StreamTranslator, UpstreamTarget } from '../src/providers/provider';
import { SseParser } from '../src/upstream/sse';

/**
 * Every provider adapter against the local mock of the providers' real HTTP APIs: the request the
 * adapter builds is sent with undici, and the answer goes back through mapResponse / the stream
 * translator, exactly as the gateway does it.
 */

type Json = Record<string, any>;
let mock: MockUpstream;
before(async () => {
  mock = await startMockUpstream();
});
after(async () => {
  await mock.close();
});

const PUBLIC_MODEL = 'public-model';
const ASK = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hi' }];
const ANSWER = mockAnswer('Say hi');
const PROMPT_TOKENS = countWords('Be brief. Say hi');
const COMPLETION_TOKENS = countWords(ANSWER);
const WEATHER_TOOL = { type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };
const WEATHER_Q = 'What is the weather in Paris?';

interface Case {
  id: string;
  target(): UpstreamTarget;
  /** what the upstream request must look like */
  path: string;
  authHeader: [string, string];
}

const CASES: Case[] = [
  { id: 'openai', target: () => ({ provider: 'openai', model: 'gpt-4o-mini', apiBase: `${mock.url}/v1`, apiKey: 'sk-test', params: {} }), path: '/v1/chat/completions', authHeader: ['authorization', 'Bearer sk-test'] },
  { id: 'openrouter', target: () => ({ provider: 'openrouter', model: 'openai/o1', apiBase: `${mock.url}/v1`, apiKey: 'or-test', params: {} }), path: '/v1/chat/completions', authHeader: ['authorization', 'Bearer or-test'] },
  { id: 'azure', target: () => ({ provider: 'azure', model: 'gpt4o-prod', apiBase: mock.url, apiKey: 'az-test', apiVersion: '2024-10-21', params: {} }), path: '/openai/deployments/gpt4o-prod/chat/completions', authHeader: ['api-key', 'az-test'] },
  { id: 'anthropic', target: () => ({ provider: 'anthropic', model: 'claude-sonnet-4-5', apiBase: mock.url, apiKey: 'ant-test', params: {} }), path: '/v1/messages', authHeader: ['x-api-key', 'ant-test'] },
];

function provider(id: string): Provider {
  const p = getProvider(id);
  assert.ok(p, `provider ${id} registered`);
  return p;
}

async function send(p: Provider, call: ProviderCall, target: UpstreamTarget, body: Json, stream: boolean, headers: Record<string, string> = {}) {
  const spec = p.buildRequest(call, target, { ...body, model: target.model }, stream);
  const res = await request(spec.url, { method: spec.method, headers: { ...spec.headers, ...headers }, body: spec.body });
  return res;
}

async function callJson(p: Provider, call: ProviderCall, target: UpstreamTarget, body: Json, headers: Record<string, string> = {}) {
  const res = await send(p, call, target, body, false, headers);
  const text = await res.body.text();
  if (res.statusCode >= 400) return { status: res.statusCode, error: p.mapError(res.statusCode, text), mapped: undefined };
  return { status: res.statusCode, error: undefined, mapped: p.mapResponse(call, JSON.parse(text), PUBLIC_MODEL) };
}

async function callStream(p: Provider, call: ProviderCall, target: UpstreamTarget, body: Json, includeUsage: boolean, headers: Record<string, string> = {}) {
  const clientBody = includeUsage ? { ...body, stream: true, stream_options: { include_usage: true } } : { ...body, stream: true };
  const res = await send(p, call, target, clientBody, true, headers);
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /text\/event-stream/);
  const translator: StreamTranslator = p.createStreamTranslator(call, { responseModel: PUBLIC_MODEL, includeUsage });
  const parser = new SseParser();
  const out: string[] = [];
  let transportError: unknown;
  try {
    for await (const bytes of res.body) for (const e of parser.push(bytes)) out.push(...translator.onEvent(e));
    for (const e of parser.end()) out.push(...translator.onEvent(e));
    out.push(...translator.finish());
  } catch (e) {
    transportError = e;
  }
  return { chunks: out.map((s) => JSON.parse(s) as Json), translator, transportError };
}

function lastRecorded(): Json {
  return mock.requests[mock.requests.length - 1] as unknown as Json;
}

/** content of choice 0 across chunks */
function streamedText(chunks: Json[]): string {
  return chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('');
}

for (const c of CASES) {
  describe(`${c.id} provider against the mock upstream`, () => {
    const p = (): Provider => provider(c.id);

    test('chat, not streamed', async () => {
      const { status, mapped } = await callJson(p(), 'chat', c.target(), { messages: ASK, temperature: 0.5 });
      assert.equal(status, 200);
      assert.ok(mapped);
      const sent = lastRecorded();
      assert.equal(sent.path, c.path);
      assert.equal(sent.headers[c.authHeader[0]], c.authHeader[1]);
      assert.equal(sent.body.temperature, 0.5);
      assert.equal(sent.body.stream, undefined);
      if (c.id === 'azure') assert.equal(sent.query['api-version'], '2024-10-21');
      if (c.id === 'anthropic') {
        assert.equal(sent.body.system, 'Be brief.');
        assert.equal(sent.body.max_tokens, 4096);
      } else {
        assert.equal(sent.body.model, c.target().model);
      }
      assert.equal(mapped.body.object, 'chat.completion');
      assert.equal(mapped.body.model, PUBLIC_MODEL);
      const choice = (mapped.body.choices as Json[])[0];
      assert.deepEqual([choice.message.role, choice.message.content, choice.finish_reason], ['assistant', ANSWER, 'stop']);
      assert.deepEqual(mapped.usage, { prompt_tokens: PROMPT_TOKENS, completion_tokens: COMPLETION_TOKENS, total_tokens: PROMPT_TOKENS + COMPLETION_TOKENS });
    });

    test('chat stream without include_usage: no usage reaches the client, spend still exact', async () => {
      const { chunks, translator } = await callStream(p(), 'chat', c.target(), { messages: ASK }, false);
      if (c.id !== 'anthropic') assert.deepEqual(lastRecorded().body.stream_options, { include_usage: true }, 'usage always asked upstream');
      assert.ok(chunks.length >= COMPLETION_TOKENS + 2, 'several chunks');
      assert.ok(chunks.every((ch) => !('usage' in ch)), 'usage stripped');
      const withChoices = chunks.filter((ch) => ch.choices.length > 0);
      assert.equal(withChoices[0].choices[0].delta.role, 'assistant');
      assert.equal(streamedText(chunks), ANSWER);
      assert.equal(translator.text(), ANSWER);
      assert.equal(withChoices[withChoices.length - 1].choices[0].finish_reason, 'stop');
      assert.ok(withChoices.every((ch) => ch.object === 'chat.completion.chunk' && ch.model === PUBLIC_MODEL));
      assert.deepEqual(translator.usage(), { prompt_tokens: PROMPT_TOKENS, completion_tokens: COMPLETION_TOKENS, total_tokens: PROMPT_TOKENS + COMPLETION_TOKENS });
    });

    test('chat stream with include_usage: a final usage chunk with no choices', async () => {
      const { chunks } = await callStream(p(), 'chat', c.target(), { messages: ASK }, true);
      const last = chunks[chunks.length - 1];
      assert.deepEqual(last.choices, []);
      assert.equal(last.usage.prompt_tokens, PROMPT_TOKENS);
      assert.equal(last.usage.completion_tokens, COMPLETION_TOKENS);
      assert.equal(last.usage.total_tokens, PROMPT_TOKENS + COMPLETION_TOKENS);
      assert.equal(streamedText(chunks), ANSWER);
    });

    test('tool call, not streamed, then the tool result goes back', async () => {
      const ask = [{ role: 'user', content: WEATHER_Q }];
      const first = await callJson(p(), 'chat', c.target(), { messages: ask, tools: [WEATHER_TOOL], tool_choice: 'auto' });
      assert.ok(first.mapped);
      const choice = (first.mapped.body.choices as Json[])[0];
      assert.equal(choice.finish_reason, 'tool_calls');
      const call = choice.message.tool_calls[0];
      assert.equal(call.type, 'function');
      assert.equal(call.function.name, 'get_weather');
      assert.deepEqual(JSON.parse(call.function.arguments), { city: WEATHER_Q });
      assert.equal(typeof call.id, 'string');
      if (c.id === 'anthropic') {
        const sent = lastRecorded().body;
        assert.deepEqual(sent.tools, [{ name: 'get_weather', description: 'Weather for a city', input_schema: WEATHER_TOOL.function.parameters }]);
        assert.deepEqual(sent.tool_choice, { type: 'auto' });
      }

      const followUp = [...ask, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: call.id, content: 'sunny 21C' }];
      const second = await callJson(p(), 'chat', c.target(), { messages: followUp, tools: [WEATHER_TOOL] });
      assert.ok(second.mapped);
      const answer = (second.mapped.body.choices as Json[])[0];
      assert.equal(answer.finish_reason, 'stop');
      assert.equal(answer.message.content, mockAnswer('sunny 21C'));
      if (c.id === 'anthropic') {
        const sent = lastRecorded().body;
        assert.deepEqual(sent.messages[1], { role: 'assistant', content: [{ type: 'tool_use', id: call.id, name: 'get_weather', input: { city: WEATHER_Q } }] });
        assert.deepEqual(sent.messages[2], { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny 21C' }] });
      }
    });

    test('tool call, streamed: id and name first, then argument pieces', async () => {
      const { chunks } = await callStream(p(), 'chat', c.target(), { messages: [{ role: 'user', content: WEATHER_Q }], tools: [WEATHER_TOOL] }, false);
      const toolDeltas = chunks.flatMap((ch) => (ch.choices[0]?.delta?.tool_calls ?? []) as Json[]);
      assert.ok(toolDeltas.length >= 3, 'arguments arrive in pieces');
      assert.equal(toolDeltas[0].function.name, 'get_weather');
      assert.equal(typeof toolDeltas[0].id, 'string');
      assert.ok(toolDeltas.every((d) => d.index === 0));
      assert.deepEqual(JSON.parse(toolDeltas.map((d) => d.function.arguments ?? '').join('')), { city: WEATHER_Q });
      const finish = chunks.map((ch) => ch.choices[0]?.finish_reason).filter(Boolean);
      assert.deepEqual(finish, ['tool_calls']);
    });

    test('upstream errors keep the provider message', async () => {
      for (const status of [400, 401, 429, 500]) {
        const { status: got, error } = await callJson(p(), 'chat', c.target(), { messages: ASK }, { 'x-mock-status': String(status) });
        assert.equal(got, status);
        assert.ok(error);
        assert.equal(error.message, EXPECTED_ERRORS[c.id][status], `${c.id} ${status}`);
      }
      const html = await callJson(p(), 'chat', c.target(), { messages: ASK }, { 'x-mock-status': '502' });
      assert.match(html.error?.message ?? '', /returned HTTP 502: <html>/);
    });

    test('a stream cut after 3 events fails the transport; an in-stream error event is reported', async () => {
      const cut = await callStream(p(), 'chat', c.target(), { messages: ASK }, false, { 'x-mock-stream-error': 'after-3' });
      assert.ok(cut.transportError, 'the body iterator throws');
      assert.ok(cut.chunks.length >= 1 && cut.chunks.length <= 3, `got ${cut.chunks.length} chunks before the cut`);
      const failed = await callStream(p(), 'chat', c.target(), { messages: ASK }, false, { 'x-mock-stream-error': 'event-after-4' });
      assert.equal(failed.transportError, undefined);
      assert.match(failed.translator.error()?.message ?? '', /mid-stream/);
    });
  });
}

const OPENAI_ERRORS: Record<number, string> = {
  400: "Invalid value for 'messages' (forced 400)",
  401: 'Incorrect API key provided (forced 401)',
  429: 'Rate limit reached for MODEL on requests per min (RPM): Limit 3, Used 3, Requested 1. (forced 429)',
  500: 'The server had an error while processing your request. Sorry about that! (forced 500)',
};
const withModel = (m: string): Record<number, string> => Object.fromEntries(Object.entries(OPENAI_ERRORS).map(([k, v]) => [k, v.replace('MODEL', m)]));
const EXPECTED_ERRORS: Record<string, Record<number, string>> = {
  openai: withModel('gpt-4o-mini'),
  openrouter: withModel('openai/o1'),
  azure: {
    400: OPENAI_ERRORS[400],
    401: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
    429: 'Requests to the ChatCompletions_Create Operation under Azure OpenAI API have exceeded token rate limit of your current pricing tier. Please retry after 1 second. (forced 429)',
    500: OPENAI_ERRORS[500],
  },
  anthropic: {
    400: 'messages: text content blocks must be non-empty (forced 400)',
    401: 'invalid x-api-key',
    429: 'Number of request tokens has exceeded your per-minute rate limit (forced 429)',
    500: 'Internal server error (forced 500)',
  },
};

describe('error details and real auth failures', () => {
  test('openai 400 keeps type, param and code', async () => {
    const c = CASES[0];
    const { error } = await callJson(provider('openai'), 'chat', c.target(), { messages: ASK }, { 'x-mock-status': '400' });
    assert.deepEqual(error, { message: OPENAI_ERRORS[400], type: 'invalid_request_error', param: 'messages', code: 'invalid_value' });
  });

  test('anthropic without a key: 401 authentication_error', async () => {
    const target = { ...CASES[3].target(), apiKey: undefined };
    const { status, error } = await callJson(provider('anthropic'), 'chat', target, { messages: ASK });
    assert.equal(status, 401);
    assert.deepEqual(error, { message: 'x-api-key header is required', type: 'authentication_error', param: null, code: null });
  });

  test('azure without a key: 401 with the Azure body (code, no type)', async () => {
    const target = { ...CASES[2].target(), apiKey: undefined };
    const { status, error } = await callJson(provider('azure'), 'chat', target, { messages: ASK });
    assert.equal(status, 401);
    assert.equal(error?.code, '401');
    assert.match(error?.message ?? '', /^Access denied/);
  });

  test('a slow upstream trips the client timeout', async () => {
    const c = CASES[0];
    const spec = provider('openai').buildRequest('chat', c.target(), { model: 'gpt-4o-mini', messages: ASK }, false);
    await assert.rejects(
      request(spec.url, { method: 'POST', headers: { ...spec.headers, 'x-mock-delay-ms': '2000' }, body: spec.body, headersTimeout: 100 }),
      (e: Error) => e.name === 'HeadersTimeoutError',
    );
  });
});

const OPENAI_LIKE: Array<[string, () => UpstreamTarget, string]> = [
  ['openai', () => CASES[0].target(), '/v1'],
  ['azure', () => CASES[2].target(), '/openai/deployments/gpt4o-prod'],
];

for (const [id, target, prefix] of OPENAI_LIKE) {
  describe(`${id}: completion, embedding and speech`, () => {
    test('text completion, not streamed and streamed', async () => {
      const { mapped } = await callJson(provider(id), 'completion', target(), { prompt: 'Once upon a time', max_tokens: 50 });
      assert.ok(mapped);
      assert.equal(lastRecorded().path, `${prefix}/completions`);
      assert.equal(mapped.body.object, 'text_completion');
      assert.equal((mapped.body.choices as Json[])[0].text, mockAnswer('Once upon a time'));
      assert.deepEqual(mapped.usage, { prompt_tokens: 4, completion_tokens: 9, total_tokens: 13 });

      const { chunks, translator } = await callStream(provider(id), 'completion', target(), { prompt: 'Once upon a time' }, false);
      assert.equal(chunks.map((ch) => ch.choices[0]?.text ?? '').join(''), mockAnswer('Once upon a time'));
      assert.equal(translator.text(), mockAnswer('Once upon a time'));
      assert.equal(translator.usage()?.total_tokens, 13);
      assert.ok(chunks.every((ch) => !('usage' in ch)));
    });

    test('max_tokens cuts the answer: finish_reason length', async () => {
      const { mapped } = await callJson(provider(id), 'chat', target(), { messages: ASK, max_tokens: 3 });
      const choice = (mapped?.body.choices as Json[])[0];
      assert.deepEqual([choice.message.content, choice.finish_reason, mapped?.usage.completion_tokens], ['Hello from mock.', 'length', 3]);
    });

    test('embeddings: one deterministic vector per input', async () => {
      const body = { input: ['red apple', 'green pear tree'], dimensions: 4 };
      const { mapped } = await callJson(provider(id), 'embedding', target(), body);
      assert.ok(mapped);
      assert.equal(lastRecorded().path, `${prefix}/embeddings`);
      assert.deepEqual(lastRecorded().body.input, body.input);
      const data = mapped.body.data as Json[];
      assert.deepEqual(data.map((d) => [d.index, d.embedding.length]), [[0, 4], [1, 4]]);
      assert.notDeepEqual(data[0].embedding, data[1].embedding);
      assert.deepEqual(mapped.usage, { prompt_tokens: 5, completion_tokens: 0, total_tokens: 5 });
      const again = await callJson(provider(id), 'embedding', target(), body);
      assert.deepEqual((again.mapped?.body.data as Json[])[0].embedding, data[0].embedding);
    });

    test('speech: body passed through, audio bytes back', async () => {
      const body = { input: 'Hello there', voice: 'alloy', response_format: 'mp3', speed: 1.25 };
      const res = await send(provider(id), 'speech', target(), body, false);
      const audio = Buffer.from(await res.body.arrayBuffer());
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'audio/mpeg');
      assert.equal(audio.subarray(0, 3).toString(), 'ID3');
      assert.ok(audio.length > 3);
      const sent = lastRecorded();
      assert.equal(sent.path, `${prefix}/audio/speech`);
      assert.deepEqual(sent.body, { ...body, model: target().model });
    });
  });
}
