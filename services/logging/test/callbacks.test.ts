import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { Client } from 'pg';
import { JetStreamManager, NatsConnection } from 'nats';
import { createLogger, readEnv } from '@tollgate/config';
import { nsName, UsageFailed, UsageRecorded, UsageStream } from '@tollgate/contracts';
import { BatchedEventPublisher, connectNats, ensureStream } from '@tollgate/messaging';
import { callbackSettingsFrom } from '../src/callbacks/callback-settings';
import { LoggingServiceHandle, startLoggingService } from '../src/logging-service';
import { cleanup, DATABASE_URL, NATS_URL, runId, secondsOf, usagePayload, waitFor } from './support';

const run = runId();
const logger = createLogger('logging', 'silent');
const pg = new Client({ connectionString: DATABASE_URL });
const toClose: (() => Promise<unknown> | unknown)[] = [];

after(() => cleanup([...toClose.reverse(), () => pg.end()]));

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown[];
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; base: string; sockets: Set<Socket> }> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  toClose.push(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets };
}

function recorder(): Promise<{ base: string; received: Received[] }> {
  const received: Received[] = [];
  return listen((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(data) as unknown[] });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
    });
  }).then(({ base }) => ({ base, received }));
}

/** Starts NATS plumbing + the service in its own namespace and schema; everything is cleaned up after. */
async function setup(name: string, envVars: Record<string, string>, litellm: Record<string, unknown>, extra: Parameters<typeof startLoggingService>[0] extends infer O ? Partial<O> : never = {}) {
  const namespace = `t_logcb_${name}_${run}`;
  const schema = `logs_cb_${name}_${run}`;
  const env = readEnv({ TOLLGATE_NAMESPACE: namespace, NATS_URL, LOG_LEVEL: 'silent', ...envVars });
  const nc: NatsConnection = await connectNats(env, `logging-cb-${name}`);
  const jsm: JetStreamManager = await nc.jetstreamManager();
  await ensureStream(jsm, namespace, UsageStream);
  const publisher = new BatchedEventPublisher(nc.jetstream(), namespace, { flushMs: 5, batchSize: 100, bufferLimit: 10_000 });
  const service: LoggingServiceHandle = await startLoggingService({
    env, databaseUrl: DATABASE_URL, schema, logger, maintenance: false, healthPort: 0, healthHost: '127.0.0.1', lagSampleMs: 200,
    callbacks: callbackSettingsFrom(litellm), ...extra,
  });
  toClose.push(
    () => nc.close(),
    () => pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
    () => jsm.streams.delete(nsName(namespace, UsageStream.name)),
    () => publisher.close(2000),
    () => service.close(),
  );
  const rows = async (): Promise<number> => (await pg.query(`SELECT count(*)::int AS n FROM "${schema}".spend_logs`)).rows[0].n as number;
  return { service, publisher, rows };
}

