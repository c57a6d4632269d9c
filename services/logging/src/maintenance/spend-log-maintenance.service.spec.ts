import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { readEnv } from '@tollgate/config';
import { resolveOptions } from '../logging.options';
import { LoggingMetrics } from '../metrics/logging-metrics';
import { MaintenanceRepository, PartitionInfo } from './maintenance.repository';
import { RETENTION_BATCH, SpendLogMaintenanceService } from './spend-log-maintenance.service';

function service(partitions: PartitionInfo[], rowsOld: number, retention = '30d') {
  const calls: string[] = [];
  let left = rowsOld;
  const repo = {
    listPartitions: async () => partitions,
    monthsInDefault: async () => [new Date('2023-05-17T00:00:00Z')],
    createMonthPartition: async (m: Date) => (calls.push(`create ${m.toISOString().slice(0, 7)}`), true),
    dropPartition: async (name: string) => void calls.push(`drop ${name}`),
    deleteBatchOlderThan: async (cutoff: Date, limit: number) => {
      const n = Math.min(left, limit);
      left -= n;
      calls.push(`delete<${cutoff.toISOString().slice(0, 10)} limit ${limit} -> ${n}`);
      return n;
    },
  } as unknown as MaintenanceRepository;
  const opts = resolveOptions({ env: readEnv({}), databaseUrl: 'postgres://x/y', retentionPeriod: retention });
  return { svc: new SpendLogMaintenanceService(repo, new LoggingMetrics(), opts, pino({ level: 'silent' })), calls };
}

const month = (s: string): PartitionInfo => ({ name: `spend_logs_p${s.replace('-', '')}`, month: new Date(`${s}-01T00:00:00Z`) });

test('retention drops partitions wholly older than the cutoff, then deletes the rest in bounded batches', async () => {
  const { svc, calls } = service([month('2024-01'), month('2024-02'), month('2024-03'), { name: 'spend_logs_default', month: null }], RETENTION_BATCH * 2 + 10);
  const result = await svc.runRetention(new Date('2024-03-20T00:00:00Z'));
  assert.equal(result.cutoff, '2024-02-19T00:00:00.000Z');
  assert.deepEqual(result.droppedPartitions, ['spend_logs_p202401']);
  assert.equal(result.deletedRows, RETENTION_BATCH * 2 + 10);
  assert.deepEqual(calls, [
    'drop spend_logs_p202401',
    `delete<2024-02-19 limit ${RETENTION_BATCH} -> ${RETENTION_BATCH}`,
    `delete<2024-02-19 limit ${RETENTION_BATCH} -> ${RETENTION_BATCH}`,
    `delete<2024-02-19 limit ${RETENTION_BATCH} -> 10`,
  ]);
});

test('partitions: this month, the months ahead, and months stranded in the default partition', async () => {
  const { svc, calls } = service([month('2024-03')], 0);
  await svc.ensurePartitions(new Date('2024-03-20T00:00:00Z'));
  assert.deepEqual(calls, ['create 2024-04', 'create 2024-05', 'create 2023-05']);
});
