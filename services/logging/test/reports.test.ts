import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { JetStreamManager, NatsConnection } from 'nats';
import { createLogger, readEnv } from '@tollgate/config';
import {
  ErrorCode, nsName, SpendLogsSummary, SpendReport, SpendReportApiKey, SpendReportCustomerDay, SpendReportDay,
  SpendReportModel, SpendReportRequest, SpendReportTeamDay, TollgateError, UsageFailed, UsageRecorded, UsageStream,
} from '@tollgate/contracts';
import { BatchedEventPublisher, Bus, connectNats, ensureStream } from '@tollgate/messaging';
import { LoggingServiceHandle, startLoggingService } from '../src/logging-service';
import { apiKeySql, daySql, modelSql, partyDaySql, summarySql } from '../src/reports/spend-report.sql';
import { parseReportRequest, parseSummaryRequest } from '../src/reports/spend-report.query';
import { findSpendLogsSql, SqlQuery } from '../src/spend-logs/spend-logs.sql';
import { parseSpendLogsQuery } from '../src/spend-logs/spend-logs.query';
import { cleanup, DATABASE_URL, NATS_URL, planNodes, runId, secondsOf, sha256, usagePayload, waitFor } from './support';

const run = runId();
const namespace = `t_logrep_${run}`;
const schema = `logs_rep_${run}`;
const env = readEnv({ TOLLGATE_NAMESPACE: namespace, NATS_URL, LOG_LEVEL: 'warn' });
const logger = createLogger('logging', 'warn');

let service: LoggingServiceHandle | null = null;
let nc: NatsConnection;
let jsm: JetStreamManager;
let bus: Bus;
let publisher: BatchedEventPublisher;
let pg: Client;

before(async () => {
  nc = await connectNats(env, 'logging-reports-test');
  jsm = await nc.jetstreamManager();
  await ensureStream(jsm, namespace, UsageStream);
  publisher = new BatchedEventPublisher(nc.jetstream(), namespace, { flushMs: 5, batchSize: 50, bufferLimit: 1000 });
  bus = new Bus(nc, namespace, 10_000);
  service = await startLoggingService({ env, databaseUrl: DATABASE_URL, schema, logger, healthPort: null, maintenance: false });
  pg = new Client({ connectionString: DATABASE_URL });
  await pg.connect();
});

after(() =>
  cleanup([
    () => service?.close(),
    () => publisher?.close(2000),
    () => jsm?.streams.delete(nsName(namespace, UsageStream.name)),
    () => pg?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
    () => pg?.end(),
    () => nc?.close(),
  ]),
);

const keyA = sha256(`sk-a-${run}`);
const keyB = sha256(`sk-b-${run}`);
const at = (iso: string): { startTime: number; endTime: number } => ({ startTime: secondsOf(iso), endTime: secondsOf(iso) + 1 });
const meta = (key: string, user: string, team: string | null, teamAlias: string | null = null) => ({
  user_api_key_hash: key, user_api_key_user_id: user, user_api_key_team_id: team, user_api_key_team_alias: teamAlias,
});
const events = [
  usagePayload(`r1-${run}`, { ...at('2023-06-01T08:00:00Z'), response_cost: 0.1, model: 'gpt-4o', prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, end_user: 'cust-1' }, meta(keyA, 'u1', 't1', 'Prod Team')),
  usagePayload(`r2-${run}`, { ...at('2023-06-01T09:00:00Z'), response_cost: 0.2, model: 'gpt-4o', prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 }, meta(keyA, 'u2', 't1', 'Prod Team')),
  usagePayload(`r3-${run}`, { ...at('2023-06-01T23:59:59Z'), response_cost: 0.3, model: 'claude', prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 }, meta(keyB, 'u1', null)),
  usagePayload(`r4-${run}`, { ...at('2023-06-03T00:00:00Z'), response_cost: 0.4, model: 'claude', prompt_tokens: 4, completion_tokens: 4, total_tokens: 8, end_user: 'cust-1' }, meta(keyB, 'u1', 't2')),
  // outside the range asked below
  usagePayload(`r5-${run}`, { ...at('2023-06-04T00:00:00Z'), response_cost: 5, model: 'gpt-4o' }, meta(keyA, 'u1', 't1')),
];

