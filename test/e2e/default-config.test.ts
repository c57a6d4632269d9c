import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { RunningSystem, startSystem, testNamespace } from '@tollgate/testing';
import { deleteStreams, dropDatabase, eventually } from './support';

/** What a new user gets from `npm ci && npm start`: no config file, no master key, no provider key. */
const ns = testNamespace('default');
const db = `tollgate_${ns}`;
let sys: RunningSystem;

before(async () => {
  const env: Record<string, string> = { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`, TOLLGATE_CONFIG: '', TOLLGATE_MASTER_KEY: '', LITELLM_MASTER_KEY: '' };
  sys = await startSystem({ namespace: ns, env });
});

after(async () => {
  await sys?.stop();
  await deleteStreams(ns).catch(() => undefined);
  await dropDatabase(db).catch(() => undefined);
});

test('the built-in config answers the openai client: chat, stream, embedding, models, speech; and logs the spend', async () => {
  const client = new OpenAI({ baseURL: `${sys.url}/v1`, apiKey: 'sk-anything', maxRetries: 0 });
  const chat = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }] }, { headers: { 'x-litellm-call-id': `default-${ns}` } });
  assert.match(chat.choices[0].message.content ?? '', /mock model gpt-4o-mini.*Hello!/);
  assert.ok(chat.usage && chat.usage.total_tokens > 0);
  let streamed = '';
  for await (const c of await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'stream' }], stream: true })) streamed += c.choices[0]?.delta?.content ?? '';
  assert.match(streamed, /You said: stream/);
  const emb = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hi' });
  assert.equal(emb.data[0].embedding.length, 1536, 'default dimensions of text-embedding-3-small, decoded from base64');
  const norm = Math.sqrt(emb.data[0].embedding.reduce((s, v) => s + v * v, 0));
  assert.ok(Math.abs(norm - 1) < 1e-4, 'a unit vector');
  const ids = (await client.models.list()).data.map((m) => m.id);
  assert.deepEqual(ids, ['gpt-4o-mini', 'gpt-4o', 'gpt-3.5-turbo-instruct', 'text-embedding-3-small', 'tts-1']);
  const audio = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hello world' });
  assert.equal(Buffer.from(await audio.arrayBuffer()).toString('ascii', 0, 4), 'RIFF');
  const row = await eventually(async () => {
    const rows = (await (await fetch(`${sys.url}/spend/logs?request_id=default-${ns}`)).json()) as any[];
    return rows[0];
  }, 15_000, 'the spend row');
  assert.ok(row.spend > 0, 'the mock model is priced as gpt-4o-mini');
  assert.equal(row.model_group, 'gpt-4o-mini');
});
