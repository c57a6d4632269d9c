import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '@tollgate/config';
import { TollgateError } from '@tollgate/contracts';
import { DeploymentResolver } from './deployment-resolver';

const config = parseConfig(`
model_list:
  - model_name: gpt-4o-mini
    litellm_params: { model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:1/v1", api_key: k1 }
    model_info: { id: oai-1 }
  - model_name: az
    litellm_params: { model: azure/my-deploy, api_base: "http://127.0.0.1:2/", api_key: k2, api_version: "2025-01-01" }
    model_info: { id: az-1 }
  - model_name: claude
    litellm_params: { model: anthropic/claude-3-5-sonnet }
`, {}, 'test');

const resolver = new DeploymentResolver(config.deployments, [{ custom_llm_provider: 'openai', api_base: 'http://127.0.0.1:3/v1', api_key: 'k3' }], [{ custom_llm_provider: 'openai', api_base: 'http://127.0.0.1:4/v1', api_key: 'k4', training_cost_per_token: 0.000003 }]);

test('a model name routes to its deployment; the id is LiteLLM-encoded', () => {
  const ref = resolver.forNewFile({ model: 'az' });
  assert.deepEqual(ref, { kind: 'model', ref: 'az-1', provider: 'azure', modelName: 'az' });
  const t = resolver.target(ref);
  assert.equal(t.apiBase, 'http://127.0.0.1:2');
  assert.equal(t.apiVersion, '2025-01-01');
  assert.match(resolver.publicId(ref, 'file-x'), /^file-[A-Za-z0-9_-]+$/);
});

test('no model: custom_llm_provider (default openai) through files_settings; fine-tuning prefers finetune_settings', () => {
  const ref = resolver.forNewFile({});
  assert.deepEqual(ref, { kind: 'settings', ref: 'openai', provider: 'openai', modelName: null });
  assert.equal(resolver.target(ref, 'files').apiKey, 'k3');
  assert.equal(resolver.target(ref, 'fine_tuning').apiKey, 'k4');
  assert.equal(resolver.target(ref, 'fine_tuning').trainingCostPerToken, 0.000003);
  assert.equal(resolver.publicId(ref, 'file-x'), 'file-x');
});

test('unknown model, unsupported provider and missing settings are 400s', () => {
  for (const hints of [{ model: 'nope' }, { model: 'claude' }, { provider: 'vertex_ai' }, { provider: 'azure' }]) {
    assert.throws(() => resolver.forNewFile(hints), (e: unknown) => e instanceof TollgateError && e.status === 400);
  }
});
