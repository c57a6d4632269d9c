/**
 * One interface for every model provider (Portkey's shape): a provider is a plain object that maps
 * an OpenAI-shaped request to the provider's HTTP request, and the provider's answer (JSON or SSE)
 * back to OpenAI's shapes. It does no I/O: the gateway's upstream client sends what it builds over a
 * pooled keep-alive undici connection and feeds it the answer.
 */
export type ProviderCall = 'chat' | 'completion' | 'embedding' | 'speech';

/** What a deployment says about where and how to call (from `litellm_params`). */
export interface UpstreamTarget {
  /** provider prefix from `litellm_params.model`, e.g. `openai` */
  provider: string;
  /** model name sent upstream (after the provider prefix), e.g. `gpt-4o` or `openai/o1` for openrouter */
  model: string;
  apiBase?: string;
  apiKey?: string;
  apiVersion?: string;
  /** all `litellm_params`, for provider-specific settings */
  params: Readonly<Record<string, unknown>>;
}

export interface HttpRequestSpec {
  /** absolute URL */
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  /** JSON text */
  body: string;
}

export interface ProviderUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** prompt tokens served from the provider's cache (priced at the cache-read price) */
  cached_tokens?: number;
  /** completion tokens spent on reasoning (already included in completion_tokens) */
  reasoning_tokens?: number;
}

export interface MappedResponse {
  /** OpenAI-shaped body: chat.completion, text_completion, or an embeddings list */
  body: Record<string, unknown>;
  usage: ProviderUsage;
}

export interface ProviderErrorInfo {
  message: string;
  type: string | null;
  param: string | null;
  code: string | null;
}

/** One upstream Server-Sent Event. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** Stateful translator for one streamed response. */
export interface StreamTranslator {
  /**
   * One upstream SSE event → zero or more `data:` payloads (JSON text of OpenAI
   * `chat.completion.chunk` / text completion chunks) for the client. `[DONE]` is never returned:
   * the gateway writes it once at the end.
   */
  onEvent(event: SseEvent): string[];
  /** after the upstream ends: trailing payloads (e.g. the usage chunk when the client asked for it) */
  finish(): string[];
  /** usage once known (from the provider's usage event / chunk), else undefined */
  usage(): ProviderUsage | undefined;
  /** the assembled completion text so far */
  text(): string;
  /** an error the provider sent inside the stream, if any */
  error(): ProviderErrorInfo | undefined;
}

export interface StreamOptions {
  /** the model name to put in chunks (the public model name the client asked for) */
  responseModel: string;
  /** `stream_options.include_usage` as the client sent it */
  includeUsage: boolean;
}

export interface Provider {
  /** the `litellm_params.model` prefix this provider serves */
  readonly id: string;
  readonly calls: ReadonlySet<ProviderCall>;
  /**
   * Build the upstream request. `body` is the client's OpenAI-shaped body with Tollgate-only fields
   * removed and `model` already set to `target.model`. For streams the provider asks the upstream
   * for usage when it can (e.g. `stream_options.include_usage`) so spend is exact.
   */
  buildRequest(call: ProviderCall, target: UpstreamTarget, body: Record<string, unknown>, stream: boolean): HttpRequestSpec;
  /** Non-streamed answer (status 2xx) → OpenAI shape. `responseModel` is what goes in `model`. */
  mapResponse(call: ProviderCall, json: unknown, responseModel: string): MappedResponse;
  createStreamTranslator(call: ProviderCall, opts: StreamOptions): StreamTranslator;
  /** Upstream error (status >= 400) → the message and fields to pass through to the client. */
  mapError(status: number, body: unknown): ProviderErrorInfo;
}
