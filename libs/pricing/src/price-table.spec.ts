import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PriceTable } from './index';
import { HAS_SHARED_MAP, readSharedMap } from '../test/support';

const table = PriceTable.builtIn();

function keyOf(model: string, provider?: string): string | undefined {
  return table.lookup(model, provider)?.key;
}

test('builtIn() is loaded once and holds the generated table', () => {
  assert.equal(PriceTable.builtIn(), table);
  assert.ok(table.size > 2000, `only ${table.size} entries`);
  assert.equal(table.get('sample_spec'), undefined);
});

test('lookup by the map key itself, in every key form the map uses', () => {
  assert.equal(keyOf('gpt-4o'), 'gpt-4o');
  assert.equal(keyOf('azure/gpt-4o'), 'azure/gpt-4o');
  assert.equal(keyOf('openrouter/openai/o1'), 'openrouter/openai/o1');
  assert.equal(keyOf('vertex_ai/mistral-large@2411-001'), 'vertex_ai/mistral-large@2411-001');
  assert.equal(keyOf('claude-sonnet-4-5-20250929'), 'claude-sonnet-4-5-20250929');
  assert.equal(keyOf('anthropic.claude-3-5-sonnet-20241022-v2:0'), 'anthropic.claude-3-5-sonnet-20241022-v2:0');
});

test('lookup by provider + model tries provider/model first', () => {
  assert.equal(keyOf('gpt-4o', 'azure'), 'azure/gpt-4o');
  assert.equal(keyOf('openai/o1', 'openrouter'), 'openrouter/openai/o1');
  assert.equal(keyOf('claude-sonnet-4-5', 'vertex_ai'), 'vertex_ai/claude-sonnet-4-5');
  assert.equal(keyOf('gemini-2.5-flash', 'gemini'), 'gemini/gemini-2.5-flash');
  // a provider already in the name is not doubled
  assert.equal(keyOf('azure/gpt-4o', 'azure'), 'azure/gpt-4o');
  // a provider variant resolves to its family's keys
  assert.equal(keyOf('mistral-large@latest', 'vertex_ai_beta'), 'vertex_ai/mistral-large@latest');
});

test('lookup falls back to the bare key when it belongs to the provider', () => {
  assert.equal(keyOf('gpt-4o', 'openai'), 'gpt-4o');
  assert.equal(keyOf('claude-sonnet-4-5-20250929', 'anthropic'), 'claude-sonnet-4-5-20250929');
  assert.equal(keyOf('openai/gpt-4o'), 'gpt-4o');
  assert.equal(keyOf('anthropic/claude-sonnet-4-5-20250929'), 'claude-sonnet-4-5-20250929');
  assert.equal(keyOf('anthropic/claude-3-haiku-20240307'), 'claude-3-haiku-20240307');
});

test("lookup does not price one provider's model with another provider's entry", () => {
  assert.equal(keyOf('gpt-4o', 'hosted_vllm'), undefined);
  assert.equal(keyOf('claude-sonnet-4-5-20250929', 'openai'), undefined);
  assert.equal(keyOf('no-such-model'), undefined);
  assert.equal(keyOf(''), undefined);
});

test('the seed models resolve with and without the vertex_ai/ prefix', () => {
  const seeds: [string, number, number][] = [
    ['mistral-large@2411', 2e-6, 6e-6],
    ['mistral-large@2411-001', 2e-6, 6e-6],
    ['mistral-large-2411', 2e-6, 6e-6],
    ['mistral-large@latest', 2e-6, 6e-6],
    ['mistral-large@2407', 2e-6, 6e-6],
    ['mistral-nemo@latest', 1.5e-7, 1.5e-7],
    ['codestral@latest', 2e-7, 6e-7],
    ['codestral@2405', 2e-7, 6e-7],
  ];
  for (const [name, input, output] of seeds) {
    for (const [model, provider] of [[`vertex_ai/${name}`], [name, 'vertex_ai'], [name]] as [string, string?][]) {
      const hit = table.lookup(model, provider);
      assert.ok(hit, `${provider ?? ''} ${model} not found`);
      assert.equal(hit.price.input_cost_per_token, input, `${model} input`);
      assert.equal(hit.price.output_cost_per_token, output, `${model} output`);
    }
    assert.equal(keyOf(name, 'vertex_ai'), `vertex_ai/${name}`);
  }
  assert.equal(keyOf('mistral-large@2411'), 'vertex_ai/mistral-large@2411');
  const o1 = table.lookup('openrouter/openai/o1')?.price;
  assert.equal(o1?.input_cost_per_token, 1.5e-5);
  assert.equal(o1?.output_cost_per_token, 6e-5);
  assert.equal(o1?.cache_read_input_token_cost, 7.5e-6);
});

