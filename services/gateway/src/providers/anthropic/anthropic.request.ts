import { ErrorCode, TollgateError } from '@tollgate/contracts';
import { isObject, trimTrailingSlashes, type Json } from '../common';

export const ANTHROPIC_VERSION = '2023-06-01';
export const DEFAULT_MAX_TOKENS = 4096;

/**
 * `{api_base}/v1/messages`, default base `https://api.anthropic.com`. A base already ending in
 * `/v1` gets `/messages`; one ending in `/v1/messages` is used as is.
 */
export function anthropicUrl(apiBase: string | undefined): string {
  const base = trimTrailingSlashes(apiBase ?? 'https://api.anthropic.com');
  if (base.endsWith('/v1/messages')) return base;
  if (base.endsWith('/v1')) return `${base}/messages`;
  return `${base}/v1/messages`;
}

/** OpenAI chat body → Anthropic Messages body. */
export function toAnthropicBody(body: Json, stream: boolean): Json {
  const { system, messages } = toAnthropicMessages(body.messages);
  const out: Json = { model: body.model, messages, max_tokens: maxTokens(body) };
  if (system.length > 0) out.system = system.length === 1 && system[0].cache_control === undefined ? system[0].text : system;
  if (typeof body.temperature === 'number') out.temperature = body.temperature;
  if (typeof body.top_p === 'number') out.top_p = body.top_p;
  if (typeof body.top_k === 'number') out.top_k = body.top_k;
  const stop = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop.filter((s) => typeof s === 'string') : [];
  if (stop.length > 0) out.stop_sequences = stop;
  if (Array.isArray(body.tools) && body.tools.length > 0) out.tools = body.tools.map(toAnthropicTool);
  const toolChoice = toAnthropicToolChoice(body.tool_choice, body.parallel_tool_calls);
  if (toolChoice) out.tool_choice = toolChoice;
  if (typeof body.user === 'string') out.metadata = { user_id: body.user };
  if (stream) out.stream = true;
  return out;
}

function maxTokens(body: Json): number {
  if (typeof body.max_tokens === 'number') return body.max_tokens;
  if (typeof body.max_completion_tokens === 'number') return body.max_completion_tokens;
  return DEFAULT_MAX_TOKENS;
}

interface TextBlock extends Json {
  type: 'text';
  text: string;
}

/**
 * System (and developer) messages become `system` text blocks; tool results become `tool_result`
 * blocks of a user turn; assistant `tool_calls` become `tool_use` blocks. Consecutive turns of
 * the same role are merged (Anthropic wants the tool results for one assistant turn in the one
 * user turn that follows it).
 */
export function toAnthropicMessages(input: unknown): { system: TextBlock[]; messages: Json[] } {
  if (!Array.isArray(input)) throw badRequest('messages must be an array', 'messages');
  const system: TextBlock[] = [];
  const messages: Json[] = [];
  input.forEach((m: unknown, i: number) => {
    if (!isObject(m)) throw badRequest(`messages[${i}] must be an object`, 'messages');
    const role = m.role;
    if (role === 'system' || role === 'developer') {
      system.push(...(contentBlocks(m.content, i).filter((b) => b.type === 'text') as TextBlock[]));
      return;
    }
    let anthropicRole: 'user' | 'assistant';
    let blocks: Json[];
    if (role === 'user') [anthropicRole, blocks] = ['user', contentBlocks(m.content, i)];
    else if (role === 'assistant') [anthropicRole, blocks] = ['assistant', assistantBlocks(m, i)];
    else if (role === 'tool') [anthropicRole, blocks] = ['user', [toolResultBlock(m, i)]];
    else throw badRequest(`messages[${i}].role "${String(role)}" is not supported by anthropic`, 'messages');
    const last = messages[messages.length - 1];
    if (last && last.role === anthropicRole) (last.content as Json[]).push(...blocks);
    else messages.push({ role: anthropicRole, content: blocks });
  });
  return { system, messages };
}

function contentBlocks(content: unknown, i: number): Json[] {
  if (typeof content === 'string') return content.length > 0 ? [{ type: 'text', text: content }] : [];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) throw badRequest(`messages[${i}].content must be a string or an array`, 'messages');
  return content.map((part: unknown) => contentPart(part, i));
}

