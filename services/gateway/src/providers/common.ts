import { ErrorCode, TollgateError } from '@tollgate/contracts';
import type { ProviderCall, ProviderErrorInfo, ProviderUsage } from './provider';

/** Small helpers shared by the provider folders (no I/O, no provider knowledge). */

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `https://host/v1///` → `https://host/v1` (a charCode loop: no regex on the hot path) */
export function trimTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url.charCodeAt(end - 1) === 47) end--;
  return end === url.length ? url : url.slice(0, end);
}

export function stringOrNull(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The provider has no such endpoint: the client asked for something this deployment cannot do. */
export function unsupportedCall(providerId: string, call: ProviderCall): TollgateError {
  return new TollgateError(ErrorCode.BadRequest, `provider "${providerId}" does not support ${call} calls`, { status: 400 });
}

/** A 2xx answer whose body is not what the provider documents. */
export function unexpectedShape(providerId: string, what: string): TollgateError {
  return new TollgateError(ErrorCode.UpstreamError, `${providerId}: unexpected response from upstream (${what})`, { status: 502 });
}

/** A deployment whose config cannot produce a request (operator error, not the client's). */
export function configError(message: string): TollgateError {
  return new TollgateError(ErrorCode.Internal, message, { status: 500 });
}

/**
 * An error body as the gateway may hand it over: already parsed JSON, JSON text, or raw bytes.
 * Returns the JSON object when there is one, else the text (for the fallback message).
 */
export function decodeErrorBody(body: unknown): { json?: Json; text?: string } {
  let text: string | undefined;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  else if (isObject(body)) return { json: body };
  if (text === undefined) return {};
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (isObject(parsed)) return { json: parsed };
    } catch {
      // not JSON after all: fall through to the text
    }
  }
  return { text: trimmed };
}

/** When the body says nothing usable: name the status, and show the start of a text body. */
export function fallbackError(providerLabel: string, status: number, text?: string): ProviderErrorInfo {
  const snippet = text ? `: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}` : '';
  return { message: `${providerLabel} returned HTTP ${status}${snippet}`, type: null, param: null, code: null };
}

export function usageOf(prompt: number, completion: number, extra?: { cached?: number; reasoning?: number }): ProviderUsage {
  const usage: ProviderUsage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (extra?.cached) usage.cached_tokens = extra.cached;
  if (extra?.reasoning) usage.reasoning_tokens = extra.reasoning;
  return usage;
}