test('summary and report RPCs answer in LiteLLM shapes, money summed exactly', async () => {
  events.forEach((e, i) => publisher.publish(i === 2 ? UsageFailed : UsageRecorded, e, e.id));
  await publisher.flush();
  await waitFor(
    async () => (await pg.query(`SELECT count(*)::int AS n FROM "${schema}".spend_logs`)).rows[0].n as number,
    (n) => n === events.length,
    'all rows',
  );
  const range = { start_date: '2023-06-01', end_date: '2023-06-03' };

  const summary = await bus.request(SpendLogsSummary, range);
  assert.deepEqual(summary, [
    { startTime: '2023-06-01', spend: 0.6, [keyA]: 0.3, [keyB]: 0.3, users: { u1: 0.4, u2: 0.2 }, models: { 'gpt-4o': 0.3, claude: 0.3 } },
    { startTime: '2023-06-02', spend: 0, users: {}, models: {} },
    { startTime: '2023-06-03', spend: 0.4, [keyB]: 0.4, users: { u1: 0.4 }, models: { claude: 0.4 } },
  ]);
  const onlyKeyB = await bus.request(SpendLogsSummary, { ...range, api_key: keyB });
  assert.deepEqual(onlyKeyB.map((d) => d.spend), [0.3, 0, 0.4]);
  assert.deepEqual(await bus.request(SpendLogsSummary, { start_date: '2020-01-01', end_date: '2020-01-02' }), [], 'no rows: []');

  const teams = (await bus.request(SpendReport, range)) as SpendReportTeamDay[];
  assert.deepEqual(teams, [
    {
      group_by_day: '2023-06-01T00:00:00+00:00',
      teams: [
        { team_name: 'Unassigned Team', team_id: '', total_spend: 0.3, metadata: [{ model: 'claude', api_key: keyB, spend: 0.3, total_tokens: 3 }] },
        { team_name: 'Prod Team', team_id: 't1', total_spend: 0.3, metadata: [{ model: 'gpt-4o', api_key: keyA, spend: 0.3, total_tokens: 45 }] },
      ],
    },
    {
      group_by_day: '2023-06-03T00:00:00+00:00',
      teams: [{ team_name: 't2', team_id: 't2', total_spend: 0.4, metadata: [{ model: 'claude', api_key: keyB, spend: 0.4, total_tokens: 8 }] }],
    },
  ]);
  const customers = (await bus.request(SpendReport, { ...range, group_by: 'customer', customer_id: 'cust-1' })) as SpendReportCustomerDay[];
  assert.deepEqual(customers.map((d) => [d.group_by_day.slice(0, 10), d.customers.map((c) => [c.customer, c.total_spend])]), [
    ['2023-06-01', [['cust-1', 0.1]]],
    ['2023-06-03', [['cust-1', 0.4]]],
  ]);

  const keys = (await bus.request(SpendReport, { ...range, group_by: 'api_key' })) as SpendReportApiKey[];
  assert.deepEqual(keys, [
    { api_key: keyB, total_cost: 0.7, total_input_tokens: 5, total_output_tokens: 6, model_details: [{ model: 'claude', total_cost: 0.7, total_input_tokens: 5, total_output_tokens: 6 }] },
    { api_key: keyA, total_cost: 0.3, total_input_tokens: 30, total_output_tokens: 15, model_details: [{ model: 'gpt-4o', total_cost: 0.3, total_input_tokens: 30, total_output_tokens: 15 }] },
  ]);
  const byUser = (await bus.request(SpendReport, { ...range, internal_user_id: 'u2' })) as SpendReportApiKey[];
  assert.deepEqual(byUser.map((k) => [k.api_key, k.total_cost]), [[keyA, 0.2]], 'internal_user_id defaults to the api_key shape');

  const models = (await bus.request(SpendReport, { ...range, group_by: 'model' })) as SpendReportModel[];
  assert.deepEqual(models, [
    { model: 'claude', total_cost: 0.7, total_input_tokens: 5, total_output_tokens: 6, total_tokens: 11, api_requests: 2 },
    { model: 'gpt-4o', total_cost: 0.3, total_input_tokens: 30, total_output_tokens: 15, total_tokens: 45, api_requests: 2 },
  ]);
  const days = (await bus.request(SpendReport, { ...range, group_by: 'day', team_id: 't1' })) as SpendReportDay[];
  assert.deepEqual(days, [{ group_by_day: '2023-06-01T00:00:00+00:00', total_spend: 0.3, total_input_tokens: 30, total_output_tokens: 15, total_tokens: 45, api_requests: 2 }]);
});

test('summary and report reject missing or bad dates and an unknown group_by, naming the field', async () => {
  const cases: [SpendReportRequest, string][] = [
    [{ end_date: '2023-06-01' } as SpendReportRequest, 'start_date'],
    [{ start_date: '2023-06-01' } as SpendReportRequest, 'end_date'],
    [{ start_date: '2023-06-05', end_date: '2023-06-01' }, 'end_date'],
    [{ start_date: '2023-06-01', end_date: '2023-06-02', group_by: 'planet' as 'team' }, 'group_by'],
  ];
  for (const [req, param] of cases) {
    await assert.rejects(bus.request(SpendReport, req), (e: unknown) => e instanceof TollgateError && e.code === ErrorCode.BadRequest && e.param === param);
  }
  await assert.rejects(bus.request(SpendLogsSummary, { start_date: 'x', end_date: '2023-06-01' }), (e: unknown) => e instanceof TollgateError && e.param === 'start_date');
});