function contentPart(part: unknown, i: number): Json {
  if (!isObject(part)) throw badRequest(`messages[${i}].content parts must be objects`, 'messages');
  let block: Json;
  if (part.type === 'text') block = { type: 'text', text: typeof part.text === 'string' ? part.text : '' };
  else if (part.type === 'image_url') block = imageBlock(part.image_url, i);
  else throw badRequest(`messages[${i}]: content part type "${String(part.type)}" is not supported by anthropic`, 'messages');
  if (part.cache_control !== undefined) block.cache_control = part.cache_control;
  return block;
}

/** `data:image/png;base64,…` → a base64 source; an http(s) URL → a url source */
function imageBlock(imageUrl: unknown, i: number): Json {
  const url = isObject(imageUrl) ? imageUrl.url : imageUrl;
  if (typeof url !== 'string') throw badRequest(`messages[${i}]: image_url.url must be a string`, 'messages');
  if (url.startsWith('data:')) {
    const comma = url.indexOf(',');
    const meta = url.slice(5, comma);
    if (comma === -1 || !meta.endsWith(';base64')) throw badRequest(`messages[${i}]: image data URL must be base64`, 'messages');
    return { type: 'image', source: { type: 'base64', media_type: meta.slice(0, -7), data: url.slice(comma + 1) } };
  }
  return { type: 'image', source: { type: 'url', url } };
}

function assistantBlocks(m: Json, i: number): Json[] {
  const blocks = contentBlocks(m.content, i);
  if (!Array.isArray(m.tool_calls)) return blocks;
  m.tool_calls.forEach((call: unknown, j: number) => {
    const fn = isObject(call) && isObject(call.function) ? call.function : undefined;
    if (!isObject(call) || !fn || typeof fn.name !== 'string') throw badRequest(`messages[${i}].tool_calls[${j}] needs function.name`, 'messages');
    blocks.push({ type: 'tool_use', id: call.id, name: fn.name, input: parseArguments(fn.arguments, i, j) });
  });
  return blocks;
}

function parseArguments(args: unknown, i: number, j: number): unknown {
  if (args === undefined || args === null || args === '') return {};
  if (typeof args !== 'string') return args;
  try {
    return JSON.parse(args);
  } catch {
    throw badRequest(`messages[${i}].tool_calls[${j}].function.arguments is not valid JSON`, 'messages');
  }
}

function toolResultBlock(m: Json, i: number): Json {
  if (typeof m.tool_call_id !== 'string') throw badRequest(`messages[${i}].tool_call_id is required for a tool message`, 'messages');
  const content = typeof m.content === 'string' ? m.content : contentBlocks(m.content, i);
  return { type: 'tool_result', tool_use_id: m.tool_call_id, content };
}

function toAnthropicTool(tool: unknown, i: number): Json {
  const fn = isObject(tool) && isObject(tool.function) ? tool.function : undefined;
  if (!fn || typeof fn.name !== 'string') throw badRequest(`tools[${i}] must be a function tool with a name`, 'tools');
  const out: Json = { name: fn.name, input_schema: isObject(fn.parameters) ? fn.parameters : { type: 'object', properties: {} } };
  if (typeof fn.description === 'string') out.description = fn.description;
  return out;
}

/** auto → auto, required → any, none → none, {function:{name}} → {type:"tool", name} */
function toAnthropicToolChoice(choice: unknown, parallel: unknown): Json | undefined {
  let out: Json | undefined;
  if (choice === 'auto') out = { type: 'auto' };
  else if (choice === 'required') out = { type: 'any' };
  else if (choice === 'none') out = { type: 'none' };
  else if (isObject(choice) && isObject(choice.function) && typeof choice.function.name === 'string') {
    out = { type: 'tool', name: choice.function.name };
  }
  if (parallel === false) out = { ...(out ?? { type: 'auto' }), disable_parallel_tool_use: true };
  return out;
}

function badRequest(message: string, param: string): TollgateError {
  return new TollgateError(ErrorCode.BadRequest, message, { status: 400, param });
}
