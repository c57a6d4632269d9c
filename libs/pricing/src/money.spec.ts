import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeCost, dollarsToPico, picoToDollars } from './index';
import { halve, picoFor, toDecimal } from './money';

test('a million requests at 1e-7 $ sum to exactly 0.1 $ in pico-dollars', () => {
  const one = computeCost({ callType: 'chat', price: { input_cost_per_token: 1e-7 }, usage: { prompt_tokens: 1 } });
  assert.equal(one.total_pico, 100_000n);
  let pico = 0n;
  let float = 0;
  for (let i = 0; i < 1_000_000; i++) {
    pico += one.total_pico;
    float += one.total_cost;
  }
  assert.equal(pico, 100_000_000_000n);
  assert.equal(picoToDollars(pico), 0.1);
  assert.notEqual(float, 0.1, 'the float sum drifts: why money is summed in pico-dollars');
});

test('prices are parsed exactly from their decimal form', () => {
  assert.deepEqual(toDecimal(2.5e-7), { mantissa: 25n, exponent: -8 });
  assert.deepEqual(toDecimal(0.0000025), { mantissa: 25n, exponent: -7 });
  assert.deepEqual(toDecimal(3), { mantissa: 3n, exponent: 0 });
  assert.deepEqual(halve(toDecimal(1.5e-7)), { mantissa: 75n, exponent: -9 });
  assert.throws(() => toDecimal(-1), RangeError);
});

test('count × price is exact in pico-dollars; sub-pico remainders round half up', () => {
  assert.equal(picoFor(3, toDecimal(3.3e-6)), 9_900_000n); // 3 × 3.3e-6 as floats is 9.899999999999999e-6
  assert.equal(picoFor(1, toDecimal(1.3e-10)), 130n);
  assert.equal(picoFor(1, toDecimal(1.5e-13)), 0n);
  assert.equal(picoFor(1, toDecimal(5e-13)), 1n);
  assert.equal(picoFor(0, toDecimal(1)), 0n);
  assert.equal(picoFor(7, undefined), 0n);
});

test('dollars and pico-dollars convert both ways', () => {
  assert.equal(dollarsToPico(0.1), 100_000_000_000n);
  assert.equal(dollarsToPico(1e-7), 100_000n);
  assert.equal(picoToDollars(1n), 1e-12);
  assert.equal(picoToDollars(dollarsToPico(123.456789)), 123.456789);
});
