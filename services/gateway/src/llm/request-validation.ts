import { ErrorCode, TollgateError } from '@tollgate/contracts';
import { ProviderCall } from '../providers/provider';

/** Fields Tollgate consumes itself; never forwarded to a provider. */
const TOLLGATE_FIELDS = [
  'mock_response', 'mock_tool_calls', 'mock_delay', 'mock_timeout', 'mock_testing_fallbacks', 'mock_testing_rate_limit_error',
  'mock_testing_context_fallbacks', 'mock_testing_content_policy_fallbacks', 'guardrails', 'metadata', 'litellm_metadata',
  'tags', 'api_key', 'api_base', 'api_version', 'base_url', 'fallbacks', 'num_retries', 'caching', 'cache', 'proxy_server_request',
];

export interface LlmRequest {
  call: ProviderCall;
  model: string;
  body: Record<string, unknown>;
  stream: boolean;
  includeUsage: boolean;
  mockResponse: unknown;
}

function bad(message: string, param: string | null, code = ErrorCode.BadRequest): TollgateError {
  return new TollgateError(code, message, { status: 400, param });
}

/** Checks the body a client sent for one call type; errors name the offending field. */
export function validateRequest(call: ProviderCall, raw: unknown, pathModel: string | undefined): LlmRequest {
  if (raw === undefined || raw === null) throw bad('Request body is empty: expected a JSON object', null, ErrorCode.InvalidJson);
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw bad('Request body must be a JSON object', null, ErrorCode.InvalidJson);
  }
  const body = raw as Record<string, unknown>;
  const model = pathModel ?? body.model;
  if (model === undefined || model === null || model === '') throw bad('Missing required parameter: model', 'model', ErrorCode.MissingParam);
  if (typeof model !== 'string') throw bad('Invalid type for model: expected a string', 'model');
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') throw bad('Invalid type for stream: expected a boolean', 'stream');
  switch (call) {
    case 'chat':
      if (body.messages === undefined) throw bad('Missing required parameter: messages', 'messages', ErrorCode.MissingParam);
      if (!Array.isArray(body.messages)) throw bad('Invalid type for messages: expected an array of messages', 'messages');
      for (let i = 0; i < body.messages.length; i++) {
        const m = body.messages[i] as Record<string, unknown> | null;
        if (typeof m !== 'object' || m === null || typeof m.role !== 'string') throw bad(`Invalid message at messages[${i}]: expected an object with a string role`, `messages[${i}]`);
      }
      break;
    case 'completion':
      if (body.prompt === undefined) throw bad('Missing required parameter: prompt', 'prompt', ErrorCode.MissingParam);
      if (typeof body.prompt !== 'string' && !Array.isArray(body.prompt)) throw bad('Invalid type for prompt: expected a string or an array', 'prompt');
      break;
    case 'embedding':
      if (body.input === undefined) throw bad('Missing required parameter: input', 'input', ErrorCode.MissingParam);
      if (typeof body.input !== 'string' && !Array.isArray(body.input)) throw bad('Invalid type for input: expected a string or an array', 'input');
      break;
    case 'speech':
      if (typeof body.input !== 'string') throw bad('Missing required parameter: input (a string)', 'input', ErrorCode.MissingParam);
      if (body.voice !== undefined && typeof body.voice !== 'string') throw bad('Invalid type for voice: expected a string', 'voice');
      break;
  }
  const streamOptions = body.stream_options as { include_usage?: unknown } | undefined;
  return {
    call,
    model,
    body,
    stream: body.stream === true && (call === 'chat' || call === 'completion'),
    includeUsage: streamOptions?.include_usage === true,
    mockResponse: body.mock_response,
  };
}

/** The body a provider receives: the client's, minus Tollgate's own fields, with the upstream model. */
export function upstreamBody(body: Record<string, unknown>, upstreamModel: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body, model: upstreamModel };
  for (const f of TOLLGATE_FIELDS) if (f in out) delete out[f];
  return out;
}

/** Text of the last user message (string content or text parts). */
export function lastUserText(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) {
      return m.content.map((p) => (typeof p === 'object' && p && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : '')).join(' ');
    }
  }
  return '';
}

/** All prompt text, for the mock model's token estimate. */
export function promptText(call: ProviderCall, body: Record<string, unknown>): string {
  if (call === 'chat') {
    return (body.messages as Record<string, unknown>[]).map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''))).join('\n');
  }
  const v = call === 'completion' ? body.prompt : body.input;
  return typeof v === 'string' ? v : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n') : '';
}
