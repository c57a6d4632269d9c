import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, subtractDuration } from './duration';

test('LiteLLM durations parse; anything else names the setting', () => {
  assert.equal(parseDuration('30d', 'x').approxMs, 30 * 86_400_000);
  assert.equal(parseDuration('7d', 'x').approxMs, 7 * 86_400_000);
  assert.equal(parseDuration('12h', 'x').approxMs, 12 * 3_600_000);
  assert.equal(parseDuration('1mo', 'x').unit, 'mo');
  for (const bad of ['', '30', 'd', '0d', '-1d', '1 month', '1.5d']) {
    assert.throws(() => parseDuration(bad, 'maximum_spend_logs_retention_period'), /maximum_spend_logs_retention_period/);
  }
});

test('months are calendar months, clamped to the shorter month', () => {
  const now = new Date('2024-03-31T12:00:00Z');
  assert.equal(subtractDuration(now, parseDuration('1mo', 'x')).toISOString(), '2024-02-29T12:00:00.000Z');
  assert.equal(subtractDuration(now, parseDuration('13mo', 'x')).toISOString(), '2023-02-28T12:00:00.000Z');
  assert.equal(subtractDuration(now, parseDuration('30d', 'x')).toISOString(), '2024-03-01T12:00:00.000Z');
});
