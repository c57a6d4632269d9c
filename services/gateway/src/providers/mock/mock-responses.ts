import { createHash, randomUUID } from 'node:crypto';
import { ErrorCode, TollgateError } from '@tollgate/contracts';
import { ProviderUsage } from '../provider';

/**
 * Answers made in-process: `mock_response` in a request body (LiteLLM's test hook: auth, hooks,
 * logging and costing all run, only the provider is skipped) and the built-in `mock/` provider that
 * the default config serves so a fresh checkout answers with no provider key.
 */

/** LiteLLM's DEFAULT_MOCK_RESPONSE_{PROMPT,COMPLETION}_TOKEN_COUNT */
export const MOCK_RESPONSE_USAGE: ProviderUsage = Object.freeze({ prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 });

/** rough token estimate for the built-in mock model (about 4 characters a token) */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

export function usageOf(prompt: number, completion: number): ProviderUsage {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** The special strings LiteLLM turns into errors. */
export function mockResponseError(mock: unknown, modelGroup: string): TollgateError | undefined {
  if (typeof mock !== 'string') return undefined;
  const suffix = `\nReceived Model Group=${modelGroup}\nAvailable Model Group Fallbacks=None`;
  switch (mock) {
    case 'litellm.RateLimitError':
      return new TollgateError(ErrorCode.RateLimited, `litellm.RateLimitError: this is a mock rate limit error${suffix}`, { status: 429 });
    case 'litellm.ContextWindowExceededError':
      return new TollgateError(ErrorCode.ContextWindowExceeded, `litellm.ContextWindowExceededError: this is a mock context window exceeded error${suffix}`, { status: 400 });
    case 'litellm.InternalServerError':
      return new TollgateError(ErrorCode.Internal, `litellm.InternalServerError: this is a mock internal server error${suffix}`, { status: 500 });
    default:
      return undefined;
  }
}

export function chatCompletion(model: string, text: string, n: number, usage: ProviderUsage): Record<string, unknown> {
  const choices = [];
  for (let i = 0; i < Math.max(1, n); i++) {
    choices.push({ index: i, finish_reason: 'stop', message: { role: 'assistant', content: text } });
  }
  return { id: `chatcmpl-${randomUUID()}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model, choices, usage: { ...usage } };
}

/** The chunks of a streamed mock answer: 3 characters each, as LiteLLM streams a mock. */
export function chatChunks(model: string, text: string, includeUsage: boolean, usage: ProviderUsage): string[] {
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const base = { id, object: 'chat.completion.chunk', created, model };
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 3) {
    const delta = i === 0 ? { role: 'assistant', content: text.slice(i, i + 3) } : { content: text.slice(i, i + 3) };
    out.push(JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: null }] }));
  }
  if (text.length === 0) out.push(JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }));
  out.push(JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
  if (includeUsage) out.push(JSON.stringify({ ...base, choices: [], usage: { ...usage } }));
  return out;
}

export function textCompletion(model: string, text: string, usage: ProviderUsage): Record<string, unknown> {
  return {
    id: `cmpl-${randomUUID()}`,
    object: 'text_completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, text, finish_reason: 'stop', logprobs: null }],
    usage: { ...usage },
  };
}

export function textCompletionChunks(model: string, text: string, includeUsage: boolean, usage: ProviderUsage): string[] {
  const id = `cmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 3) {
    out.push(JSON.stringify({ id, object: 'text_completion', created, model, choices: [{ index: 0, text: text.slice(i, i + 3), finish_reason: null, logprobs: null }] }));
  }
  out.push(JSON.stringify({ id, object: 'text_completion', created, model, choices: [{ index: 0, text: '', finish_reason: 'stop', logprobs: null }] }));
  if (includeUsage) out.push(JSON.stringify({ id, object: 'text_completion', created, model, choices: [], usage: { ...usage } }));
  return out;
}

/** A deterministic unit vector per input, so the same text always embeds the same way. */
export function embeddingVector(input: string, dimensions: number): number[] {
  const out: number[] = [];
  let block = 0;
  while (out.length < dimensions) {
    const digest = createHash('sha256').update(`${block++}:${input}`).digest();
    for (let i = 0; i + 1 < digest.length && out.length < dimensions; i += 2) out.push(digest.readUInt16BE(i) / 32767.5 - 1);
  }
  const norm = Math.sqrt(out.reduce((s, v) => s + v * v, 0)) || 1;
  return out.map((v) => v / norm);
}

/** OpenAI's `encoding_format: "base64"`: little-endian float32s, base64 (what the openai client asks for by default) */
function base64Floats(v: number[]): string {
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString('base64');
}

export function embeddings(model: string, inputs: string[], dimensions: number, encoding: 'float' | 'base64' = 'float'): { body: Record<string, unknown>; usage: ProviderUsage } {
  const tokens = inputs.reduce((s, t) => s + estimateTokens(t), 0);
  const usage = usageOf(tokens, 0);
  return {
    body: {
      object: 'list',
      data: inputs.map((t, index) => {
        const vector = embeddingVector(t, dimensions);
        return { object: 'embedding', index, embedding: encoding === 'base64' ? base64Floats(vector) : vector };
      }),
      model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
    usage,
  };
}

/** A valid WAV file of silence, about 60 ms per word of input (mono, 16-bit, 8 kHz). */
export function speechWav(input: string): Buffer {
  const words = Math.max(1, input.trim().split(/\s+/).length);
  const sampleRate = 8000;
  const samples = Math.min(sampleRate * 60, Math.round(words * 0.06 * sampleRate));
  const dataBytes = samples * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  return buf;
}

/** What the built-in mock model says: a fixed greeting that echoes the last user message. */
export function mockModelReply(model: string, lastUserText: string): string {
  const said = lastUserText.length > 200 ? `${lastUserText.slice(0, 200)}…` : lastUserText;
  return said ? `Hello from Tollgate's mock model ${model}. You said: ${said}` : `Hello from Tollgate's mock model ${model}.`;
}
