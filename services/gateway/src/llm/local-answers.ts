import { ErrorCode, TollgateError } from '@tollgate/contracts';
import { Deployment } from '@tollgate/config';
import { ProviderUsage } from '../providers/provider';
import {
  chatChunks, chatCompletion, embeddings, estimateTokens, MOCK_RESPONSE_USAGE, mockModelReply, mockResponseError,
  speechWav, textCompletion, textCompletionChunks, usageOf,
} from '../providers/mock/mock-responses';
import { CallResult } from './call-result';
import { LlmRequest, lastUserText, promptText } from './request-validation';

/**
 * Answers without a provider: `mock_response` in the body (any deployment) or a `mock/` deployment.
 * Returns the result and its usage; costing and logging happen exactly as for a provider call.
 */
export function localAnswer(req: LlmRequest, d: Deployment): { result: CallResult; usage: ProviderUsage } {
  const model = d.upstreamModel;
  const mock = req.mockResponse;
  if (mock !== undefined) {
    const err = mockResponseError(mock, req.model);
    if (err) throw err;
  }
  switch (req.call) {
    case 'chat': {
      const useBodyMock = mock !== undefined;
      if (useBodyMock && typeof mock === 'object' && mock !== null) {
        const body: Record<string, unknown> = { object: 'chat.completion', created: Math.floor(Date.now() / 1000), model, ...(mock as Record<string, unknown>) };
        const u = (body.usage as ProviderUsage | undefined) ?? MOCK_RESPONSE_USAGE;
        return { result: { kind: 'json', body }, usage: u };
      }
      const text = useBodyMock ? String(mock) : mockModelReply(model, lastUserText(req.body));
      const usage = useBodyMock ? MOCK_RESPONSE_USAGE : usageOf(estimateTokens(promptText('chat', req.body)), estimateTokens(text));
      const n = typeof req.body.n === 'number' ? Math.min(Math.max(1, Math.floor(req.body.n)), 16) : 1;
      if (req.stream) return { result: { kind: 'stream', payloads: arrayStream(chatChunks(model, text, req.includeUsage, usage)) }, usage };
      return { result: { kind: 'json', body: chatCompletion(model, text, n, usage) }, usage };
    }
    case 'completion': {
      const text = mock !== undefined ? String(mock) : `Hello from Tollgate's mock model ${model}.`;
      const usage = mock !== undefined ? MOCK_RESPONSE_USAGE : usageOf(estimateTokens(promptText('completion', req.body)), estimateTokens(text));
      if (req.stream) return { result: { kind: 'stream', payloads: arrayStream(textCompletionChunks(model, text, req.includeUsage, usage)) }, usage };
      return { result: { kind: 'json', body: textCompletion(model, text, usage) }, usage };
    }
    case 'embedding': {
      const input = req.body.input;
      const inputs = (Array.isArray(input) ? input : [input]).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
      const dims = typeof req.body.dimensions === 'number' && req.body.dimensions > 0 ? Math.min(Math.floor(req.body.dimensions), 4096) : 1536;
      const encoding = req.body.encoding_format === 'base64' ? 'base64' : 'float';
      const { body, usage } = embeddings(model, inputs, dims, encoding);
      return { result: { kind: 'json', body }, usage };
    }
    case 'speech': {
      const input = String(req.body.input);
      if (input.length > 4096) throw new TollgateError(ErrorCode.BadRequest, 'input must be at most 4096 characters', { status: 400, param: 'input' });
      return { result: { kind: 'binary', contentType: 'audio/wav', data: speechWav(input) }, usage: usageOf(0, 0) };
    }
  }
}

async function* arrayStream(items: string[]): AsyncGenerator<string> {
  for (const item of items) yield item;
}
