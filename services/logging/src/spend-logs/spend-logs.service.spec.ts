import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { emptyLoggingMetadata, StandardLoggingPayload } from '@tollgate/contracts';
import type { ConsumedEvent } from '@tollgate/messaging';
import { readEnv } from '@tollgate/config';
import { CallbacksService } from '../callbacks/callbacks.service';
import { resolveOptions, ResolvedLoggingOptions } from '../logging.options';
import { LoggingMetrics } from '../metrics/logging-metrics';
import { SpendLogInsert } from './spend-log.entity';
import { SpendLogsRepository } from './spend-logs.repository';
import { SpendLogsService } from './spend-logs.service';

const opts: ResolvedLoggingOptions = resolveOptions({ env: readEnv({ TOLLGATE_NAMESPACE: 'ns' }), databaseUrl: 'postgres://x/y', batch: { maxMessages: 10 } });

/** Records what would be sent to the callbacks. */
function fakeCallbacks() {
  const sent: { id: string; failed: boolean }[] = [];
  const callbacks = { dispatch: (p: StandardLoggingPayload, failed: boolean) => sent.push({ id: p.id, failed }) };
  return { callbacks: callbacks as unknown as CallbacksService, sent };
}

function serviceWith(repo: SpendLogsRepository, callbacks = fakeCallbacks().callbacks): SpendLogsService {
  return new SpendLogsService(repo, opts, silent, new LoggingMetrics(), callbacks);
}

function event(id: string, subject = 'ns.usage.recorded', over: Record<string, unknown> = {}): ConsumedEvent<StandardLoggingPayload> {
  const payload = { id, call_type: 'acompletion', status: 'success', response_cost: 0, startTime: 1709287200, endTime: 1709287201, metadata: emptyLoggingMetadata(), ...over };
  return { subject, msgId: id, payload: payload as unknown as StandardLoggingPayload, redelivered: false };
}

/** A repository double: records batches; `fail(row)` decides which rows Postgres would refuse. */
function fakeRepo(fail: (row: SpendLogInsert) => { code: string } | null = () => null) {
  const batches: string[][] = [];
  const repo = {
    async insertIgnoringDuplicates(rows: readonly SpendLogInsert[]): Promise<string[]> {
      for (const r of rows) {
        const err = fail(r);
        if (err) throw Object.assign(new Error('refused'), err);
      }
      batches.push(rows.map((r) => r.request_id));
      // 'dup' plays a row already stored: ON CONFLICT DO NOTHING returns nothing for it
      return rows.map((r) => r.request_id).filter((id) => id !== 'dup');
    },
  };
  return { repo: repo as unknown as SpendLogsRepository, batches };
}

const silent = pino({ level: 'silent' });

test('one insert per batch; duplicates inside a batch collapse; usage.failed is a failure row', async () => {
  const statuses: string[] = [];
  const { repo, batches } = fakeRepo((r) => {
    statuses.push(r.status);
    return null;
  });
  const service = serviceWith(repo);
  const result = await service.record([event('a'), event('a'), event('b', 'ns.usage.failed')]);
  assert.deepEqual(batches, [['a', 'b']]);
  assert.deepEqual(statuses, ['success', 'failure']);
  assert.deepEqual(result, { received: 3, inserted: 2, rejected: 0 });
});

test('an event that can never become a row is rejected; the rest of the batch is written', async () => {
  const { repo, batches } = fakeRepo();
  const service = serviceWith(repo);
  const result = await service.record([event('a'), event('', 'ns.usage.recorded')]);
  assert.deepEqual(batches, [['a']]);
  assert.equal(result.rejected, 1);
});

test('a Postgres data error isolates the bad row instead of wedging the batch', async () => {
  const { repo, batches } = fakeRepo((r) => (r.request_id === 'bad' ? { code: '22P05' } : null));
  const service = serviceWith(repo);
  const result = await service.record([event('a'), event('bad'), event('c')]);
  assert.deepEqual(batches, [['a'], ['c']]);
  assert.deepEqual(result, { received: 3, inserted: 2, rejected: 1 });
});

test('any other error fails the batch so it is redelivered', async () => {
  const { repo } = fakeRepo(() => ({ code: '57P01' }));
  const service = serviceWith(repo);
  await assert.rejects(service.record([event('a')]), /refused/);
});

test('callbacks get each new row once, after the insert, with its outcome; a stored duplicate is not sent again', async () => {
  const { repo } = fakeRepo();
  const { callbacks, sent } = fakeCallbacks();
  const service = serviceWith(repo, callbacks);
  await service.record([event('a'), event('dup'), event('b', 'ns.usage.failed'), event('a')]);
  assert.deepEqual(sent, [{ id: 'a', failed: false }, { id: 'b', failed: true }]);
});

test('a failed insert sends nothing to the callbacks', async () => {
  const { repo } = fakeRepo(() => ({ code: '57P01' }));
  const { callbacks, sent } = fakeCallbacks();
  await assert.rejects(serviceWith(repo, callbacks).record([event('a')]));
  assert.deepEqual(sent, []);
});
