import { isObject, nowSeconds, type Json } from '../common';
import type { ProviderErrorInfo, ProviderUsage, SseEvent, StreamOptions, StreamTranslator } from '../provider';
import { mapAnthropicError } from './anthropic.error';
import { anthropicUsage, finishReason, openAIUsageBody } from './anthropic.response';

/**
 * Anthropic Messages SSE → OpenAI `chat.completion.chunk` texts.
 *
 * message_start → first chunk (delta.role "assistant"); text_delta → delta.content;
 * content_block_start tool_use → delta.tool_calls[{index, id, type, function:{name, arguments:""}}];
 * input_json_delta → delta.tool_calls[{index, function:{arguments: piece}}]; message_delta → the
 * chunk with finish_reason; message_stop → the usage chunk (choices []) when the client asked for
 * usage. ping is ignored; an error event is reported through `error()`.
 */
export class AnthropicStreamTranslator implements StreamTranslator {
  private id = 'chatcmpl-anthropic';
  private readonly created = nowSeconds();
  private readonly pieces: string[] = [];
  /** Anthropic content block index → OpenAI tool_calls index */
  private readonly toolIndex = new Map<number, number>();
  private inputUsage: Json | undefined;
  private outputTokens = 0;
  private sawUsage = false;
  private usageSent = false;
  private lastError: ProviderErrorInfo | undefined;

  constructor(private readonly opts: StreamOptions) {}

  onEvent(event: SseEvent): string[] {
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      return [];
    }
    if (!isObject(data)) return [];
    switch (data.type ?? event.event) {
      case 'message_start':
        return this.onMessageStart(data.message);
      case 'content_block_start':
        return this.onBlockStart(data);
      case 'content_block_delta':
        return this.onBlockDelta(data);
      case 'message_delta':
        return this.onMessageDelta(data);
      case 'message_stop':
        return this.usageChunk();
      case 'error':
        this.lastError = mapAnthropicError(500, data);
        return [];
      default:
        return []; // ping, content_block_stop, and event types added later
    }
  }

  finish(): string[] {
    return this.usageChunk();
  }

  usage(): ProviderUsage | undefined {
    if (!this.sawUsage) return undefined;
    return anthropicUsage({ ...this.inputUsage, output_tokens: this.outputTokens });
  }

  text(): string {
    return this.pieces.join('');
  }

  error(): ProviderErrorInfo | undefined {
    return this.lastError;
  }

  private onMessageStart(message: unknown): string[] {
    if (isObject(message)) {
      if (typeof message.id === 'string') this.id = message.id;
      if (isObject(message.usage)) {
        this.inputUsage = message.usage;
        this.outputTokens = typeof message.usage.output_tokens === 'number' ? message.usage.output_tokens : 0;
        this.sawUsage = true;
      }
    }
    return [this.chunk({ role: 'assistant', content: '' }, null)];
  }

  private onBlockStart(data: Json): string[] {
    const block = data.content_block;
    if (!isObject(block) || typeof data.index !== 'number') return [];
    if (block.type === 'tool_use') {
      const index = this.toolIndex.size;
      this.toolIndex.set(data.index, index);
      const call = { index, id: block.id, type: 'function', function: { name: block.name, arguments: '' } };
      return [this.chunk({ tool_calls: [call] }, null)];
    }
    if (block.type === 'text' && typeof block.text === 'string' && block.text.length > 0) return this.textChunk(block.text);
    return [];
  }

  private onBlockDelta(data: Json): string[] {
    const delta = data.delta;
    if (!isObject(delta)) return [];
    if (delta.type === 'text_delta' && typeof delta.text === 'string') return this.textChunk(delta.text);
    if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string' && typeof data.index === 'number') {
      const index = this.toolIndex.get(data.index);
      if (index === undefined || delta.partial_json.length === 0) return [];
      return [this.chunk({ tool_calls: [{ index, function: { arguments: delta.partial_json } }] }, null)];
    }
    if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string') return [this.chunk({ reasoning_content: delta.thinking }, null)];
    return [];
  }

  private onMessageDelta(data: Json): string[] {
    const usage = data.usage;
    if (isObject(usage)) {
      if (typeof usage.output_tokens === 'number') this.outputTokens = usage.output_tokens;
      // newer API versions may repeat the input counts here; they win when present
      if (typeof usage.input_tokens === 'number') this.inputUsage = { ...this.inputUsage, ...usage };
      this.sawUsage = true;
    }
    const reason = isObject(data.delta) ? finishReason(data.delta.stop_reason) : null;
    return reason === null ? [] : [this.chunk({}, reason)];
  }

  private textChunk(text: string): string[] {
    this.pieces.push(text);
    return [this.chunk({ content: text }, null)];
  }

  private usageChunk(): string[] {
    const usage = this.usage();
    if (!this.opts.includeUsage || this.usageSent || !usage) return [];
    this.usageSent = true;
    return [JSON.stringify({ ...this.head(), choices: [], usage: openAIUsageBody(usage) })];
  }

  private chunk(delta: Json, finish: string | null): string {
    return JSON.stringify({ ...this.head(), choices: [{ index: 0, delta, finish_reason: finish }] });
  }

  private head(): Json {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.opts.responseModel };
  }
}
