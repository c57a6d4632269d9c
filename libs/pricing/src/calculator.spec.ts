import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CostCalculator, effectivePrice, PriceTable, type ModelPrice } from './index';

function calculator() {
  const warnings: { message: string; context: { model: string; provider?: string } }[] = [];
  const calc = new CostCalculator({ warn: (message, context) => warnings.push({ message, context }) });
  return { calc, warnings };
}

test('an unknown model costs 0 and is warned about exactly once', () => {
  const { calc, warnings } = calculator();
  for (let i = 0; i < 3; i++) {
    const c = calc.cost({ model: 'made-up-model', callType: 'chat', usage: { prompt_tokens: 100, completion_tokens: 100 } });
    assert.equal(c.total_cost, 0);
    assert.equal(c.total_pico, 0n);
    assert.equal(c.priced, false);
  }
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!.message, /made-up-model/);
  assert.deepEqual(warnings[0]!.context, { model: 'made-up-model' });

  calc.cost({ model: 'other-made-up', provider: 'openai', callType: 'chat', usage: { prompt_tokens: 1 } });
  assert.equal(warnings.length, 2, 'each unknown model is reported');
  assert.deepEqual(warnings[1]!.context, { model: 'other-made-up', provider: 'openai' });
});

test('the default warning goes to console.warn, once', (t) => {
  const warn = t.mock.method(console, 'warn', () => {});
  const calc = new CostCalculator();
  calc.cost({ model: 'made-up-model', callType: 'chat', usage: { prompt_tokens: 1 } });
  calc.cost({ model: 'made-up-model', callType: 'chat', usage: { prompt_tokens: 1 } });
  assert.equal(warn.mock.callCount(), 1);
});

test('a known model is priced with its table key and no warning', () => {
  const { calc, warnings } = calculator();
  const c = calc.cost({ model: 'gpt-4o', provider: 'azure', callType: 'chat', usage: { prompt_tokens: 1000, completion_tokens: 1000 } });
  assert.equal(c.price_key, 'azure/gpt-4o');
  assert.equal(c.total_cost, 0.0125);
  assert.equal(warnings.length, 0);
});

test('deployment prices replace the table price and price models the table does not know', () => {
  const { calc, warnings } = calculator();
  const litellm_params = { model: 'azure/my-deployment', api_base: 'http://x', input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 };
  const c = calc.cost({ model: 'my-deployment', provider: 'azure', deployment: litellm_params, callType: 'chat', usage: { prompt_tokens: 1000, completion_tokens: 1000 } });
  assert.equal(c.total_cost, 0.003);
  assert.equal(c.priced, true);
  assert.equal(c.price_key, undefined);
  assert.equal(warnings.length, 0);

  const over = calc.cost({ model: 'gpt-4o', deployment: { output_cost_per_token: 0 }, callType: 'chat', usage: { prompt_tokens: 1000, completion_tokens: 1000 } });
  assert.equal(over.input_cost, 0.0025, 'fields the deployment does not set keep the table price');
  assert.equal(over.output_cost, 0);
});

test('effectivePrice: per-token, per-character and cache-read overrides', () => {
  const base = PriceTable.builtIn().lookup('gpt-4o')!.price;
  assert.equal(effectivePrice(base, undefined), base);
  assert.equal(effectivePrice(base, { input_cost_per_token: 'not a number', output_cost_per_token: -1 }), base);
  assert.equal(effectivePrice(undefined, {}), undefined);

  const p = effectivePrice(base, { input_cost_per_token: 5e-6 }) as ModelPrice;
  assert.equal(p.input_cost_per_token, 5e-6);
  assert.equal(p.output_cost_per_token, 1e-5);
  // the map's discounts relative to the replaced price are dropped, not kept at a made-up ratio
  assert.equal(p.cache_read_input_token_cost, undefined);
  assert.equal(p.input_cost_per_token_batches, undefined);
  assert.equal(p.output_cost_per_token_batches, 5e-6);

  const cached = effectivePrice(base, { input_cost_per_token: 5e-6, cache_read_input_token_cost: '1e-6' }) as ModelPrice;
  assert.equal(cached.cache_read_input_token_cost, 1e-6);

  const chars = effectivePrice(undefined, { input_cost_per_character: 1e-5, output_cost_per_character: 2e-5 }) as ModelPrice;
  assert.deepEqual(chars, { input_cost_per_character: 1e-5, output_cost_per_character: 2e-5 });
});

test('character overrides price a chat deployment by characters when counts are given', () => {
  const { calc } = calculator();
  const c = calc.cost({
    model: 'gemini-pro-legacy',
    deployment: { input_cost_per_character: 1e-6, output_cost_per_character: 2e-6 },
    callType: 'chat',
    usage: { prompt_tokens: 100, completion_tokens: 100 },
    characters: { input: 400, output: 300 },
  });
  assert.equal(c.input_cost, 0.0004);
  assert.equal(c.output_cost, 0.0006);
});

test('a calculator can use a table loaded at run time', () => {
  const table = PriceTable.fromLiteLLMMap({ 'new-model': { litellm_provider: 'openai', mode: 'chat', input_cost_per_token: 1e-6 } });
  const calc = new CostCalculator({ table, warn: () => assert.fail('no warning expected') });
  assert.equal(calc.cost({ model: 'new-model', callType: 'chat', usage: { prompt_tokens: 10 } }).total_pico, 10_000_000n);
});