test('with 100,000 rows every /spend/logs, summary and report filter is planned on an index, never a Seq Scan', async () => {
  // 100k rows over Jan-Apr 2024 (~830 a day), 200 keys / users / teams / customers, 5 models. They
  // land in the default partition; ensurePartitions then moves them into month partitions.
  await pg.query(`
    INSERT INTO "${schema}".spend_logs (request_id, call_type, api_key, spend, total_tokens, prompt_tokens, completion_tokens,
      start_time, end_time, model, model_group, "user", team_id, end_user, status)
    SELECT 'bulk-' || g, 'acompletion', 'key-' || (g % 200), 0.000001 * (g % 7), 30, 20, 10,
      timestamptz '2024-01-01' + (g * interval '1 minute' * 1.728), timestamptz '2024-01-01' + (g * interval '1 minute' * 1.728) + interval '1 second',
      'model-' || (g % 5), 'model-' || (g % 5), 'user-' || (g % 200), 'team-' || (g % 200), 'cust-' || (g % 200), 'success'
    FROM generate_series(1, 100000) AS g`);
  const created = await service!.maintenance.ensurePartitions(new Date('2024-01-15T00:00:00Z'));
  for (const m of ['202401', '202402', '202403', '202404']) assert.ok(created.includes(`spend_logs_p${m}`), `partition ${m} created`);
  const inDefault = await pg.query(`SELECT count(*)::int AS n FROM "${schema}".spend_logs_default`);
  assert.equal(inDefault.rows[0].n, 0, 'rows moved out of the default partition');
  await pg.query(`ANALYZE "${schema}".spend_logs`);
  // Postgres rightly reads a table of a handful of rows sequentially (the test's own June rows, the
  // empty months ahead): what must never happen is a sequential read of a partition holding the bulk
  const sizes = await pg.query(
    `SELECT c.relname, c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
    [schema],
  );
  const bulky = new Set(sizes.rows.filter((r) => Number(r.reltuples) >= 1000).map((r) => r.relname as string));
  assert.deepEqual([...bulky].sort(), ['spend_logs_p202401', 'spend_logs_p202402', 'spend_logs_p202403', 'spend_logs_p202404']);

  const day = { start_date: '2024-02-10', end_date: '2024-02-10' };
  const week = { start_date: '2024-02-10', end_date: '2024-02-16' };
  const plans: [string, SqlQuery][] = [
    ['logs: no filter (newest page)', findSpendLogsSql(schema, parseSpendLogsQuery({}))],
    ['logs: request_id', findSpendLogsSql(schema, parseSpendLogsQuery({ request_id: 'bulk-4242' }))],
    ['logs: api_key', findSpendLogsSql(schema, parseSpendLogsQuery({ api_key: 'key-7' }))],
    ['logs: user_id + dates', findSpendLogsSql(schema, parseSpendLogsQuery({ user_id: 'user-7', ...week }))],
    ['logs: team_id', findSpendLogsSql(schema, parseSpendLogsQuery({ team_id: 'team-7' }))],
    ['logs: one day', findSpendLogsSql(schema, parseSpendLogsQuery(day))],
    ['logs: one day, page 3', findSpendLogsSql(schema, parseSpendLogsQuery({ ...day, limit: 50, offset: 100 }))],
    ['summary: one week', summarySql(schema, parseSummaryRequest(week))],
    ['summary: week + api_key', summarySql(schema, parseSummaryRequest({ ...week, api_key: 'key-7' }))],
    ['summary: week + user', summarySql(schema, parseSummaryRequest({ ...week, user_id: 'user-7' }))],
    ['report: team', partyDaySql(schema, parseReportRequest(week), 'team')],
    ['report: customer + customer_id', partyDaySql(schema, parseReportRequest({ ...week, group_by: 'customer', customer_id: 'cust-7' }), 'customer')],
    ['report: api_key', apiKeySql(schema, parseReportRequest({ ...week, group_by: 'api_key' }))],
    ['report: api_key filter', apiKeySql(schema, parseReportRequest({ ...week, api_key: 'key-7' }))],
    ['report: team_id filter', daySql(schema, parseReportRequest({ ...week, group_by: 'day', team_id: 'team-7' }))],
    ['report: model', modelSql(schema, parseReportRequest({ ...week, group_by: 'model' }))],
    ['report: day', daySql(schema, parseReportRequest({ ...day, group_by: 'day' }))],
  ];
  for (const [name, q] of plans) {
    const explained = await pg.query(`EXPLAIN (FORMAT JSON) ${q.sql}`, q.params);
    const nodes = planNodes(explained.rows[0]['QUERY PLAN']);
    const seq = nodes.filter((n) => n['Node Type'] === 'Seq Scan' && (n['Relation Name'] === 'spend_logs' || bulky.has(n['Relation Name'] ?? '')));
    assert.deepEqual(seq.map((n) => n['Relation Name']), [], `${name}: no Seq Scan on spend_logs`);
    assert.ok(
      nodes.some(
        (n) =>
          (/Index/.test(n['Node Type']) || n['Node Type'] === 'Bitmap Heap Scan') &&
          [...bulky].some((b) => n['Relation Name'] === b || (n['Index Name'] ?? '').startsWith(b)),
      ),
      `${name}: the bulk partitions are read through an index (${nodes.map((n) => `${n['Node Type']} ${n['Relation Name'] ?? ''}`).join(', ')})`,
    );
  }
});
