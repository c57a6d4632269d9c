import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainingCost } from './training-cost';

test('trained tokens times the training price, exactly', () => {
  assert.deepEqual(trainingCost(4096, 0.000003), { cost: 0.012288, note: null });
});

test('no price: 0 with a note', () => {
  const r = trainingCost(4096, undefined);
  assert.equal(r.cost, 0);
  assert.match(r.note ?? '', /training_cost_per_token/);
});
