/**
 * The mock upstream's deterministic "model": what it answers and how it counts tokens, exported so
 * tests can compute the values they expect instead of hard-coding them.
 *
 * - a token is a whitespace-separated word (prompt: the words of every text in the request);
 * - the answer is `Hello from mock. You said: <last user or tool text>` (or the `reply` option);
 * - a streamed answer is one chunk per word, so completion tokens = chunks = words;
 * - a tool call's arguments are streamed in pieces of 10 characters, and cost 1 token for the call
 *   plus one per piece.
 */

export function words(text: string): string[] {
  const out: string[] = [];
  for (const w of text.split(/\s+/)) if (w.length > 0) out.push(w);
  return out;
}

export function countWords(text: string): number {
  return words(text).length;
}

export function mockAnswer(lastText: string, reply?: string): string {
  const text = reply ?? (lastText.trim().length > 0 ? `Hello from mock. You said: ${lastText}` : 'Hello from mock.');
  return words(text).join(' ');
}

/** the stream pieces of an answer: the first word, then ` word` for each next one */
export function answerPieces(answer: string, maxTokens?: number): { pieces: string[]; truncated: boolean } {
  const all = words(answer);
  const limit = typeof maxTokens === 'number' && maxTokens >= 0 ? Math.floor(maxTokens) : all.length;
  const kept = all.slice(0, limit);
  return { pieces: kept.map((w, i) => (i === 0 ? w : ` ${w}`)), truncated: kept.length < all.length };
}

export const TOOL_ARGUMENT_PIECE = 10;

export function splitArguments(args: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < args.length; i += TOOL_ARGUMENT_PIECE) pieces.push(args.slice(i, i + TOOL_ARGUMENT_PIECE));
  return pieces;
}

export function toolCallTokens(args: string): number {
  return 1 + splitArguments(args).length;
}

/** Arguments that fit the tool's JSON schema: strings get the user's text, numbers 42, booleans true. */
export function mockToolArguments(schema: unknown, lastText: string): string {
  const args: Record<string, unknown> = {};
  const props = isRecord(schema) && isRecord(schema.properties) ? schema.properties : {};
  for (const [name, prop] of Object.entries(props)) {
    const type = isRecord(prop) ? prop.type : undefined;
    if (type === 'number' || type === 'integer') args[name] = 42;
    else if (type === 'boolean') args[name] = true;
    else if (type === 'array') args[name] = [];
    else if (type === 'object') args[name] = {};
    else args[name] = lastText;
  }
  return JSON.stringify(args);
}

/** text of an OpenAI or Anthropic content value (string, or an array of parts / blocks) */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (typeof part.text === 'string') texts.push(part.text);
    else if (part.type === 'tool_result') texts.push(contentText(part.content));
    else if (part.type === 'tool_use') texts.push(JSON.stringify(part.input ?? {}));
  }
  return texts.join(' ');
}

/** a deterministic vector in [-1, 1] for a text (FNV-1a seed, xorshift32 stream) */
export function mockEmbedding(text: string, dimensions: number): number[] {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let x = h || 1;
  const out: number[] = [];
  for (let j = 0; j < dimensions; j++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.push(Math.round(((x / 0xffffffff) * 2 - 1) * 1e6) / 1e6);
  }
  return out;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
