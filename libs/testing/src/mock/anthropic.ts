import type { MockExchange, SseOut } from './context';
import { validationError } from './errors';
import { answerPieces, contentText, countWords, isRecord, mockAnswer, mockToolArguments, splitArguments, toolCallTokens } from './text';

/** Anthropic's Messages API (`POST /v1/messages`), stream and not, with tool_use. */

type Json = Record<string, unknown>;

interface Plan {
  input: number;
  cacheRead: number;
  lastText: string;
  tool?: { name: string; args: string };
}

/** words in blocks marked `cache_control` count as cache reads, the rest as input */
function countBlocks(content: unknown, plan: Plan): void {
  if (typeof content === 'string') {
    plan.input += countWords(content);
    return;
  }
  if (!Array.isArray(content)) return;
  for (const block of content) {
    const n = countWords(contentText([block]));
    if (isRecord(block) && block.cache_control !== undefined) plan.cacheRead += n;
    else plan.input += n;
  }
}

function validate(ex: MockExchange, body: Json): boolean {
  const fail = (message: string): false => {
    ex.error(validationError('anthropic', 400, message));
    return false;
  };
  if (typeof ex.req.headers['anthropic-version'] !== 'string') return fail('anthropic-version: header is required');
  if (typeof body.model !== 'string') return fail('model: Field required');
  if (typeof body.max_tokens !== 'number') return fail('max_tokens: Field required');
  if (!Array.isArray(body.messages) || body.messages.length === 0) return fail('messages: Field required');
  for (const m of body.messages) {
    if (!isRecord(m) || (m.role !== 'user' && m.role !== 'assistant')) {
      const role = isRecord(m) ? String(m.role) : typeof m;
      return fail(`messages: Unexpected role "${role}". The Messages API accepts a top-level \`system\` parameter, not "system" as an input message role.`);
    }
  }
  return true;
}

function plan(body: Json): Plan {
  const p: Plan = { input: 0, cacheRead: 0, lastText: '' };
  countBlocks(body.system, p);
  let lastHasToolResult = false;
  for (const m of body.messages as Json[]) {
    countBlocks(m.content, p);
    if (m.role === 'user') {
      p.lastText = contentText(m.content);
      lastHasToolResult = Array.isArray(m.content) && m.content.some((b) => isRecord(b) && b.type === 'tool_result');
    }
  }
  const tools = Array.isArray(body.tools) ? body.tools.filter(isRecord) : [];
  const choice = isRecord(body.tool_choice) ? body.tool_choice : {};
  if (tools.length > 0 && choice.type !== 'none' && !lastHasToolResult) {
    const tool = tools.find((t) => choice.type !== 'tool' || t.name === choice.name) ?? tools[0];
    p.tool = { name: String(tool.name), args: mockToolArguments(tool.input_schema, p.lastText) };
  }
  return p;
}

export async function messages(ex: MockExchange, body: Json): Promise<void> {
  if (!validate(ex, body)) return;
  const p = plan(body);
  const model = body.model as string;
  const id = ex.id('msg_mock_');
  const toolId = `toolu_mock_${id.slice(9)}`;
  const { pieces, truncated } = answerPieces(p.tool ? `Calling ${p.tool.name}.` : mockAnswer(p.lastText, ex.opts.reply), body.max_tokens as number);
  const stopReason = p.tool ? 'tool_use' : truncated ? 'max_tokens' : 'end_turn';
  const output = pieces.length + (p.tool ? toolCallTokens(p.tool.args) : 0);
  const usage = { input_tokens: p.input, cache_creation_input_tokens: 0, cache_read_input_tokens: p.cacheRead, output_tokens: output };
  if (body.stream !== true) {
    const content: Json[] = [{ type: 'text', text: pieces.join('') }];
    if (p.tool) content.push({ type: 'tool_use', id: toolId, name: p.tool.name, input: JSON.parse(p.tool.args) as unknown });
    ex.json(200, { id, type: 'message', role: 'assistant', model, content, stop_reason: stopReason, stop_sequence: null, usage });
    return;
  }
  const ev = (type: string, data: Json): SseOut => ({ event: type, data: JSON.stringify({ type, ...data }) });
  const events: SseOut[] = [
    ev('message_start', { message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } }),
    ev('ping', {}),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ...pieces.map((text) => ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })),
    ev('content_block_stop', { index: 0 }),
  ];
  if (p.tool) {
    events.push(ev('content_block_start', { index: 1, content_block: { type: 'tool_use', id: toolId, name: p.tool.name, input: {} } }));
    events.push(ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '' } }));
    for (const piece of splitArguments(p.tool.args)) events.push(ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: piece } }));
    events.push(ev('content_block_stop', { index: 1 }));
  }
  events.push(ev('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: output } }));
  events.push(ev('message_stop', {}));
  await ex.sse(events);
}

