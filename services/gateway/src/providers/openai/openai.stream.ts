import { isObject } from '../common';
import type { ProviderCall, ProviderErrorInfo, ProviderUsage, SseEvent, StreamOptions, StreamTranslator } from '../provider';
import { mapOpenAIError } from './openai.error';
import { openAIUsage } from './openai.usage';

const USAGE_NULL = '"usage":null';

/**
 * OpenAI-shaped upstream stream → client stream. This is the hot path, so a chunk's data text is
 * forwarded as it came whenever possible; it is only edited when the `model` must be renamed or
 * `usage` stripped, and then by one exact substring splice when that is provably safe (the needle
 * occurs exactly once: an unescaped `"` cannot occur inside a JSON string, so a single match is the
 * key itself), otherwise by re-serialising the parsed chunk.
 *
 * The upstream is always asked for usage (`stream_options.include_usage`), so the usage-only final
 * chunk (`choices: []` with `usage`) arrives; it is dropped, and `usage` removed from the other
 * chunks, when the client did not ask for it. Chunks with empty `choices` and no usage (Azure's
 * `prompt_filter_results`) pass through untouched. An `{"error": …}` chunk is not forwarded: it is
 * reported through `error()` so the gateway writes one OpenAI error event of its own.
 */
export class OpenAIStreamTranslator implements StreamTranslator {
  private lastUsage: ProviderUsage | undefined;
  private readonly pieces: string[] = [];
  private lastError: ProviderErrorInfo | undefined;
  private readonly modelNeedle: string;

  constructor(
    private readonly call: ProviderCall,
    private readonly opts: StreamOptions,
    private readonly label: string,
  ) {
    this.modelNeedle = `"model":${JSON.stringify(opts.responseModel)}`;
  }

  onEvent(event: SseEvent): string[] {
    const data = event.data;
    if (data === '[DONE]' || data.length === 0) return [];
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return []; // not JSON: nothing a client could use
    }
    if (!isObject(chunk)) return [];
    if (chunk.error !== undefined && chunk.error !== null) {
      this.lastError = mapOpenAIError(this.label, 500, chunk);
      return [];
    }
    const choices = chunk.choices;
    if (Array.isArray(choices)) this.collectText(choices);
    const hasUsage = isObject(chunk.usage);
    if (hasUsage) this.lastUsage = openAIUsage(chunk.usage);
    if (!this.opts.includeUsage) {
      if (hasUsage && Array.isArray(choices) && choices.length === 0) return [];
      if ('usage' in chunk) return [this.rewrite(data, chunk, true)];
    }
    return [this.rewrite(data, chunk, false)];
  }

  finish(): string[] {
    return [];
  }

  usage(): ProviderUsage | undefined {
    return this.lastUsage;
  }

  text(): string {
    return this.pieces.join('');
  }

  error(): ProviderErrorInfo | undefined {
    return this.lastError;
  }

  /** text of choice 0 (what guardrails and logs look at) */
  private collectText(choices: unknown[]): void {
    for (const choice of choices) {
      if (!isObject(choice) || (choice.index !== undefined && choice.index !== 0)) continue;
      const piece = this.call === 'completion' ? choice.text : isObject(choice.delta) ? choice.delta.content : undefined;
      if (typeof piece === 'string' && piece.length > 0) this.pieces.push(piece);
      return;
    }
  }

  private rewrite(data: string, chunk: Record<string, unknown>, stripUsage: boolean): string {
    const model = chunk.model;
    const renameModel = typeof model === 'string' && model !== this.opts.responseModel;
    if (!renameModel && !stripUsage) return data;
    let out: string | undefined = data;
    if (stripUsage) out = chunk.usage === null ? removeKeyOnce(out, USAGE_NULL) : undefined;
    if (out !== undefined && renameModel) out = spliceOnce(out, `"model":${JSON.stringify(model)}`, this.modelNeedle);
    if (out !== undefined) return out;
    if (stripUsage) delete chunk.usage;
    if (renameModel) chunk.model = this.opts.responseModel;
    return JSON.stringify(chunk);
  }
}

/** replace `needle` when it occurs exactly once, else undefined (caller re-serialises) */
function spliceOnce(text: string, needle: string, replacement: string): string | undefined {
  const at = text.indexOf(needle);
  if (at === -1 || text.indexOf(needle, at + 1) !== -1) return undefined;
  return text.slice(0, at) + replacement + text.slice(at + needle.length);
}

/** remove a `"key":value` member occurring exactly once, with its separating comma */
function removeKeyOnce(text: string, member: string): string | undefined {
  const at = text.indexOf(member);
  if (at === -1 || text.indexOf(member, at + 1) !== -1) return undefined;
  const end = at + member.length;
  if (at > 0 && text.charCodeAt(at - 1) === 44) return text.slice(0, at - 1) + text.slice(end);
  if (text.charCodeAt(end) === 44) return text.slice(0, at) + text.slice(end + 1);
  return text.slice(0, at) + text.slice(end);
}
