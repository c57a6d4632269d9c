import { decodeErrorBody, fallbackError, isObject, stringOrNull } from '../common';
import type { ProviderErrorInfo } from '../provider';

/** `{"type":"error","error":{"type":"rate_limit_error","message":"…"}}` → message and type */
export function mapAnthropicError(status: number, body: unknown): ProviderErrorInfo {
  const { json, text } = decodeErrorBody(body);
  if (json) {
    const err = isObject(json.error) ? json.error : json;
    if (typeof err.message === 'string' && err.message.length > 0) {
      return { message: err.message, type: stringOrNull(err.type), param: null, code: null };
    }
    return fallbackError('Anthropic', status, JSON.stringify(json));
  }
  return fallbackError('Anthropic', status, text);
}
