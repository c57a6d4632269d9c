import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderTarget } from '../routing/deployment-resolver';
import { providerAuth, providerUrl } from './provider-urls';

const base: Omit<ProviderTarget, 'provider' | 'apiBase'> = { apiKey: 'k', apiVersion: '2024-10-21', trainingCostPerToken: undefined, params: undefined, upstreamModel: undefined };

test('OpenAI-compatible: api_base + path, Bearer key', () => {
  const t: ProviderTarget = { ...base, provider: 'openai', apiBase: 'http://h/v1' };
  assert.equal(providerUrl(t, '/files', { purpose: 'batch', after: undefined }), 'http://h/v1/files?purpose=batch');
  assert.deepEqual(providerAuth(t), { authorization: 'Bearer k' });
});

test('Azure: /openai path, api-version query, api-key header', () => {
  const t: ProviderTarget = { ...base, provider: 'azure', apiBase: 'https://r.openai.azure.com' };
  assert.equal(providerUrl(t, '/batches/b1/cancel'), 'https://r.openai.azure.com/openai/batches/b1/cancel?api-version=2024-10-21');
  assert.equal(providerUrl(t, '/fine_tuning/jobs', { limit: '5' }), 'https://r.openai.azure.com/openai/fine_tuning/jobs?api-version=2024-10-21&limit=5');
  assert.deepEqual(providerAuth(t), { 'api-key': 'k' });
});
