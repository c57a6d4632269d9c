import { isObject, unexpectedShape, unsupportedCall } from '../common';
import type { HttpRequestSpec, MappedResponse, Provider, ProviderCall, ProviderErrorInfo, StreamOptions, StreamTranslator, UpstreamTarget } from '../provider';
import { mapOpenAIError } from './openai.error';
import { extraHeaders, openAIBody, openAIUrl } from './openai.request';
import { OpenAIStreamTranslator } from './openai.stream';
import { openAIUsage } from './openai.usage';

/**
 * Everything that differs between providers that speak OpenAI's wire format (OpenAI itself, vLLM,
 * Ollama, Together, OpenRouter, Azure OpenAI): where to send a call and how to authenticate.
 * Bodies, answers, streams and errors are OpenAI's.
 */
export interface OpenAICompatibleOptions {
  id: string;
  /** provider name in error messages, e.g. `OpenAI` */
  label: string;
  calls: readonly ProviderCall[];
  /** used when the deployment has no `api_base` */
  defaultApiBase?: string;
  /** absolute URL of a call; default: the `api_base` rule of {@link openAIUrl} */
  url?(call: ProviderCall, target: UpstreamTarget): string;
  /** auth header(s); default `Authorization: Bearer <api_key>` when a key is set */
  auth?(target: UpstreamTarget): Record<string, string>;
}

export function createOpenAICompatibleProvider(opts: OpenAICompatibleOptions): Provider {
  const calls: ReadonlySet<ProviderCall> = new Set(opts.calls);
  const url =
    opts.url ??
    ((call: ProviderCall, target: UpstreamTarget): string => openAIUrl(target.apiBase ?? opts.defaultApiBase ?? '', call));
  const auth = opts.auth ?? bearerAuth;

  return {
    id: opts.id,
    calls,

    buildRequest(call: ProviderCall, target: UpstreamTarget, body: Record<string, unknown>, stream: boolean): HttpRequestSpec {
      if (!calls.has(call)) throw unsupportedCall(opts.id, call);
      const headers = extraHeaders(target, { 'content-type': 'application/json', ...auth(target) });
      return { url: url(call, target), method: 'POST', headers, body: JSON.stringify(openAIBody(call, body, stream)) };
    },

    mapResponse(call: ProviderCall, json: unknown, responseModel: string): MappedResponse {
      if (!calls.has(call) || call === 'speech') throw unsupportedCall(opts.id, call);
      if (!isObject(json)) throw unexpectedShape(opts.id, 'body is not a JSON object');
      if (call !== 'embedding' && !Array.isArray(json.choices)) throw unexpectedShape(opts.id, 'no choices');
      if (call === 'embedding' && !Array.isArray(json.data)) throw unexpectedShape(opts.id, 'no data');
      // the parsed upstream body is ours: rename in place rather than copy it
      json.model = responseModel;
      return { body: json, usage: openAIUsage(json.usage) };
    },

    createStreamTranslator(call: ProviderCall, streamOpts: StreamOptions): StreamTranslator {
      if (call !== 'chat' && call !== 'completion') throw unsupportedCall(opts.id, call);
      return new OpenAIStreamTranslator(call, streamOpts, opts.label);
    },

    mapError(status: number, body: unknown): ProviderErrorInfo {
      return mapOpenAIError(opts.label, status, body);
    },
  };
}

function bearerAuth(target: UpstreamTarget): Record<string, string> {
  return target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {};
}

/** `openai/<model>`: OpenAI or any OpenAI-compatible server given as `api_base` (vLLM, Ollama, Together…) */
export const openaiProvider: Provider = createOpenAICompatibleProvider({
  id: 'openai',
  label: 'OpenAI',
  calls: ['chat', 'completion', 'embedding', 'speech'],
  defaultApiBase: 'https://api.openai.com/v1',
});
