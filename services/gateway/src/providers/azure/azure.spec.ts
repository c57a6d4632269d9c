import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, TollgateError } from '@tollgate/contracts';
import { azureProvider } from './azure.provider';
import type { UpstreamTarget } from '../provider';

const target = (over: Partial<UpstreamTarget> = {}): UpstreamTarget => ({
  provider: 'azure', model: 'gpt4o-prod', apiBase: 'https://res.openai.azure.com/', apiKey: 'az-key', apiVersion: '2024-10-21', params: {}, ...over,
});

describe('azure buildRequest', () => {
  test('deployment URL with api-version for every call, api-key header', () => {
    const paths = { chat: 'chat/completions', completion: 'completions', embedding: 'embeddings', speech: 'audio/speech' } as const;
    for (const [call, path] of Object.entries(paths) as Array<[keyof typeof paths, string]>) {
      const spec = azureProvider.buildRequest(call, target(), { model: 'gpt4o-prod' }, false);
      assert.equal(spec.url, `https://res.openai.azure.com/openai/deployments/gpt4o-prod/${path}?api-version=2024-10-21`);
      assert.equal(spec.headers['api-key'], 'az-key');
      assert.equal(spec.headers.authorization, undefined);
    }
  });

  test('api_version may come from params; azure_ad_token is sent as a bearer token', () => {
    const spec = azureProvider.buildRequest('chat', target({ apiVersion: undefined, apiKey: undefined, params: { api_version: '2025-01-01-preview', azure_ad_token: 'aad' } }), {}, true);
    assert.match(spec.url, /\?api-version=2025-01-01-preview$/);
    assert.equal(spec.headers.authorization, 'Bearer aad');
    assert.deepEqual(JSON.parse(spec.body).stream_options, { include_usage: true });
  });

  test('a missing api_version is a config error naming the deployment', () => {
    assert.throws(
      () => azureProvider.buildRequest('chat', target({ apiVersion: undefined }), {}, false),
      (e: unknown) => e instanceof TollgateError && e.code === ErrorCode.Internal && e.status === 500 && e.message.includes('"gpt4o-prod"') && e.message.includes('api_version'),
    );
  });

  test('Azure error bodies (code without type)', () => {
    assert.deepEqual(azureProvider.mapError(429, { error: { code: '429', message: 'Requests ... exceeded' } }), { message: 'Requests ... exceeded', type: null, param: null, code: '429' });
    assert.equal(azureProvider.mapError(500, 'oops').message, 'Azure OpenAI returned HTTP 500: oops');
  });
});
