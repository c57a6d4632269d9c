import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { JetStreamManager, NatsConnection } from 'nats';
import { createLogger, readEnv } from '@tollgate/config';
import {
  ErrorCode, HealthChecks, nsName, SpendLogRow, SpendLogsConsumer, SpendLogsQuery, SpendLogsQueryRequest,
  TollgateError, UsageFailed, UsageRecorded, UsageStream,
} from '@tollgate/contracts';
import { BatchedEventPublisher, Bus, connectNats, ensureStream } from '@tollgate/messaging';
import { LoggingServiceHandle, startLoggingService } from '../src/logging-service';
import { DATABASE_URL, NATS_URL, runId, secondsOf, sha256, usagePayload, waitFor } from './support';

const run = runId();
const namespace = `t_logging_${run}`;
const schema = `logs_${run}`;
const env = readEnv({ TOLLGATE_NAMESPACE: namespace, NATS_URL, LOG_LEVEL: 'warn' });
const logger = createLogger('logging', 'warn');
const streamName = nsName(namespace, UsageStream.name);

let service: LoggingServiceHandle | null = null;
let nc: NatsConnection;
let jsm: JetStreamManager;
let bus: Bus;
let publisher: BatchedEventPublisher;
let pg: Client;

function start(): Promise<LoggingServiceHandle> {
  return startLoggingService({ env, databaseUrl: DATABASE_URL, schema, storePrompts: true, logger, batch: { maxMessages: 100 }, healthPort: null, maintenance: false });
}

const query = (req: SpendLogsQueryRequest): Promise<SpendLogRow[]> => bus.request(SpendLogsQuery, req);
const ids = (rows: SpendLogRow[]): string[] => rows.map((r) => r.request_id);

async function rowCount(requestIds: string[]): Promise<number> {
  const r = await pg.query(`SELECT count(*)::int AS n FROM "${schema}".spend_logs WHERE request_id = ANY($1)`, [requestIds]);
  return r.rows[0].n as number;
}

before(async () => {
  nc = await connectNats(env, 'logging-test');
  jsm = await nc.jetstreamManager();
  // the gateway ensures the stream at start-up; here the test plays the gateway
  await ensureStream(jsm, namespace, UsageStream);
  publisher = new BatchedEventPublisher(nc.jetstream(), namespace, { flushMs: 5, batchSize: 50, bufferLimit: 1000 });
  bus = new Bus(nc, namespace, 5000);
  service = await start();
  pg = new Client({ connectionString: DATABASE_URL });
  await pg.connect();
});

after(async () => {
  // every step runs even when an earlier one failed, so a broken run still cleans up and exits
  const steps: (() => Promise<unknown> | undefined)[] = [
    () => service?.close(),
    () => publisher?.close(2000),
    () => jsm?.streams.delete(streamName),
    async () => {
      const admin = new Client({ connectionString: DATABASE_URL });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.end();
      }
    },
    () => pg?.end(),
    () => nc?.close(),
  ];
  for (const step of steps) await Promise.resolve(step()).catch((e: Error) => console.error(`cleanup: ${e.message}`));
});

const keyHash = sha256(`sk-test-${run}`);
const a = usagePayload(`a-${run}`, {
  response_cost: 1.23456e-7,
  trace_id: 'trace-a',
  end_user: 'customer-9',
  request_tags: ['prod', 'team-x'],
}, { user_api_key_hash: keyHash, user_api_key_user_id: 'user-1', user_api_key_team_id: 'team-1', spend_logs_metadata: { job: 'nightly' } });
const b = usagePayload(`b-${run}`, {
  status: 'failure',
  response_cost: 0,
  prompt_tokens: 0,
  completion_tokens: 0,
  total_tokens: 0,
  startTime: secondsOf('2024-03-02T23:59:59.500Z'),
  endTime: secondsOf('2024-03-02T23:59:59.900Z'),
  completionStartTime: 0,
  error_str: 'rate limited by provider',
  error_information: { error_code: '429', error_class: 'RateLimitError', llm_provider: 'openai', error_message: 'rate limited by provider' },
  guardrail_information: [{ guardrail_name: 'no-secrets', guardrail_mode: 'pre_call', guardrail_status: 'success', guardrail_response: 'allow', start_time: 1, end_time: 1.5, duration: 0.5, masked_entity_count: {} }],
  response: null,
}, { user_api_key_hash: keyHash, user_api_key_user_id: 'user-2', user_api_key_team_id: 'team-1' });
const c = usagePayload(`c-${run}`, {
  response_cost: 0.5,
  startTime: secondsOf('2024-03-03T00:00:00.000Z'),
  endTime: secondsOf('2024-03-03T00:00:01.000Z'),
});

