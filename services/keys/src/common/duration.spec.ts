import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDuration, nextResetAt, parseDuration } from './duration';

const at = (iso: string): Date => new Date(iso);
const d = (s: string) => {
  const p = parseDuration(s);
  assert.ok(p, s);
  return p;
};

test('durations parse as LiteLLM writes them; anything else is refused', () => {
  assert.deepEqual(parseDuration('30s'), { value: 30, unit: 's' });
  assert.deepEqual(parseDuration('30m'), { value: 30, unit: 'm' });
  assert.deepEqual(parseDuration('30h'), { value: 30, unit: 'h' });
  assert.deepEqual(parseDuration('30d'), { value: 30, unit: 'd' });
  assert.deepEqual(parseDuration('1mo'), { value: 1, unit: 'mo' });
  assert.deepEqual(parseDuration('2w'), { value: 2, unit: 'w' });
  assert.deepEqual(parseDuration('90'), { value: 90, unit: 's' });
  for (const bad of ['', 'd', '30x', '-1d', '1.5h', '30 days', "1d'; DROP TABLE keys;--"]) assert.equal(parseDuration(bad), null, bad);
});

test('expires = now + duration; months are calendar months', () => {
  const now = at('2025-01-31T10:00:00Z');
  assert.equal(addDuration(d('30s'), now).toISOString(), '2025-01-31T10:00:30.000Z');
  assert.equal(addDuration(d('30m'), now).toISOString(), '2025-01-31T10:30:00.000Z');
  assert.equal(addDuration(d('30h'), now).toISOString(), '2025-02-01T16:00:00.000Z');
  assert.equal(addDuration(d('30d'), now).toISOString(), '2025-03-02T10:00:00.000Z');
  assert.equal(addDuration(d('1mo'), at('2025-03-15T00:00:00Z')).toISOString(), '2025-04-15T00:00:00.000Z');
});

test('budget resets land on standardized boundaries', () => {
  const wed = at('2025-05-14T13:37:21Z'); // a Wednesday
  assert.equal(nextResetAt(d('1d'), wed).toISOString(), '2025-05-15T00:00:00.000Z');
  assert.equal(nextResetAt(d('7d'), wed).toISOString(), '2025-05-19T00:00:00.000Z');
  assert.equal(nextResetAt(d('1w'), wed).toISOString(), '2025-05-19T00:00:00.000Z');
  assert.equal(nextResetAt(d('30d'), wed).toISOString(), '2025-06-01T00:00:00.000Z');
  assert.equal(nextResetAt(d('1mo'), wed).toISOString(), '2025-06-01T00:00:00.000Z');
  assert.equal(nextResetAt(d('3d'), wed).toISOString(), '2025-05-17T00:00:00.000Z');
  assert.equal(nextResetAt(d('6h'), wed).toISOString(), '2025-05-14T18:00:00.000Z');
  assert.equal(nextResetAt(d('15m'), wed).toISOString(), '2025-05-14T13:45:00.000Z');
  assert.equal(nextResetAt(d('30s'), wed).toISOString(), '2025-05-14T13:37:30.000Z');
  // a Monday resets the following Monday, never the same instant
  assert.equal(nextResetAt(d('7d'), at('2025-05-19T00:00:00Z')).toISOString(), '2025-05-26T00:00:00.000Z');
  assert.equal(nextResetAt(d('24h'), wed).toISOString(), '2025-05-15T00:00:00.000Z');
});
