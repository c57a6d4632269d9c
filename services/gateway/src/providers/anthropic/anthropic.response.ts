import { count, isObject, nowSeconds, unexpectedShape, usageOf, type Json } from '../common';
import type { MappedResponse, ProviderUsage } from '../provider';

/** Anthropic `stop_reason` → OpenAI `finish_reason` */
export function finishReason(stopReason: unknown): string | null {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return stopReason === null || stopReason === undefined ? null : 'stop';
  }
}

/**
 * Anthropic counts cache reads and cache writes apart from `input_tokens`; OpenAI's prompt_tokens
 * include cached ones. So prompt = input + cache read + cache write, and cached = cache read.
 */
export function anthropicUsage(u: unknown): ProviderUsage {
  if (!isObject(u)) return usageOf(0, 0);
  const cacheRead = count(u.cache_read_input_tokens);
  const prompt = count(u.input_tokens) + cacheRead + count(u.cache_creation_input_tokens);
  return usageOf(prompt, count(u.output_tokens), { cached: cacheRead });
}

export function openAIUsageBody(usage: ProviderUsage): Json {
  const body: Json = { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, total_tokens: usage.total_tokens };
  if (usage.cached_tokens) body.prompt_tokens_details = { cached_tokens: usage.cached_tokens };
  return body;
}

/** Anthropic message → OpenAI `chat.completion`. */
export function mapAnthropicMessage(json: unknown, responseModel: string): MappedResponse {
  if (!isObject(json) || !Array.isArray(json.content)) throw unexpectedShape('anthropic', 'no content');
  const texts: string[] = [];
  const thinking: string[] = [];
  const toolCalls: Json[] = [];
  for (const block of json.content as unknown[]) {
    if (!isObject(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
    else if (block.type === 'thinking' && typeof block.thinking === 'string') thinking.push(block.thinking);
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const message: Json = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (thinking.length > 0) message.reasoning_content = thinking.join('');
  const usage = anthropicUsage(json.usage);
  const body: Json = {
    id: typeof json.id === 'string' ? json.id : `chatcmpl-${nowSeconds()}`,
    object: 'chat.completion',
    created: nowSeconds(),
    model: responseModel,
    choices: [{ index: 0, message, finish_reason: finishReason(json.stop_reason) }],
    usage: openAIUsageBody(usage),
  };
  return { body, usage };
}
