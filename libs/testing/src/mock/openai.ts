import type { MockExchange, SseOut } from './context';
import { validationError } from './errors';
import { answerPieces, contentText, countWords, isRecord, mockAnswer, mockEmbedding, mockToolArguments, splitArguments, toolCallTokens } from './text';

/** OpenAI's wire format (also served under Azure's deployment paths). */

type Json = Record<string, unknown>;

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function usage(prompt: number, completion: number): Json {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** stream rules shared by chat and completions; null when the body is fine */
function streamProblem(ex: MockExchange, body: Json): boolean {
  if (body.stream_options !== undefined && body.stream !== true) {
    ex.error(validationError(ex.flavour, 400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options', 'invalid_value'));
    return true;
  }
  return false;
}

interface ChatPlan {
  prompt: number;
  lastText: string;
  tool?: { name: string; args: string };
}

function planChat(ex: MockExchange, body: Json): ChatPlan | undefined {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    ex.error(validationError(ex.flavour, 400, "Invalid 'messages': expected a non-empty array.", 'messages', 'invalid_value'));
    return undefined;
  }
  let prompt = 0;
  let lastText = '';
  let lastRole: unknown;
  for (const m of messages) {
    if (!isRecord(m)) continue;
    const text = contentText(m.content);
    prompt += countWords(text);
    if (Array.isArray(m.tool_calls)) for (const c of m.tool_calls) if (isRecord(c) && isRecord(c.function)) prompt += countWords(String(c.function.arguments ?? ''));
    if (m.role === 'user' || m.role === 'tool') lastText = text;
    lastRole = m.role;
  }
  const plan: ChatPlan = { prompt, lastText };
  const tools = Array.isArray(body.tools) ? body.tools.filter(isRecord) : [];
  if (tools.length > 0 && body.tool_choice !== 'none' && lastRole !== 'tool') {
    const wanted = isRecord(body.tool_choice) && isRecord(body.tool_choice.function) ? body.tool_choice.function.name : undefined;
    const tool = tools.find((t) => isRecord(t.function) && (wanted === undefined || t.function.name === wanted)) ?? tools[0];
    const fn = isRecord(tool.function) ? tool.function : {};
    plan.tool = { name: String(fn.name ?? 'tool'), args: mockToolArguments(fn.parameters, lastText) };
  }
  return plan;
}

export async function chatCompletions(ex: MockExchange, body: Json, model: string): Promise<void> {
  if (streamProblem(ex, body)) return;
  const plan = planChat(ex, body);
  if (!plan) return;
  const id = ex.id('chatcmpl-mock-');
  const created = now();
  const maxTokens = typeof body.max_completion_tokens === 'number' ? body.max_completion_tokens : (body.max_tokens as number | undefined);
  const { pieces, truncated } = answerPieces(mockAnswer(plan.lastText, ex.opts.reply), maxTokens);
  const finish = plan.tool ? 'tool_calls' : truncated ? 'length' : 'stop';
  const completion = plan.tool ? toolCallTokens(plan.tool.args) : pieces.length;
  const toolCall = plan.tool && { id: `call_mock_${id.slice(14)}`, type: 'function', function: { name: plan.tool.name, arguments: plan.tool.args } };
  const extra: Json = ex.flavour === 'azure' ? { prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }] } : {};
  if (body.stream !== true) {
    const message: Json = { role: 'assistant', content: toolCall ? null : pieces.join(''), refusal: null, annotations: [] };
    if (toolCall) message.tool_calls = [toolCall];
    ex.json(200, {
      id, object: 'chat.completion', created, model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
      usage: usage(plan.prompt, completion), service_tier: 'default', system_fingerprint: 'fp_mock', ...extra,
    });
    return;
  }
  const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
  const chunk = (delta: Json, finishReason: string | null): SseOut => ({
    data: JSON.stringify({
      id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: 'fp_mock',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    }),
  });
  const events: SseOut[] = [];
  // Azure sends its prompt filter results first, in a chunk with no choices
  if (ex.flavour === 'azure') events.push({ data: JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', ...extra }) });
  if (toolCall) {
    events.push(chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, ...toolCall, function: { name: toolCall.function.name, arguments: '' } }], refusal: null }, null));
    for (const piece of splitArguments(toolCall.function.arguments)) events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null));
  } else {
    events.push(chunk({ role: 'assistant', content: '', refusal: null }, null));
    for (const piece of pieces) events.push(chunk({ content: piece }, null));
  }
  events.push(chunk({}, finish));
  if (includeUsage) {
    events.push({ data: JSON.stringify({ id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: 'fp_mock', choices: [], usage: usage(plan.prompt, completion) }) });
  }
  events.push({ data: '[DONE]' });
  await ex.sse(events);
}

