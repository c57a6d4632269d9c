import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import { MockUpstream, RunningSystem, startMockUpstream, startSystem, testNamespace, writeTempConfig } from '@tollgate/testing';
import { deleteStreams, dropDatabase, eventually } from './support';

const MASTER = 'sk-e2e-master-key-0123456789';
const UPSTREAM_KEY = 'sk-upstream-secret-abcdef';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let up: MockUpstream;
let sys: RunningSystem;
let client: OpenAI;
const ns = testNamespace('gw');
const db = `tollgate_${ns}`;

function config(u: string): string {
  const openai = (name: string, model: string, extra = '') =>
    `  - model_name: ${name}\n    litellm_params:\n      model: openai/${model}\n      api_base: ${u}/v1\n      api_key: ${UPSTREAM_KEY}\n${extra}`;
  return `model_list:
${openai('gpt-4o', 'gpt-4o', '    model_info:\n      id: openai-gpt-4o\n')}
${openai('gpt-3.5-turbo-instruct', 'gpt-3.5-turbo-instruct')}
${openai('text-embedding-3-small', 'text-embedding-3-small')}
${openai('tts-1', 'tts-1')}
${openai('broken-429', 'mock-error-429')}
${openai('broken-500', 'mock-error-500')}
${openai('broken-400', 'mock-error-400')}
${openai('slow', 'gpt-4o', '      timeout: 0.3\n      extra_headers:\n        x-mock-delay-ms: "3000"\n')}
${openai('cut-stream', 'gpt-4o', '      extra_headers:\n        x-mock-stream-error: after-2\n')}
  - model_name: down
    litellm_params:
      model: openai/gpt-4o
      api_base: http://127.0.0.1:1/v1
      api_key: ${UPSTREAM_KEY}
  - model_name: claude
    litellm_params:
      model: anthropic/claude-sonnet-4-5-20250929
      api_base: ${u}
      api_key: ${UPSTREAM_KEY}
  - model_name: azure-gpt
    litellm_params:
      model: azure/gpt4o-deploy
      api_base: ${u}
      api_version: "2024-06-01"
      api_key: ${UPSTREAM_KEY}
  - model_name: or-o1
    litellm_params:
      model: openrouter/openai/o1
      api_base: ${u}/v1
      api_key: ${UPSTREAM_KEY}
general_settings:
  master_key: ${MASTER}
  max_request_size_mb: 0.01
`;
}

async function post(path: string, body: string | object, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers; text: string }> {
  const res = await fetch(`${sys.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, headers: res.headers, text };
}

function assertOpenAIError(r: { status: number; json: any; text: string }, status: number, message: RegExp): void {
  assert.equal(r.status, status, r.text);
  assert.deepEqual(Object.keys(r.json.error).sort(), ['code', 'message', 'param', 'type']);
  assert.equal(r.json.error.code, String(status));
  assert.match(r.json.error.message, message);
  assert.ok(!r.text.includes(UPSTREAM_KEY) && !r.text.includes(MASTER), 'an error body must never carry a secret');
  assert.ok(!/\bat .+\(.+:\d+:\d+\)/.test(r.text), 'no stack trace');
}

before(async () => {
  up = await startMockUpstream({ apiKey: UPSTREAM_KEY, azureDeployments: ['gpt4o-deploy'] });
  sys = await startSystem({ namespace: ns, env: { TOLLGATE_CONFIG: writeTempConfig(config(up.url)), DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}` } });
  client = new OpenAI({ baseURL: `${sys.url}/v1`, apiKey: MASTER, maxRetries: 0 });
});

after(async () => {
  await sys?.stop();
  await up?.close();
  await deleteStreams(ns).catch(() => undefined);
  await dropDatabase(db).catch(() => undefined);
});