test('a bare name shared by providers at different prices stays unresolved', () => {
  const t = PriceTable.fromEntries({
    'a/model-x': { litellm_provider: 'a', input_cost_per_token: 1e-6 },
    'b/model-x': { litellm_provider: 'b', input_cost_per_token: 2e-6 },
  });
  assert.equal(t.lookup('model-x'), undefined);
  assert.equal(t.lookup('model-x', 'b')?.key, 'b/model-x');
});

test('known-model prices equal the literal values of the map', () => {
  const expect: Record<string, Record<string, number>> = {
    'gpt-4o': { input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5, cache_read_input_token_cost: 1.25e-6 },
    'gpt-4o-mini': { input_cost_per_token: 1.5e-7, output_cost_per_token: 6e-7, cache_read_input_token_cost: 7.5e-8 },
    'text-embedding-3-small': { input_cost_per_token: 2e-8, output_cost_per_token: 0 },
    'tts-1': { input_cost_per_character: 1.5e-5 },
    'claude-sonnet-4-5-20250929': { input_cost_per_token: 3e-6, output_cost_per_token: 1.5e-5 },
  };
  for (const [model, fields] of Object.entries(expect)) {
    const price = table.lookup(model)?.price as Record<string, unknown> | undefined;
    for (const [field, value] of Object.entries(fields)) assert.equal(price?.[field], value, `${model}.${field}`);
  }
});

test('known-model prices equal the shared LiteLLM map, field by field', { skip: !HAS_SHARED_MAP && 'no shared map' }, () => {
  const map = readSharedMap();
  const models = ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small', 'tts-1', 'claude-sonnet-4-5-20250929',
    'claude-3-haiku-20240307', 'azure/gpt-4o', 'o1', 'openrouter/openai/o1', 'vertex_ai/mistral-large@latest'];
  for (const model of models) {
    const price = table.lookup(model)?.price as Record<string, unknown> | undefined;
    const entry = map[model];
    assert.ok(price && entry, model);
    for (const field of ['input_cost_per_token', 'output_cost_per_token', 'cache_read_input_token_cost',
      'input_cost_per_token_batches', 'output_cost_per_token_batches', 'input_cost_per_character', 'litellm_provider']) {
      assert.equal(price[field], entry[field], `${model}.${field}`);
    }
  }
});

test('merge overrides field by field; withDefaults only fills missing keys', () => {
  const merged = table.merge({ 'gpt-4o': { output_cost_per_token: 2e-5 }, 'my-model': { input_cost_per_token: 1e-6 } });
  assert.equal(merged.get('gpt-4o')?.output_cost_per_token, 2e-5);
  assert.equal(merged.get('gpt-4o')?.input_cost_per_token, 2.5e-6);
  assert.equal(merged.lookup('my-model')?.price.input_cost_per_token, 1e-6);
  assert.equal(table.get('gpt-4o')?.output_cost_per_token, 1e-5, 'the original table is unchanged');
  assert.equal(table.get('my-model'), undefined);

  const filled = table.withDefaults({ 'gpt-4o': { input_cost_per_token: 9 }, 'other': { input_cost_per_token: 1 } });
  assert.equal(filled.get('gpt-4o')?.input_cost_per_token, 2.5e-6);
  assert.equal(filled.get('other')?.input_cost_per_token, 1);
});