export async function completions(ex: MockExchange, body: Json, model: string): Promise<void> {
  if (streamProblem(ex, body)) return;
  const promptText = typeof body.prompt === 'string' ? body.prompt : Array.isArray(body.prompt) ? body.prompt.filter((p) => typeof p === 'string').join(' ') : undefined;
  if (promptText === undefined) {
    ex.error(validationError(ex.flavour, 400, "Invalid 'prompt': expected a string or an array of strings.", 'prompt', 'invalid_value'));
    return;
  }
  const id = ex.id('cmpl-mock-');
  const created = now();
  const { pieces, truncated } = answerPieces(mockAnswer(promptText, ex.opts.reply), body.max_tokens as number | undefined);
  const finish = truncated ? 'length' : 'stop';
  const prompt = countWords(promptText);
  const u = { prompt_tokens: prompt, completion_tokens: pieces.length, total_tokens: prompt + pieces.length };
  if (body.stream !== true) {
    ex.json(200, { id, object: 'text_completion', created, model, choices: [{ text: pieces.join(''), index: 0, logprobs: null, finish_reason: finish }], usage: u });
    return;
  }
  const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
  const chunk = (text: string, finishReason: string | null): SseOut => ({
    data: JSON.stringify({ id, object: 'text_completion', created, model, choices: [{ text, index: 0, logprobs: null, finish_reason: finishReason }], ...(includeUsage ? { usage: null } : {}) }),
  });
  const events = pieces.map((p) => chunk(p, null));
  events.push(chunk('', finish));
  if (includeUsage) events.push({ data: JSON.stringify({ id, object: 'text_completion', created, model, choices: [], usage: u }) });
  events.push({ data: '[DONE]' });
  await ex.sse(events);
}

export function embeddings(ex: MockExchange, body: Json, model: string): void {
  const input = body.input;
  const inputs: unknown[] = Array.isArray(input) && input.length > 0 && typeof input[0] !== 'number' ? input : [input];
  if (input === undefined || input === '' || inputs.some((i) => typeof i !== 'string' && !Array.isArray(i))) {
    ex.error(validationError(ex.flavour, 400, "'input' : input must be a string or an array of strings or token arrays", 'input', 'invalid_value'));
    return;
  }
  const dims = typeof body.dimensions === 'number' ? body.dimensions : (ex.opts.embeddingDimensions ?? 8);
  let tokens = 0;
  const data = inputs.map((item, index) => {
    const text = typeof item === 'string' ? item : (item as unknown[]).join(' ');
    tokens += typeof item === 'string' ? countWords(item) : (item as unknown[]).length;
    const vector = mockEmbedding(text, dims);
    const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  ex.json(200, { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

const AUDIO_TYPES: Record<string, string> = { mp3: 'audio/mpeg', opus: 'audio/ogg', aac: 'audio/aac', flac: 'audio/flac', wav: 'audio/wav', pcm: 'audio/pcm' };

/** some bytes: an ID3 tag, then one byte per character of the input */
export function speech(ex: MockExchange, body: Json): void {
  if (typeof body.input !== 'string' || body.input.length === 0 || typeof body.voice !== 'string') {
    ex.error(validationError(ex.flavour, 400, "'input' and 'voice' are required", typeof body.input !== 'string' ? 'input' : 'voice', 'invalid_value'));
    return;
  }
  const format = typeof body.response_format === 'string' ? body.response_format : 'mp3';
  const payload = Buffer.from(body.input, 'utf8');
  ex.bytes(200, AUDIO_TYPES[format] ?? 'audio/mpeg', Buffer.concat([Buffer.from('ID3'), payload]));
}

export function models(ex: MockExchange): void {
  const ids = ex.opts.models ?? ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small', 'tts-1'];
  ex.json(200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'mock' })) });
}
