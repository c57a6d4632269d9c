import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { FastifyInstance } from 'fastify';
import IORedis from 'ioredis';
import { NatsConnection } from 'nats';
import OpenAI, { NotFoundError, toFile } from 'openai';
import { request } from 'undici';
import { createLogger, readEnv } from '@tollgate/config';
import { ErrorCode, JobsCaller, TollgateError } from '@tollgate/contracts';
import { Bus, connectNats } from '@tollgate/messaging';
import { MockJobsUpstream, startMockJobsUpstream } from '@tollgate/testing';
import { registerJobsRoutes } from '@tollgate/service-gateway/dist/src/jobs/jobs.routes';
import { JobsServiceHandle, startJobsService } from '../src/jobs-service';
import {
  batchLines, caller, DATABASE_URL, dropNamespace, dropSchema, eventually, multipart, NATS_URL, REDIS_URL, runId, SECRET, testConfig, UPSTREAM_KEY, usageEvents,
} from './support';

// The gateway side end to end: registerJobsRoutes on a bare Fastify instance (a stub authenticate
// stands in for the gateway's key cache), the jobs service behind it, the official openai client in front.
const run = runId();
const namespace = `t_jobsgw_${run}`;
const schema = `jobsgw_${run}`;
const env = readEnv({ TOLLGATE_NAMESPACE: namespace, NATS_URL, REDIS_URL, LOG_LEVEL: 'warn' });

const KEYS: Record<string, JobsCaller> = {
  'sk-team-a': caller('hash-a', 'team-a'),
  'sk-team-a2': caller('hash-a2', 'team-a'),
  'sk-team-b': caller('hash-b', 'team-b'),
};

let mock: MockJobsUpstream;
let service: JobsServiceHandle | null = null;
let nc: NatsConnection;
let app: FastifyInstance;
let base = '';
const client = (key: string): OpenAI => new OpenAI({ apiKey: key, baseURL: `${base}/v1`, maxRetries: 0 });