test('usage.recorded and usage.failed events become spend log rows, served by SpendLogsQuery with its filters', async () => {
  publisher.publish(UsageRecorded, a, a.id);
  publisher.publish(UsageFailed, b, b.id);
  publisher.publish(UsageRecorded, c, c.id);
  await publisher.flush();

  const all = await waitFor(() => query({}), (rows) => rows.length === 3, 'three spend log rows');
  assert.deepEqual(ids(all), [c.id, b.id, a.id], 'newest first');

  const [rowA] = await query({ request_id: a.id });
  assert.deepEqual(rowA, {
    request_id: a.id,
    call_type: 'acompletion',
    api_key: keyHash,
    spend: 1.23456e-7,
    total_tokens: 15,
    prompt_tokens: 10,
    completion_tokens: 5,
    startTime: '2024-03-01T10:00:00.000Z',
    endTime: '2024-03-01T10:00:00.250Z',
    completionStartTime: '2024-03-01T10:00:00.100Z',
    model: 'gpt-4o-mini',
    model_id: 'mock-gpt-4o-mini',
    model_group: 'gpt-4o-mini',
    api_base: 'https://api.example.test/v1',
    custom_llm_provider: 'openai',
    user: 'user-1',
    team_id: 'team-1',
    end_user: 'customer-9',
    metadata: { ...a.metadata, status: 'success' },
    request_tags: ['prod', 'team-x'],
    status: 'success',
    messages: a.messages,
    response: a.response,
    trace_id: 'trace-a',
    session_id: '',
    requester_ip_address: '',
  });
  const stored = await pg.query(`SELECT spend::text AS spend, trace_id FROM "${schema}".spend_logs WHERE request_id = $1`, [a.id]);
  assert.deepEqual(stored.rows[0], { spend: '0.000000123456', trace_id: 'trace-a' }, 'money is stored exactly');

  const [rowB] = await query({ request_id: b.id });
  assert.equal(rowB.status, 'failure');
  assert.equal(rowB.completionStartTime, null);
  assert.equal(rowB.spend, 0);
  assert.equal(rowB.metadata.status, 'failure');
  assert.deepEqual(rowB.metadata.error_information, b.error_information);
  assert.equal(rowB.metadata.error_str, 'rate limited by provider');
  assert.deepEqual(rowB.metadata.guardrail_information, [{ guardrail_name: 'no-secrets', guardrail_mode: 'pre_call', guardrail_status: 'success', guardrail_response: 'allow', start_time: 1, end_time: 1.5, duration: 0.5, masked_entity_count: {} }]);
  assert.deepEqual(rowB.response, {}, 'a null response is stored as {}');

  const [rowC] = await query({ request_id: c.id });
  assert.equal(rowC.api_key, '', 'no key: api_key is empty');
  assert.equal(rowC.user, '');
  assert.equal(rowC.spend, 0.5);

  assert.deepEqual(ids(await query({ api_key: keyHash })), [b.id, a.id]);
  assert.deepEqual(ids(await query({ user_id: 'user-2' })), [b.id]);
  assert.deepEqual(ids(await query({ team_id: 'team-1' })), [b.id, a.id]);
  assert.deepEqual(ids(await query({ api_key: keyHash, user_id: 'user-1' })), [a.id]);
  assert.deepEqual(ids(await query({ user_id: 'nobody' })), []);
  // a YYYY-MM-DD end day is inclusive (23:59:59.5 is in) and ends at midnight UTC (00:00 next day is out)
  assert.deepEqual(ids(await query({ start_date: '2024-03-02', end_date: '2024-03-02' })), [b.id]);
  assert.deepEqual(ids(await query({ start_date: '2024-03-01', end_date: '2024-03-02' })), [b.id, a.id]);
  assert.deepEqual(ids(await query({ start_date: '2024-03-03' })), [c.id]);
  assert.deepEqual(ids(await query({ end_date: '2024-03-01T10:00:00Z' })), [a.id], 'an end timestamp is inclusive');
  assert.deepEqual(ids(await query({ limit: 1, offset: 1 })), [b.id]);
});

