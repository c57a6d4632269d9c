import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelPrice, picoToDollars } from '@tollgate/pricing';
import { BatchCostAccumulator } from './batch-cost';

const line = (status: number, model: string, prompt: number, completion: number): string =>
  JSON.stringify({ custom_id: 'x', response: { status_code: status, body: { model, usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } } } });

const prices: Record<string, ModelPrice> = {
  withBatch: { input_cost_per_token: 0.000002, output_cost_per_token: 0.000008, input_cost_per_token_batches: 0.000001, output_cost_per_token_batches: 0.000003 },
  plain: { input_cost_per_token: 0.000002, output_cost_per_token: 0.000008 },
};

test('sums only status-200 lines, with *_batches prices', () => {
  const acc = new BatchCostAccumulator((m) => prices[m], 'withBatch');
  acc.addOutputLine(line(200, 'withBatch', 100, 10));
  acc.addOutputLine(line(200, 'withBatch', 50, 20));
  acc.addOutputLine(line(400, 'withBatch', 1000, 1000));
  acc.addOutputLine('');
  acc.addErrorLine('{"error":{}}');
  const r = acc.result();
  assert.equal(r.successful, 2);
  assert.equal(r.failed, 2);
  assert.deepEqual(r.usage, { prompt_tokens: 150, completion_tokens: 30, total_tokens: 180, cached_tokens: 0, reasoning_tokens: 0 });
  assert.equal(picoToDollars(r.inputPico), 150 * 0.000001);
  assert.equal(picoToDollars(r.outputPico), 30 * 0.000003);
  assert.equal(r.totalPico, r.inputPico + r.outputPico);
});

test('halves the normal price where the map has no batch price; unknown models cost 0', () => {
  const acc = new BatchCostAccumulator((m) => prices[m], 'plain');
  acc.addOutputLine(line(200, 'plain', 1000, 100));
  acc.addOutputLine(line(200, 'mystery', 1000, 100));
  const r = acc.result();
  assert.equal(picoToDollars(r.totalPico), 1000 * 0.000001 + 100 * 0.000004);
  assert.deepEqual(r.unpriced, ['mystery']);
  assert.deepEqual(r.models, ['plain', 'mystery']);
  assert.equal(r.successful, 2);
});

test('a malformed line is a failure, not a crash', () => {
  const acc = new BatchCostAccumulator(() => undefined, 'm');
  acc.addOutputLine('{not json');
  assert.equal(acc.result().failed, 1);
});
