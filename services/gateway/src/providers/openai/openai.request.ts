import { isObject, trimTrailingSlashes } from '../common';
import type { ProviderCall, UpstreamTarget } from '../provider';

/** path of each call under an OpenAI-compatible base URL */
export const OPENAI_PATHS: Readonly<Record<ProviderCall, string>> = {
  chat: '/chat/completions',
  completion: '/completions',
  embedding: '/embeddings',
  speech: '/audio/speech',
};

/**
 * The URL rule (LiteLLM's, which hands `api_base` to the OpenAI SDK as its `base_url`): the base is
 * used exactly as written, without trailing slashes, and the call's path is appended. Nothing is
 * inserted, so `http://vllm:8000/v1` → `http://vllm:8000/v1/chat/completions`, and
 * `http://ollama:11434` → `http://ollama:11434/chat/completions` (write `/v1` when the server
 * needs it).
 */
export function openAIUrl(base: string, call: ProviderCall): string {
  return trimTrailingSlashes(base) + OPENAI_PATHS[call];
}

/**
 * The upstream body. Chat and completion streams always ask for usage (so spend is exact, whatever
 * the client asked; the stream translator hides it again if the client did not ask); a non-stream
 * request drops `stream` / `stream_options` (OpenAI rejects `stream_options` without `stream`).
 * Embedding and speech bodies pass through.
 */
export function openAIBody(call: ProviderCall, body: Record<string, unknown>, stream: boolean): Record<string, unknown> {
  if (call !== 'chat' && call !== 'completion') return body;
  if (stream) {
    const clientOptions = isObject(body.stream_options) ? body.stream_options : undefined;
    return { ...body, stream: true, stream_options: { ...clientOptions, include_usage: true } };
  }
  if (!('stream' in body) && !('stream_options' in body)) return body;
  const copy = { ...body };
  delete copy.stream;
  delete copy.stream_options;
  return copy;
}

/** `litellm_params.extra_headers`: string values only (LiteLLM's per-deployment headers) */
export function extraHeaders(target: UpstreamTarget, headers: Record<string, string>): Record<string, string> {
  const extra = target.params.extra_headers;
  if (!isObject(extra)) return headers;
  for (const [name, value] of Object.entries(extra)) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  return headers;
}