before(async () => {
  mock = await startMockJobsUpstream({ apiKey: UPSTREAM_KEY, batchCompleteMs: 300, fineTuneCompleteMs: 400 });
  const config = testConfig(mock.url);
  service = await startJobsService({
    env, databaseUrl: DATABASE_URL, schema, deployments: config.deployments,
    filesSettings: [{ custom_llm_provider: 'openai', api_base: `${mock.url}/v1`, api_key: UPSTREAM_KEY }],
    logger: createLogger('jobs', 'warn'), healthPort: null, internalPort: 0, internalHost: '127.0.0.1', internalSecret: SECRET,
    pollIntervalMs: 400, pollJitterMs: 0,
  });
  nc = await connectNats(env, 'jobs-gw-test');
  app = Fastify();
  registerJobsRoutes(app, {
    authenticate: async (headers) => {
      const auth = headers.authorization;
      const key = typeof auth === 'string' ? auth.replace(/^Bearer /, '') : '';
      const c = KEYS[key];
      if (!c) throw new TollgateError(ErrorCode.AuthInvalid, 'Authentication Error, invalid key', { status: 401 });
      return c;
    },
    bus: new Bus(nc, namespace, 10_000),
    jobsInternalUrl: `http://127.0.0.1:${service.internalPort}`,
    internalSecret: SECRET,
    log: createLogger('gateway-jobs', 'warn'),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

after(async () => {
  const steps: (() => Promise<unknown> | undefined)[] = [
    () => app?.close(),
    () => service?.close(),
    () => dropSchema(schema),
    () => dropNamespace(nc, namespace),
    async () => {
      const redis = new IORedis(REDIS_URL);
      const keys = await redis.keys(`${namespace}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
    () => nc?.close(),
    () => mock?.close(),
  ];
  for (const step of steps) await Promise.resolve(step()).catch((e: Error) => console.error(`cleanup: ${e.message}`));
});

const LINES = batchLines([{ id: 'ok-1', prompt: 100, completion: 10 }, { id: 'ok-2', prompt: 100, completion: 10 }, { id: 'will-fail' }]);

test('openai client: files upload / retrieve / list / content, batch create / retrieve / cancel, other teams get 404', async () => {
  const a = client('sk-team-a');
  const file = await a.files.create({ file: await toFile(Buffer.from(LINES), 'batch.jsonl'), purpose: 'batch' });
  assert.match(file.id, /^file-/);
  assert.equal(file.purpose, 'batch');
  assert.equal(file.bytes, Buffer.byteLength(LINES));
  assert.equal((await a.files.retrieve(file.id)).filename, 'batch.jsonl');
  const listed = await a.files.list();
  assert.ok(listed.data.some((f) => f.id === file.id));
  assert.equal(await (await a.files.content(file.id)).text(), LINES);

  const b = client('sk-team-b');
  await assert.rejects(b.files.retrieve(file.id), (e: unknown) => e instanceof NotFoundError);
  await assert.rejects(b.files.content(file.id), (e: unknown) => e instanceof NotFoundError);

  const batch = await a.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
  assert.equal(batch.status, 'validating');
  await assert.rejects(b.batches.retrieve(batch.id), (e: unknown) => e instanceof NotFoundError);
  await assert.rejects(b.batches.cancel(batch.id), (e: unknown) => e instanceof NotFoundError);
  const done = await eventually('batch completion', async () => {
    const x = await client('sk-team-a2').batches.retrieve(batch.id);
    return x.status === 'completed' ? x : undefined;
  });
  assert.equal(done.request_counts?.completed, 2);
  assert.equal(done.request_counts?.failed, 1);
  const out = await (await a.files.content(done.output_file_id!)).text();
  assert.equal(out.trim().split('\n').length, 3);
  const event = await eventually('usage event', async () => (await usageEvents(nc, namespace)).find((e) => e.id === `${batch.id}_batch_cost`));
  assert.ok(Math.abs(event.response_cost - (200 * 7.5e-8 + 20 * 3e-7)) < 1e-15);
  assert.equal(event.metadata.user_api_key_hash, 'hash-a');

  const other = await a.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
  const cancelled = await a.batches.cancel(other.id);
  assert.ok(['cancelling', 'cancelled'].includes(cancelled.status));
  assert.ok((await a.batches.list()).data.some((x) => x.id === other.id));
});

test('openai client: fine-tuning create, list, events, retrieve', async () => {
  const a = client('sk-team-a');
  const training = await a.files.create({ file: await toFile(Buffer.from('{"messages":[]}\n'), 'train.jsonl'), purpose: 'fine-tune' });
  const job = await a.fineTuning.jobs.create({ model: 'gpt-4o-mini-2024-07-18', training_file: training.id, suffix: 'tg' });
  assert.match(job.id, /^ftjob-/);
  assert.equal(job.training_file, training.id);
  const list = await a.fineTuning.jobs.list();
  assert.ok(list.data.some((j) => j.id === job.id));
  const events = await a.fineTuning.jobs.listEvents(job.id);
  assert.ok(events.data.length >= 1);
  await assert.rejects(client('sk-team-b').fineTuning.jobs.retrieve(job.id), (e: unknown) => e instanceof NotFoundError);
  const done = await eventually('fine-tune success', async () => {
    const x = await a.fineTuning.jobs.retrieve(job.id);
    return x.status === 'succeeded' ? x : undefined;
  });
  assert.equal(done.trained_tokens, 4096);
});

test('plain HTTP: OpenAI error bodies, the un-prefixed routes, routing fields before the file, upload streamed with its length', async () => {
  const unauth = await request(`${base}/v1/files`, { headers: { authorization: 'Bearer sk-nope' } });
  assert.equal(unauth.statusCode, 401);
  const body = (await unauth.body.json()) as { error: { message: string; type: string; code: string } };
  assert.equal(body.error.code, '401');
  assert.equal(body.error.type, 'auth_error');

  const missing = await request(`${base}/batches/batch_nope`, { headers: { authorization: 'Bearer sk-team-a' } });
  assert.equal(missing.statusCode, 404);
  assert.equal(((await missing.body.json()) as { error: { type: string } }).error.type, 'not_found_error');

  const boundary = `----gw${runId()}`;
  const form = multipart(boundary, { purpose: 'batch', model: 'batch-gpt' }, { name: 'm.jsonl', content: LINES });
  const up = await request(`${base}/files`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-team-a', 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(form.length) },
    body: form,
  });
  const file = (await up.body.json()) as { id: string; bytes: number };
  assert.equal(up.statusCode, 200, JSON.stringify(file));
  assert.match(Buffer.from(file.id.slice(5), 'base64url').toString(), /;model,batch-gpt$/, 'routed by the model field');
  const sent = mock.requests.filter((r) => r.method === 'POST' && r.path === '/v1/files').at(-1)!;
  assert.equal(Number(sent.headers['content-length']) < form.length, true, 'the routing field is not forwarded');

  const badPurpose = multipart(boundary, { purpose: 'nope' }, { name: 'm.jsonl', content: 'x' });
  const bad = await request(`${base}/v1/files`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-team-a', 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: badPurpose,
  });
  assert.equal(bad.statusCode, 400);
  const err = (await bad.body.json()) as { error: { message: string; type: string; param: string } };
  assert.match(err.error.message, /Invalid purpose/);
  assert.equal(err.error.type, 'invalid_request_error');
  assert.equal(err.error.param, 'purpose');
});