describe('OpenAI client through the gateway', () => {
  test('chat completion with LiteLLM response headers and a cost', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello gateway' }] })
      .withResponse();
    assert.equal(data.object, 'chat.completion');
    assert.match(data.choices[0].message.content ?? '', /hello gateway/);
    assert.ok(data.usage && data.usage.total_tokens > 0);
    const h = response.headers;
    assert.match(h.get('x-litellm-call-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(h.get('x-litellm-model-id'), 'openai-gpt-4o');
    assert.equal(h.get('x-litellm-model-api-base'), `${up.url}/v1`);
    assert.ok(Number(h.get('x-litellm-response-cost')) > 0, 'gpt-4o is priced');
    assert.ok(Number(h.get('x-litellm-response-duration-ms')) >= Number(h.get('x-litellm-overhead-duration-ms')));
    const sent = up.requests.at(-1)!;
    assert.equal(sent.path, '/v1/chat/completions');
    assert.equal(sent.headers.authorization, `Bearer ${UPSTREAM_KEY}`);
    assert.equal((sent.body as { model: string }).model, 'gpt-4o');
  });

  test('streamed chat arrives chunk by chunk and ends with usage when asked', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'stream please' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const c of stream) {
      chunks++;
      text += c.choices[0]?.delta?.content ?? '';
      if (c.usage) usage = c.usage;
    }
    assert.ok(chunks > 2);
    assert.match(text, /stream please/);
    assert.ok(usage && usage.completion_tokens > 0);
    const noUsage = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'again' }], stream: true });
    for await (const c of noUsage) assert.equal(c.usage ?? undefined, undefined, 'usage only when the client asked for it');
  });

  test('embeddings, text completions, speech and the model list', async () => {
    const emb = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    assert.equal(emb.data.length, 2);
    assert.equal(emb.data[0].embedding.length, 8, 'the mock upstream answers 8 dimensions; base64 decoded by the client');
    const comp = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say this is a test' });
    assert.equal(comp.object, 'text_completion');
    assert.ok(comp.choices[0].text.length > 0);
    const speech = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hello there' });
    assert.ok((await speech.arrayBuffer()).byteLength > 0);
    const models = await client.models.list();
    const ids = models.data.map((m) => m.id);
    for (const m of ['gpt-4o', 'claude', 'azure-gpt', 'or-o1', 'tts-1']) assert.ok(ids.includes(m), m);
    const one = await client.models.retrieve('claude');
    assert.equal(one.id, 'claude');
    await assert.rejects(client.models.retrieve('nope'), (e: { status?: number }) => e.status === 404);
  });

  test('Anthropic is translated both ways, streaming too', async () => {
    const r = await client.chat.completions.create({ model: 'claude', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi claude' }] });
    assert.match(r.choices[0].message.content ?? '', /hi claude/);
    assert.equal(r.choices[0].finish_reason, 'stop');
    const sent = up.requests.at(-1)!;
    assert.equal(sent.path, '/v1/messages');
    assert.equal(sent.headers['x-api-key'], UPSTREAM_KEY);
    assert.equal((sent.body as { system: unknown }).system, 'be brief');
    const stream = await client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'stream claude' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const c of stream) {
      text += c.choices[0]?.delta?.content ?? '';
      if (c.usage) usage = c.usage;
    }
    assert.match(text, /stream claude/);
    assert.ok(usage && usage.prompt_tokens > 0);
  });

  test('Azure deployments and OpenRouter go to their own paths and headers', async () => {
    await client.chat.completions.create({ model: 'azure-gpt', messages: [{ role: 'user', content: 'azure' }] });
    const az = up.requests.at(-1)!;
    assert.equal(az.path, '/openai/deployments/gpt4o-deploy/chat/completions');
    assert.equal(az.query['api-version'], '2024-06-01');
    assert.equal(az.headers['api-key'], UPSTREAM_KEY);
    await client.chat.completions.create({ model: 'or-o1', messages: [{ role: 'user', content: 'router' }] });
    assert.equal((up.requests.at(-1)!.body as { model: string }).model, 'openai/o1');
  });

  test('the path model of /engines and /openai/deployments routes wins over the body', async () => {
    const r = await post('/openai/deployments/claude/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(r.status, 200, r.text);
    assert.equal(up.requests.at(-1)!.path, '/v1/messages');
  });

  test('mock_response skips the provider but is costed and logged', async () => {
    const before = up.requests.length;
    const r = await post('/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], mock_response: 'mocked!' }, { 'x-litellm-call-id': 'e2e-mock-call-1' });
    assert.equal(r.status, 200);
    assert.equal(r.json.choices[0].message.content, 'mocked!');
    assert.deepEqual(r.json.usage, { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 });
    assert.equal(up.requests.length, before, 'the provider was not called');
    assert.equal(r.headers.get('x-litellm-call-id'), 'e2e-mock-call-1');
    // gpt-4o: 10 input tokens at 2.5e-6 + 20 output tokens at 1e-5
    assert.ok(Math.abs(Number(r.headers.get('x-litellm-response-cost')) - (10 * 2.5e-6 + 20 * 1e-5)) < 1e-12);
    const s = await fetch(`${sys.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], mock_response: 'abcdefgh', stream: true }),
    });
    const sse = await s.text();
    const deltas = sse.split('\n\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)).choices[0]?.delta?.content).filter(Boolean);
    assert.deepEqual(deltas, ['abc', 'def', 'gh']);
    assert.ok(sse.trimEnd().endsWith('data: [DONE]'));
    for (const [mock, status] of [['litellm.RateLimitError', 429], ['litellm.ContextWindowExceededError', 400], ['litellm.InternalServerError', 500]] as const) {
      const e = await post('/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], mock_response: mock });
      assertOpenAIError(e, status, new RegExp(mock.replace('.', '\\.')));
    }
  });
});

describe('errors are OpenAI-shaped with the right status', () => {
  test('401 for a missing or wrong key', async () => {
    assertOpenAIError(await post('/v1/chat/completions', { model: 'gpt-4o', messages: [] }, { authorization: '' }), 401, /No api key passed in|Malformed/);
    assertOpenAIError(await post('/v1/chat/completions', { model: 'gpt-4o', messages: [] }, { authorization: 'Bearer sk-not-the-key-12345' }), 401, /Invalid proxy server token/);
    await assert.rejects(new OpenAI({ baseURL: `${sys.url}/v1`, apiKey: 'sk-wrong', maxRetries: 0 }).models.list(), (e: { status?: number }) => e.status === 401);
  });

  test('400 for malformed JSON, a missing model, bad messages and an unknown model', async () => {
    assertOpenAIError(await post('/v1/chat/completions', '{"model": "gpt-4o", '), 400, /JSON/);
    assertOpenAIError(await post('/v1/chat/completions', { messages: [] }), 400, /Missing required parameter: model/);
    assertOpenAIError(await post('/v1/chat/completions', { model: 'gpt-4o', messages: 'hi' }), 400, /messages/);
    const unknown = await post('/v1/chat/completions', { model: 'gpt-9', messages: [] });
    assertOpenAIError(unknown, 400, /gpt-9.*Available models: .*gpt-4o.*claude/);
    assert.equal(unknown.json.error.param, 'model');
  });

  test('a JSON body is read whatever its Content-Type (as LiteLLM does); an empty body is a 400', async () => {
    const form = await fetch(`${sys.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${MASTER}` },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'curl -d' }], mock_response: 'ok' }),
    });
    assert.equal(form.status, 200);
    assertOpenAIError(await post('/v1/chat/completions', ''), 400, /Request body is empty/);
  });

  test('413 for a body over general_settings.max_request_size_mb', async () => {
    assertOpenAIError(await post('/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(20_000) }] }), 413, /larger than the limit/);
  });

  test('provider 4xx pass through, 429 stays 429, 5xx becomes 502, a timeout 504, a dead upstream 502', async () => {
    const e400 = await post('/v1/chat/completions', { model: 'broken-400', messages: [{ role: 'user', content: 'x' }] });
    assertOpenAIError(e400, 400, /BadRequestError/);
    assertOpenAIError(await post('/v1/chat/completions', { model: 'broken-429', messages: [{ role: 'user', content: 'x' }] }), 429, /RateLimitError/);
    const e500 = await post('/v1/chat/completions', { model: 'broken-500', messages: [{ role: 'user', content: 'x' }] });
    assertOpenAIError(e500, 502, /InternalServerError/);
    const slow = await post('/v1/chat/completions', { model: 'slow', messages: [{ role: 'user', content: 'x' }] });
    assertOpenAIError(slow, 504, /did not answer within 300 ms/);
    const down = await post('/v1/chat/completions', { model: 'down', messages: [{ role: 'user', content: 'x' }] });
    assertOpenAIError(down, 502, /cannot reach upstream openai \(127\.0\.0\.1:1\)/);
  });

  test('an error in the middle of a stream arrives as an SSE error event', async () => {
    const res = await fetch(`${sys.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` },
      body: JSON.stringify({ model: 'cut-stream', messages: [{ role: 'user', content: 'a longer answer please so that it has chunks' }], stream: true }),
    });
    assert.equal(res.status, 200);
    const events = (await res.text()).split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => e.slice(6));
    const errorEvent = events.find((e) => e.startsWith('{"error"'));
    assert.ok(errorEvent, `an error event: ${events.join(' | ')}`);
    assert.equal(JSON.parse(errorEvent!).error.code, '502');
    assert.ok(events.indexOf(errorEvent!) >= 1, 'chunks before the error were forwarded');
  });
});

describe('spend logs', () => {
  test('every call, success or failure, can be read back from /spend/logs', async () => {
    const ok = await post('/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'log me' }], user: 'end-user-7', metadata: { tags: ['e2e'] } }, { 'x-litellm-call-id': 'e2e-spend-ok' });
    assert.equal(ok.status, 200);
    await post('/v1/chat/completions', { model: 'broken-429', messages: [{ role: 'user', content: 'x' }] }, { 'x-litellm-call-id': 'e2e-spend-fail' });
    await post('/v1/audio/speech', { model: 'tts-1', input: 'speak', voice: 'alloy' }, { 'x-litellm-call-id': 'e2e-spend-speech' });
    await post('/v1/embeddings', { model: 'text-embedding-3-small', input: 'embed me' }, { 'x-litellm-call-id': 'e2e-spend-embed' });
    const streamed = await fetch(`${sys.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}`, 'x-litellm-call-id': 'e2e-spend-stream' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'stream and log' }], stream: true }),
    });
    await streamed.text();
    const get = async (id: string) => {
      const r = await fetch(`${sys.url}/spend/logs?request_id=${id}`, { headers: { authorization: `Bearer ${MASTER}` } });
      const rows = (await r.json()) as any[];
      return rows.length ? rows[0] : undefined;
    };
    const row = await eventually(() => get('e2e-spend-ok'), 15_000, 'the spend log row');
    assert.equal(row.call_type, 'acompletion');
    assert.equal(row.model_group, 'gpt-4o');
    assert.equal(row.model_id, 'openai-gpt-4o');
    assert.equal(row.api_key, sha256(MASTER));
    assert.equal(row.status, 'success');
    assert.equal(row.end_user, 'end-user-7');
    assert.deepEqual(row.request_tags, ['e2e']);
    assert.ok(row.spend > 0 && row.total_tokens > 0 && row.prompt_tokens > 0);
    assert.equal(row.spend, Number(ok.headers.get('x-litellm-response-cost')));
    const failed = await eventually(() => get('e2e-spend-fail'), 15_000, 'the failure row');
    assert.equal(failed.status, 'failure');
    assert.equal(failed.spend, 0);
    const speech = await eventually(() => get('e2e-spend-speech'), 15_000, 'the speech row');
    assert.equal(speech.call_type, 'aspeech');
    assert.equal(speech.model_group, 'tts-1', 'model_group is present for speech calls too');
    const embed = await eventually(() => get('e2e-spend-embed'), 15_000, 'the embedding row');
    assert.equal(embed.call_type, 'aembedding');
    assert.ok(embed.prompt_tokens > 0 && embed.spend > 0);
    const stream = await eventually(() => get('e2e-spend-stream'), 15_000, 'the streamed row');
    assert.equal(stream.call_type, 'acompletion');
    assert.ok(stream.completion_tokens > 0 && stream.spend > 0, 'usage of a stream is captured even when the client did not ask for it');
    assert.ok(stream.completionStartTime && stream.completionStartTime >= stream.startTime, 'first-token time is recorded');
    const byKey = await fetch(`${sys.url}/spend/logs?api_key=${sha256(MASTER)}&start_date=2020-01-01&end_date=2100-01-01`, { headers: { authorization: `Bearer ${MASTER}` } });
    assert.ok(((await byKey.json()) as unknown[]).length >= 3);
    const noAuth = await fetch(`${sys.url}/spend/logs`);
    assert.equal(noAuth.status, 401);
    const today = new Date().toISOString().slice(0, 10);
    const admin = { headers: { authorization: `Bearer ${MASTER}` } };
    const summary = (await (await fetch(`${sys.url}/spend/logs?summarize=true&start_date=${today}&end_date=${today}`, admin)).json()) as any[];
    assert.equal(summary.length, 1);
    assert.ok(summary[0].spend > 0 && summary[0].models['gpt-4o'] > 0, JSON.stringify(summary));
    const report = (await (await fetch(`${sys.url}/global/spend/report?start_date=${today}&end_date=${today}&group_by=model`, admin)).json()) as any[];
    assert.ok(report.some((r) => r.model === 'gpt-4o' && r.total_cost > 0), JSON.stringify(report));
  });
});
