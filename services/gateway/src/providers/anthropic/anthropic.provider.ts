import { unsupportedCall } from '../common';
import type { HttpRequestSpec, MappedResponse, Provider, ProviderCall, ProviderErrorInfo, StreamOptions, StreamTranslator, UpstreamTarget } from '../provider';
import { mapAnthropicError } from './anthropic.error';
import { ANTHROPIC_VERSION, anthropicUrl, toAnthropicBody } from './anthropic.request';
import { mapAnthropicMessage } from './anthropic.response';
import { AnthropicStreamTranslator } from './anthropic.stream';

const CALLS: ReadonlySet<ProviderCall> = new Set<ProviderCall>(['chat']);

/** `anthropic/<model>`: the Messages API, translated to and from OpenAI's chat format. */
export const anthropicProvider: Provider = {
  id: 'anthropic',
  calls: CALLS,

  buildRequest(call: ProviderCall, target: UpstreamTarget, body: Record<string, unknown>, stream: boolean): HttpRequestSpec {
    if (call !== 'chat') throw unsupportedCall('anthropic', call);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'anthropic-version': ANTHROPIC_VERSION };
    if (target.apiKey) headers['x-api-key'] = target.apiKey;
    return { url: anthropicUrl(target.apiBase), method: 'POST', headers, body: JSON.stringify(toAnthropicBody(body, stream)) };
  },

  mapResponse(call: ProviderCall, json: unknown, responseModel: string): MappedResponse {
    if (call !== 'chat') throw unsupportedCall('anthropic', call);
    return mapAnthropicMessage(json, responseModel);
  },

  createStreamTranslator(call: ProviderCall, opts: StreamOptions): StreamTranslator {
    if (call !== 'chat') throw unsupportedCall('anthropic', call);
    return new AnthropicStreamTranslator(opts);
  },

  mapError(status: number, body: unknown): ProviderErrorInfo {
    return mapAnthropicError(status, body);
  },
};
