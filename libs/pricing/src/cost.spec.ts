import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeCost, dollarsToPico, PriceTable, type ModelPrice } from './index';

const builtIn = PriceTable.builtIn();
function price(model: string, provider?: string): ModelPrice {
  const hit = builtIn.lookup(model, provider);
  assert.ok(hit, `${model} has no price`);
  return hit.price;
}

test('chat: prompt at the input price, completion at the output price', () => {
  const c = computeCost({ callType: 'chat', price: price('gpt-4o'), usage: { prompt_tokens: 1000, completion_tokens: 500 } });
  assert.equal(c.input_cost, 0.0025);
  assert.equal(c.output_cost, 0.005);
  assert.equal(c.cache_read_cost, 0);
  assert.equal(c.total_cost, 0.0075);
  assert.equal(c.total_pico, 7_500_000_000n);
  assert.equal(c.priced, true);
});

test('chat: cached tokens are priced once, at the cache-read price', () => {
  const c = computeCost({
    callType: 'chat',
    price: price('gpt-4o'),
    usage: { prompt_tokens: 1000, completion_tokens: 100, cached_tokens: 400 },
  });
  assert.equal(c.input_cost, 0.0015); // 600 uncached × 2.5e-6
  assert.equal(c.cache_read_cost, 0.0005); // 400 × 1.25e-6
  assert.equal(c.output_cost, 0.001);
  assert.equal(c.total_cost, 0.003);
});

test('chat: without a cache-read price, cached tokens are ordinary input', () => {
  const p: ModelPrice = { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 };
  const c = computeCost({ callType: 'chat', price: p, usage: { prompt_tokens: 1000, completion_tokens: 0, cached_tokens: 400 } });
  assert.equal(c.input_cost, 0.001);
  assert.equal(c.cache_read_cost, 0);
});

test('chat: more cached tokens than prompt tokens cannot make input negative', () => {
  const c = computeCost({ callType: 'chat', price: price('gpt-4o'), usage: { prompt_tokens: 10, cached_tokens: 50 } });
  assert.equal(c.input_cost, 0);
  assert.equal(c.cache_read_cost, 0.0000125);
});

test('reasoning tokens are part of completion tokens, priced once at the reasoning price', () => {
  const p: ModelPrice = { input_cost_per_token: 1e-6, output_cost_per_token: 8e-6, output_cost_per_reasoning_token: 3e-6 };
  const c = computeCost({ callType: 'chat', price: p, usage: { prompt_tokens: 0, completion_tokens: 1000, reasoning_tokens: 600 } });
  assert.equal(c.output_cost, 0.0032 + 0.0018); // 400 × 8e-6 + 600 × 3e-6
  assert.equal(c.total_pico, 5_000_000_000n);
});

test('reasoning tokens without a reasoning price are ordinary output', () => {
  const c = computeCost({ callType: 'chat', price: price('o1'), usage: { prompt_tokens: 0, completion_tokens: 1000, reasoning_tokens: 600 } });
  assert.equal(c.output_cost, 0.06);
});

test('a real model with a reasoning price (map value)', () => {
  const p = price('perplexity/sonar-deep-research');
  assert.ok(p.output_cost_per_reasoning_token !== undefined);
  const c = computeCost({ callType: 'chat', price: p, usage: { prompt_tokens: 0, completion_tokens: 10, reasoning_tokens: 10 } });
  assert.equal(c.total_pico, 10n * dollarsToPico(p.output_cost_per_reasoning_token));
  assert.notEqual(p.output_cost_per_reasoning_token, p.output_cost_per_token);
});

test('completion calls are priced like chat', () => {
  const p: ModelPrice = { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 };
  const c = computeCost({ callType: 'completion', price: p, usage: { prompt_tokens: 10, completion_tokens: 10 } });
  assert.equal(c.total_pico, 30_000_000n);
});

test('embedding: input tokens only', () => {
  const c = computeCost({ callType: 'embedding', price: price('text-embedding-3-small'), usage: { prompt_tokens: 1_000_000, completion_tokens: 99 } });
  assert.equal(c.input_cost, 0.02);
  assert.equal(c.output_cost, 0);
  assert.equal(c.total_cost, 0.02);
});

test('speech: per input character where the map prices characters (tts-1)', () => {
  const c = computeCost({ callType: 'speech', price: price('tts-1'), usage: { prompt_tokens: 250 }, characters: 1000 });
  assert.equal(c.input_cost, 0.015);
  assert.equal(c.total_cost, 0.015);
  const same = computeCost({ callType: 'speech', price: price('tts-1'), usage: { prompt_tokens: 250 }, characters: { input: 1000 } });
  assert.equal(same.total_pico, c.total_pico);
});

test('speech: by tokens where the map has no character price', () => {
  const p: ModelPrice = { input_cost_per_token: 6e-7, output_cost_per_token: 1.2e-5 };
  const c = computeCost({ callType: 'speech', price: p, usage: { prompt_tokens: 100, completion_tokens: 1000 }, characters: 400 });
  assert.equal(c.input_cost, 0.00006);
  assert.equal(c.output_cost, 0.012);
});

test('batch: the map *_batches prices', () => {
  const c = computeCost({ callType: 'chat', price: price('gpt-4o'), usage: { prompt_tokens: 1000, completion_tokens: 1000 }, batch: true });
  assert.equal(c.input_cost, 0.00125);
  assert.equal(c.output_cost, 0.005);
});

test('batch: 50% of the normal price where the map has no batch price', () => {
  const p = price('claude-sonnet-4-5-20250929');
  assert.equal(p.input_cost_per_token_batches, undefined);
  const c = computeCost({ callType: 'chat', price: p, usage: { prompt_tokens: 1000, completion_tokens: 1000, cached_tokens: 200 }, batch: true });
  assert.equal(c.input_cost, 0.0012); // 800 × 1.5e-6
  assert.equal(c.cache_read_cost, 0.00003); // 200 × 1.5e-7
  assert.equal(c.output_cost, 0.0075); // 1000 × 7.5e-6
  const speech = computeCost({ callType: 'speech', price: price('tts-1'), usage: { prompt_tokens: 0 }, characters: 1000, batch: true });
  assert.equal(speech.total_cost, 0.0075);
});

test('an unknown price costs 0 and is marked unpriced; a free model is priced at 0', () => {
  const unknown = computeCost({ callType: 'chat', price: undefined, usage: { prompt_tokens: 10, completion_tokens: 10 } });
  assert.deepEqual(unknown, { input_cost: 0, output_cost: 0, cache_read_cost: 0, total_cost: 0, total_pico: 0n, priced: false });
  const free = computeCost({ callType: 'chat', price: { input_cost_per_token: 0, output_cost_per_token: 0 }, usage: { prompt_tokens: 10 } });
  assert.equal(free.total_pico, 0n);
  assert.equal(free.priced, true);
});

test('bad counts are treated as 0, never as a throw or a negative cost', () => {
  const c = computeCost({ callType: 'chat', price: price('gpt-4o'), usage: { prompt_tokens: -5, completion_tokens: Number.NaN } });
  assert.equal(c.total_pico, 0n);
});
