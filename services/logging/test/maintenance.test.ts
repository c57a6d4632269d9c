import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { createLogger, readEnv } from '@tollgate/config';
import { nsName, SpendLogsMaintenanceQueue, UsageStream } from '@tollgate/contracts';
import { connectNats } from '@tollgate/messaging';
import { createServiceDataSource, initializeDataSource } from '@tollgate/db';
import { LoggingServiceHandle, startLoggingService } from '../src/logging-service';
import { SpendLogs1796256000000 } from '../src/migrations/1796256000000-spend-logs';
import { RETENTION_BATCH } from '../src/maintenance/spend-log-maintenance.service';
import { cleanup, DATABASE_URL, NATS_URL, REDIS_URL, runId, waitFor } from './support';

const run = runId();
const namespace = `t_logmnt_${run}`;
const schema = `logs_mnt_${run}`;
const migrateDb = `tollgate_migrate_${run}`;
const env = readEnv({ TOLLGATE_NAMESPACE: namespace, NATS_URL, REDIS_URL, LOG_LEVEL: 'warn' });
const logger = createLogger('logging', 'warn');
const pg = new Client({ connectionString: DATABASE_URL });
const redis = new Redis(REDIS_URL);
let service: LoggingServiceHandle | null = null;

after(() =>
  cleanup([
    () => service?.close(),
    async () => {
      const nc = await connectNats(env, 'logging-maintenance-cleanup');
      await (await nc.jetstreamManager()).streams.delete(nsName(namespace, UsageStream.name)).catch(() => undefined);
      await nc.close();
    },
    async () => {
      const keys = await redis.keys(`${SpendLogsMaintenanceQueue.prefix(namespace)}:*`);
      if (keys.length) await redis.del(...keys);
    },
    () => redis.quit(),
    () => pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
    () => pg.query(`DROP DATABASE IF EXISTS "${migrateDb}"`),
    () => pg.end(),
  ]),
);

const DAY = 24 * 3600 * 1000;
const iso = (ms: number): string => new Date(ms).toISOString();

