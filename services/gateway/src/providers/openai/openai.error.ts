import { decodeErrorBody, isObject, stringOrNull, fallbackError } from '../common';
import type { ProviderErrorInfo } from '../provider';

/**
 * Error bodies of OpenAI and the servers that imitate it:
 * - OpenAI / Azure / OpenRouter: `{"error": {"message", "type", "param", "code"}}`
 * - Ollama: `{"error": "text"}`
 * - vLLM: `{"object": "error", "message", "type", "param", "code"}`
 * - FastAPI-based servers: `{"detail": "text"}`
 */
export function mapOpenAIError(label: string, status: number, body: unknown): ProviderErrorInfo {
  const { json, text } = decodeErrorBody(body);
  if (json) {
    const err = json.error;
    if (isObject(err)) {
      const message = messageOf(err.message);
      if (message) return { message, type: stringOrNull(err.type), param: stringOrNull(err.param), code: stringOrNull(err.code) };
    }
    if (typeof err === 'string' && err.length > 0) return { message: err, type: null, param: null, code: null };
    const message = messageOf(json.message);
    if (message) return { message, type: stringOrNull(json.type), param: stringOrNull(json.param), code: stringOrNull(json.code) };
    const detail = messageOf(json.detail);
    if (detail) return { message: detail, type: null, param: null, code: null };
    return fallbackError(label, status, JSON.stringify(json));
  }
  return fallbackError(label, status, text);
}

function messageOf(v: unknown): string | null {
  if (typeof v === 'string') return v.length > 0 ? v : null;
  if (v === undefined || v === null) return null;
  return JSON.stringify(v);
}
