import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chatChunks, embeddings, embeddingVector, mockResponseError, speechWav } from './mock-responses';

test('mock streams come in 3-character chunks, then a stop chunk, then usage only if asked', () => {
  const usage = { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 };
  const chunks = chatChunks('m', 'abcdefg', true, usage).map((c) => JSON.parse(c));
  assert.deepEqual(chunks.slice(0, 3).map((c) => c.choices[0].delta.content), ['abc', 'def', 'g']);
  assert.equal(chunks[0].choices[0].delta.role, 'assistant');
  assert.equal(chunks[3].choices[0].finish_reason, 'stop');
  assert.deepEqual(chunks[4].usage, usage);
  assert.deepEqual(chunks[4].choices, []);
  assert.equal(chatChunks('m', 'abc', false, usage).length, 2);
  assert.ok(chunks.every((c) => c.id === chunks[0].id));
});

test('LiteLLM\'s special mock strings become 429 / 400 / 500 errors naming the model group', () => {
  assert.equal(mockResponseError('litellm.RateLimitError', 'g')?.status, 429);
  assert.equal(mockResponseError('litellm.ContextWindowExceededError', 'g')?.status, 400);
  assert.equal(mockResponseError('litellm.InternalServerError', 'g')?.status, 500);
  assert.match(mockResponseError('litellm.RateLimitError', 'grp')!.message, /Received Model Group=grp/);
  assert.equal(mockResponseError('just text', 'g'), undefined);
});

test('mock embeddings are deterministic unit vectors of the asked size', () => {
  const a = embeddingVector('hello', 64);
  assert.equal(a.length, 64);
  assert.deepEqual(a, embeddingVector('hello', 64));
  assert.notDeepEqual(a, embeddingVector('hellp', 64));
  assert.ok(Math.abs(a.reduce((s, v) => s + v * v, 0) - 1) < 1e-9);
});

test('mock speech is a well-formed WAV file', () => {
  const wav = speechWav('one two three');
  assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
  assert.equal(wav.toString('ascii', 8, 12), 'WAVE');
  assert.equal(wav.readUInt32LE(4), wav.length - 8);
  assert.equal(wav.readUInt32LE(40), wav.length - 44);
});

test('embeddings honour encoding_format base64 (float32 little-endian), as the openai client asks by default', () => {
  const f = embeddings('m', ['abc'], 16).body.data as { embedding: number[] }[];
  const b = embeddings('m', ['abc'], 16, 'base64').body.data as { embedding: string }[];
  const buf = Buffer.from(b[0].embedding, 'base64');
  assert.equal(buf.length, 16 * 4);
  for (let i = 0; i < 16; i++) assert.ok(Math.abs(buf.readFloatLE(i * 4) - f[0].embedding[i]) < 1e-6);
});