test('the partitioning migration converts a populated table: rows kept, month partitions, default partition, (request_id, start_time) key', async () => {
  await pg.connect();
  // the schema as the first migration left it, with rows in it
  const old = createServiceDataSource({ url: DATABASE_URL, schema, entities: [], migrations: [SpendLogs1796256000000] });
  await initializeDataSource(old, schema);
  await old.query(`
    INSERT INTO "${schema}".spend_logs (request_id, call_type, api_key, spend, start_time, end_time, model, status, metadata)
    VALUES ('old-1', 'acompletion', 'k', 0.000000000001, '2023-01-15T10:00:00Z', '2023-01-15T10:00:01Z', 'm', 'success', '{"user_api_key_alias":"ops"}'),
           ('old-2', 'aspeech', 'k', 1.5, '2023-02-28T23:59:59.999Z', '2023-03-01T00:00:00Z', 'm', 'failure', '{}'),
           ('new-1', 'acompletion', 'k', 0.25, now(), now(), 'm', 'success', '{}')`);
  await old.destroy();

  service = await startLoggingService({ env, databaseUrl: DATABASE_URL, schema, logger, healthPort: null, retentionPeriod: '30d', retentionInterval: '1h' });

  const rows = await pg.query(`SELECT request_id, spend::text AS spend, tableoid::regclass::text AS part, metadata FROM "${schema}".spend_logs ORDER BY start_time`);
  assert.deepEqual(rows.rows.map((r) => [r.request_id, r.spend]), [['old-1', '0.000000000001'], ['old-2', '1.500000000000'], ['new-1', '0.250000000000']]);
  assert.match(rows.rows[0].part, /spend_logs_p202301"?$/);
  assert.match(rows.rows[1].part, /spend_logs_p202302"?$/);
  assert.deepEqual(rows.rows[0].metadata, { user_api_key_alias: 'ops' });
  const kind = await pg.query(`SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = 'spend_logs'`, [schema]);
  assert.equal(kind.rows[0].relkind, 'p', 'spend_logs is partitioned');
  const pk = await pg.query(
    `SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = $1 AND c.conname = 'spend_logs_pkey'`,
    [schema],
  );
  assert.equal(pk.rows[0].def, 'PRIMARY KEY (request_id, start_time)');
  const parts = (await pg.query(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      JOIN pg_namespace n ON n.oid = p.relnamespace WHERE n.nspname = $1 AND p.relname = 'spend_logs'`, [schema])).rows.map((r) => r.relname as string);
  const now = new Date();
  const ahead = [0, 1, 2].map((i) => {
    const m = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1));
    return `spend_logs_p${m.getUTCFullYear()}${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
  });
  for (const p of ['spend_logs_default', 'spend_logs_p202301', 'spend_logs_p202302', ...ahead]) assert.ok(parts.includes(p), `partition ${p} exists`);
  assert.equal((await pg.query(`SELECT 1 FROM "${schema}".spend_logs_unpartitioned`).catch(() => null)), null, 'the old table is gone');
});

test('retention: whole old partitions are dropped, the rest deleted in batches, through the BullMQ job; schedulers are registered', async () => {
  const s = service!;
  const schedulers = await s.maintenanceQueue.schedulers();
  assert.deepEqual(
    schedulers.map((x) => [x.id, x.every]).sort(),
    [[SpendLogsMaintenanceQueue.schedulers.partitions, DAY], [SpendLogsMaintenanceQueue.schedulers.retention, 3600_000]],
  );
  const now = Date.now();
  // more than one batch of rows just past the 30-day cutoff, a few just inside it
  await pg.query(
    `INSERT INTO "${schema}".spend_logs (request_id, start_time, end_time, status)
     SELECT 'expired-' || g, $1::timestamptz - g * interval '1 second', $1::timestamptz, 'success' FROM generate_series(1, $2::int) g`,
    [iso(now - 31 * DAY), RETENTION_BATCH + 1200],
  );
  await pg.query(
    `INSERT INTO "${schema}".spend_logs (request_id, start_time, end_time, status)
     SELECT 'kept-' || g, $1::timestamptz + g * interval '1 second', $1::timestamptz, 'success' FROM generate_series(1, 10) g`,
    [iso(now - 29 * DAY)],
  );
  // (the scheduler's first run may already be under way: it starts when the scheduler is created)

  await s.maintenanceQueue.enqueue('retention');
  await waitFor(
    async () => Number((await pg.query(`SELECT count(*) FROM "${schema}".spend_logs WHERE start_time < now() - interval '30 days'`)).rows[0].count),
    (n) => n === 0,
    'expired rows removed by the queued retention job',
    20_000,
  );
  const kept = await pg.query(`SELECT count(*)::int AS n FROM "${schema}".spend_logs WHERE request_id LIKE 'kept-%' OR request_id = 'new-1'`);
  assert.equal(kept.rows[0].n, 11, 'rows inside the period stay');
  const parts = (await pg.query(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname LIKE 'spend_logs_p2023%'`, [schema])).rows;
  assert.deepEqual(parts, [], 'the 2023 partitions were dropped whole');
  const metrics = await s.metrics.registry.getSingleMetricAsString('tollgate_logging_retention_dropped_partitions_total');
  assert.match(metrics, /tollgate_logging_retention_dropped_partitions_total 2/);
  const deleted = await s.metrics.registry.getSingleMetricAsString('tollgate_logging_retention_deleted_rows_total');
  assert.match(deleted, new RegExp(`tollgate_logging_retention_deleted_rows_total ${RETENTION_BATCH + 1200}`));
  await waitFor(async () => (await s.metrics.registry.getSingleMetricAsString('tollgate_logging_maintenance_runs_total')), (t) => /job="retention",outcome="success"} [1-9]/.test(t), 'the run counted');
});

test('TOLLGATE_MIGRATE_ONLY=1: main.js creates the database, migrates and exits 0 without NATS', async () => {
  const main = join(__dirname, '..', 'src', 'main.js');
  const url = new URL(DATABASE_URL);
  url.pathname = `/${migrateDb}`;
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH, TOLLGATE_MIGRATE_ONLY: '1', DATABASE_URL: url.toString(), NATS_URL: 'nats://127.0.0.1:1', LOG_LEVEL: 'warn', TOLLGATE_NAMESPACE: namespace },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, output);
  const check = new Client({ connectionString: url.toString() });
  await check.connect();
  try {
    const migrations = await check.query(`SELECT name FROM logs.migrations ORDER BY id`);
    assert.deepEqual(migrations.rows.map((r) => r.name), ['SpendLogs1796256000000', 'SpendLogsPartitioned1796400000000']);
    const kind = await check.query(`SELECT relkind FROM pg_class WHERE oid = 'logs.spend_logs'::regclass`);
    assert.equal(kind.rows[0].relkind, 'p');
  } finally {
    await check.end();
  }
});
