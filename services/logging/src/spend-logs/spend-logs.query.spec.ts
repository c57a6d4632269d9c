import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, TollgateError } from '@tollgate/contracts';
import { parseSpendLogsQuery } from './spend-logs.query';

function badParam(fn: () => unknown): string | null {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof TollgateError);
    assert.equal(e.code, ErrorCode.BadRequest);
    return e.param;
  }
  assert.fail('expected a BadRequest');
}

test('defaults: limit 100, offset 0, no filters', () => {
  assert.deepEqual(parseSpendLogsQuery({}), {
    requestId: undefined, apiKey: undefined, userId: undefined, teamId: undefined, limit: 100, offset: 0,
  });
  assert.equal(parseSpendLogsQuery(undefined).limit, 100);
});

test('a YYYY-MM-DD end date covers the whole UTC day', () => {
  const f = parseSpendLogsQuery({ start_date: '2024-03-01', end_date: '2024-03-02' });
  assert.equal(f.from?.toISOString(), '2024-03-01T00:00:00.000Z');
  assert.deepEqual(f.to, { at: new Date('2024-03-03T00:00:00.000Z'), inclusive: false });
});

test('a timestamp end is inclusive; a timestamp without a zone is UTC', () => {
  const f = parseSpendLogsQuery({ start_date: '2024-03-01 10:00', end_date: '2024-03-01T12:00:00+02:00' });
  assert.equal(f.from?.toISOString(), '2024-03-01T10:00:00.000Z');
  assert.deepEqual(f.to, { at: new Date('2024-03-01T10:00:00.000Z'), inclusive: true });
});

test('same start and end day is one day', () => {
  const f = parseSpendLogsQuery({ start_date: '2024-02-29', end_date: '2024-02-29' });
  assert.equal(f.to?.at.toISOString(), '2024-03-01T00:00:00.000Z');
});

test('bad input names the field', () => {
  assert.equal(badParam(() => parseSpendLogsQuery({ start_date: '2024-02-30' })), 'start_date');
  assert.equal(badParam(() => parseSpendLogsQuery({ end_date: '03/01/2024' })), 'end_date');
  assert.equal(badParam(() => parseSpendLogsQuery({ start_date: '2024-03-02', end_date: '2024-03-01' })), 'end_date');
  assert.equal(badParam(() => parseSpendLogsQuery({ limit: 0 })), 'limit');
  assert.equal(badParam(() => parseSpendLogsQuery({ limit: 1001 })), 'limit');
  assert.equal(badParam(() => parseSpendLogsQuery({ offset: -1 })), 'offset');
  assert.equal(badParam(() => parseSpendLogsQuery({ user_id: 5 as unknown as string })), 'user_id');
});

test('numeric strings are accepted for limit and offset; empty strings are no filter', () => {
  const f = parseSpendLogsQuery({ limit: '25' as unknown as number, offset: '50' as unknown as number, user_id: '' });
  assert.equal(f.limit, 25);
  assert.equal(f.offset, 50);
  assert.equal(f.userId, undefined);
});