test('a duplicate Nats-Msg-Id and a redelivered event with a new msg id leave exactly one row', async () => {
  const d = usagePayload(`d-${run}`, { startTime: secondsOf('2024-03-05T12:00:00Z'), endTime: secondsOf('2024-03-05T12:00:01Z') });
  const before = (await jsm.streams.info(streamName)).state.messages;
  publisher.publish(UsageRecorded, d, d.id);
  publisher.publish(UsageRecorded, d, d.id);
  await publisher.flush();
  await waitFor(() => rowCount([d.id]), (n) => n === 1, 'the first copy of d');
  assert.equal((await jsm.streams.info(streamName)).state.messages, before + 1, 'JetStream dropped the same Nats-Msg-Id');

  // a redelivery after the row committed (e.g. an ack lost in a reconnect), then a sentinel
  const sentinel = usagePayload(`sentinel-${run}`, { startTime: secondsOf('2024-03-05T13:00:00Z') });
  publisher.publish(UsageRecorded, d, `${d.id}:again`);
  publisher.publish(UsageRecorded, sentinel, sentinel.id);
  await publisher.flush();
  assert.equal((await jsm.streams.info(streamName)).state.messages, before + 3, 'the redelivery reached the stream');
  await waitFor(() => rowCount([sentinel.id]), (n) => n === 1, 'the sentinel row');
  const durable = nsName(namespace, SpendLogsConsumer.durable);
  await waitFor(
    () => jsm.consumers.info(streamName, durable),
    (info) => info.num_pending === 0 && info.num_ack_pending === 0,
    'every message acked (the duplicate did not fail its batch)',
  );
  assert.equal(await rowCount([d.id]), 1);
  assert.equal((await query({ request_id: d.id })).length, 1);
});

test('events published before, during and after a shutdown are all written once the service is back', async () => {
  const t0 = secondsOf('2024-04-01T00:00:00Z');
  const events = Array.from({ length: 30 }, (_, i) => usagePayload(`down-${i}-${run}`, { startTime: t0 + i, endTime: t0 + i + 0.5 }));
  const publish = (from: number, to: number): Promise<void> => {
    events.slice(from, to).forEach((e, i) => publisher.publish((from + i) % 3 === 0 ? UsageFailed : UsageRecorded, e, e.id));
    return publisher.flush();
  };
  const idsOf = (from: number, to: number): string[] => events.slice(from, to).map((e) => e.id);

  await publish(0, 10);
  await waitFor(() => rowCount(idsOf(0, 10)), (n) => n === 10, 'the first 10 rows');
  // 10 more race the shutdown: each is either written in the batch in hand or left in the stream
  const closing = service!.close();
  await publish(10, 20);
  await closing;
  service = null;
  await publish(20, 30);
  await assert.rejects(bus.request(HealthChecks.logging, {}, { timeoutMs: 500 }), (e: TollgateError) => e.code === ErrorCode.DependencyUnavailable);
  assert.equal(await rowCount(idsOf(20, 30)), 0, 'nothing is written while the service is down');

  service = await start();
  await waitFor(() => rowCount(idsOf(0, 30)), (n) => n === 30, 'all 30 rows after the restart');
  const rows = await query({ start_date: '2024-04-01', end_date: '2024-04-01' });
  assert.deepEqual(ids(rows), idsOf(0, 30).reverse());
  assert.equal(rows.filter((r) => r.status === 'failure').length, 10, 'usage.failed events are failure rows');
});

test('a bad query answers with a BadRequest error body naming the field', async () => {
  const cases: [SpendLogsQueryRequest, string][] = [
    [{ start_date: '2024-13-45' }, 'start_date'],
    [{ end_date: 'yesterday' }, 'end_date'],
    [{ start_date: '2024-03-05', end_date: '2024-03-01' }, 'end_date'],
    [{ limit: 5000 }, 'limit'],
  ];
  for (const [req, param] of cases) {
    await assert.rejects(query(req), (e: unknown) => {
      assert.ok(e instanceof TollgateError);
      assert.equal(e.code, ErrorCode.BadRequest);
      assert.equal(e.status, 400);
      assert.equal(e.param, param);
      assert.match(e.message, new RegExp(param));
      return true;
    });
  }
});

test('HealthChecks.logging reports ready with nats and postgres checks', async () => {
  const reply = await bus.request(HealthChecks.logging, {});
  assert.deepEqual(reply, { service: 'logging', ready: true, checks: { nats: true, postgres: true } });
});