test('generic_api gets success payloads as batched JSON arrays with GENERIC_LOGGER_HEADERS; datadog gets failures in its log format', async () => {
  await pg.connect();
  const hook = await recorder();
  const dd = await recorder();
  const { service, publisher, rows } = await setup(
    'ok',
    { GENERIC_LOGGER_ENDPOINT: `${hook.base}/hook`, GENERIC_LOGGER_HEADERS: 'authorization=Bearer hook-secret,x-team=ops', DD_API_KEY: 'dd-secret', DD_API_BASE: dd.base },
    { success_callback: ['generic_api', 'otel'], failure_callback: ['datadog'], callbacks: ['some.custom.Handler'], turn_off_message_logging: true },
    { callbackQueue: { flushMs: 50 } },
  );
  assert.deepEqual(service.callbacks.active.sort(), ['datadog', 'generic_api']);
  const t0 = secondsOf('2024-05-01T00:00:00Z');
  const ok = Array.from({ length: 25 }, (_, i) => usagePayload(`ok-${i}-${run}`, { startTime: t0 + i, endTime: t0 + i + 1, model_group: 'gpt-4o-mini' }));
  const bad = usagePayload(`bad-${run}`, { startTime: t0, endTime: t0 + 1, status: 'failure', error_str: 'boom' });
  for (const e of ok) publisher.publish(UsageRecorded, e, e.id);
  publisher.publish(UsageFailed, bad, bad.id);
  await publisher.flush();
  await waitFor(rows, (n) => n === 26, 'rows written');

  const hookIds = await waitFor(async () => hook.received.flatMap((r) => r.body.map((p) => (p as { id: string }).id)), (ids) => ids.length === 25, 'webhook payloads');
  assert.deepEqual(hookIds.sort(), ok.map((e) => e.id).sort());
  assert.ok(hook.received.every((r) => r.path === '/hook' && r.headers.authorization === 'Bearer hook-secret' && r.headers['x-team'] === 'ops'));
  const first = hook.received[0].body[0] as Record<string, unknown>;
  assert.equal(first.messages, 'redacted-by-litellm', 'turn_off_message_logging keeps prompts out of callbacks');
  assert.equal(first.model_group, 'gpt-4o-mini');

  const ddEntries = await waitFor(async () => dd.received.flatMap((r) => r.body), (e) => e.length === 1, 'datadog entry');
  assert.equal(dd.received[0].path, '/api/v2/logs');
  assert.equal(dd.received[0].headers['dd-api-key'], 'dd-secret');
  const entry = ddEntries[0] as Record<string, string>;
  assert.equal(entry.status, 'error');
  assert.equal(entry.ddsource, 'tollgate');
  assert.equal((JSON.parse(entry.message) as { id: string }).id, bad.id);

  const metrics = await (await fetch(`http://127.0.0.1:${service.healthPort}/metrics`)).text();
  assert.match(metrics, /tollgate_logging_callback_sent_total\{callback="generic_api"\} 25/);
  assert.match(metrics, /tollgate_logging_events_consumed_total\{outcome="inserted"\} 26/);
  assert.match(metrics, /tollgate_logging_insert_batch_duration_seconds_count [1-9]/);
  assert.match(metrics, /process_cpu_user_seconds_total/);
  assert.match(metrics, /tollgate_logging_consumer_pending_messages 0/);
  assert.equal((await fetch(`http://127.0.0.1:${service.healthPort}/health/live`)).status, 200);
  const ready = await fetch(`http://127.0.0.1:${service.healthPort}/health/ready`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { service: 'logging', ready: true, checks: { nats: true, postgres: true } });
});

test('a webhook that never answers delays no spend-log write; its queue stays bounded and drops are counted', async () => {
  const hang = await listen(() => undefined); // accepts, reads nothing back, never answers
  const maxQueue = 40;
  const { service, publisher, rows } = await setup(
    'hang',
    { GENERIC_LOGGER_ENDPOINT: `${hang.base}/hook` },
    { success_callback: ['generic_api'] },
    { callbackQueue: { maxQueue, batchSize: 10, flushMs: 20, timeoutMs: 300, maxAttempts: 2, backoffMs: 20 }, batch: { maxMessages: 100 } },
  );
  const t0 = secondsOf('2024-06-01T00:00:00Z');
  const total = 1000;
  let maxSeen = 0;
  const sampler = setInterval(() => (maxSeen = Math.max(maxSeen, service.callbacks.queueSizes().generic_api ?? 0)), 5);
  try {
    for (let i = 0; i < total; i++) {
      const e = usagePayload(`h-${i}-${run}`, { startTime: t0 + i, endTime: t0 + i + 1 });
      publisher.publish(UsageRecorded, e, e.id);
    }
    await publisher.flush();
    // every row lands although the endpoint has not answered a single call
    await waitFor(rows, (n) => n === total, 'all rows written', 20_000);
  } finally {
    clearInterval(sampler);
  }
  assert.ok(maxSeen <= maxQueue, `queue stayed within its bound (max seen ${maxSeen})`);
  assert.ok(hang.sockets.size >= 1, 'the webhook was called');
  const metrics = await (await fetch(`http://127.0.0.1:${service.healthPort}/metrics`)).text();
  const dropped = Number(/tollgate_logging_callback_dropped_total\{callback="generic_api",reason="queue_full"\} (\d+)/.exec(metrics)?.[1] ?? 0);
  assert.ok(dropped >= total - maxQueue - 100, `queue_full drops counted (${dropped})`);
  // attempts time out (300 ms) and count as failures; a batch past its attempts is dropped
  await waitFor(
    async () => (await fetch(`http://127.0.0.1:${service.healthPort}/metrics`)).text(),
    (m) => /tollgate_logging_callback_failures_total\{callback="generic_api"\} [2-9]/.test(m) && /reason="retries_exhausted"\} [1-9]/.test(m),
    'timed-out attempts counted and the batch dropped',
  );
  assert.match(metrics, /tollgate_logging_events_consumed_total\{outcome="inserted"\} 1000/);
  // and shutdown is not held hostage by the dead endpoint
  const t = Date.now();
  await service.close();
  assert.ok(Date.now() - t < 10_000, 'close finished');
});
