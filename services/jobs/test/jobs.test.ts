import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import IORedis from 'ioredis';
import { NatsConnection } from 'nats';
import { Client } from 'pg';
import { request } from 'undici';
import { createLogger, readEnv } from '@tollgate/config';
import {
  BatchCancel, BatchCreate, BatchList, BatchRetrieve, FileDelete, FileList, FileRetrieve, FineTuningJobCancel, FineTuningJobCreate,
  FineTuningJobEvents, FineTuningJobList, FineTuningJobRetrieve, HealthChecks, JOBS_INTERNAL_PATHS, jobsCallerHeaders, jobsInternalContentPath,
} from '@tollgate/contracts';
import { Bus, connectNats } from '@tollgate/messaging';
import { MockJobsUpstream, startMockJobsUpstream } from '@tollgate/testing';
import { JobsServiceHandle, startJobsService } from '../src/jobs-service';
import {
  asFile, batchLines, caller, DATABASE_URL, dropNamespace, dropSchema, eventually, generatedJsonl, jreq, NATS_URL, REDIS_URL, refused, runId,
  SECRET, testConfig, uploadInternal, UPSTREAM_KEY, usageEvents,
} from './support';

const run = runId();
const namespace = `t_jobs_${run}`;
const schema = `jobs_${run}`;
const env = readEnv({ TOLLGATE_NAMESPACE: namespace, NATS_URL, REDIS_URL, LOG_LEVEL: 'warn' });

let mock: MockJobsUpstream;
let service: JobsServiceHandle | null = null;
let nc: NatsConnection;
let bus: Bus;
let pg: Client;
let internalUrl = '';

// team A: keys a1, a2; team B: key b1; no team: solo; and an admin
const a1 = caller('a1', 'team-a');
const a2 = caller('a2', 'team-a');
const b1 = caller('b1', 'team-b');
const solo = caller('solo', null);
const solo2 = caller('solo2', null);
const admin = caller('admin', null, { isAdmin: true });

before(async () => {
  mock = await startMockJobsUpstream({ apiKey: UPSTREAM_KEY, batchValidatingMs: 50, batchCompleteMs: 400, fineTuneCompleteMs: 600, trainedTokens: 4096 });
  const config = testConfig(mock.url);
  service = await startJobsService({
    env, databaseUrl: DATABASE_URL, schema, deployments: config.deployments,
    filesSettings: [
      { custom_llm_provider: 'openai', api_base: `${mock.url}/v1`, api_key: UPSTREAM_KEY },
      { custom_llm_provider: 'azure', api_base: mock.url, api_key: UPSTREAM_KEY },
    ],
    finetuneSettings: [{ custom_llm_provider: 'openai', api_base: `${mock.url}/v1`, api_key: UPSTREAM_KEY, training_cost_per_token: 0.000008 }],
    logger: createLogger('jobs', 'warn'), healthPort: 0, healthHost: '127.0.0.1', internalPort: 0, internalHost: '127.0.0.1', internalSecret: SECRET,
    pollIntervalMs: 500, pollJitterMs: 0,
  });
  internalUrl = `http://127.0.0.1:${service.internalPort}`;
  nc = await connectNats(env, 'jobs-test');
  bus = new Bus(nc, namespace, 10_000);
  pg = new Client({ connectionString: DATABASE_URL });
  await pg.connect();
});

after(async () => {
  const steps: (() => Promise<unknown> | undefined)[] = [
    () => service?.close(),
    () => dropSchema(schema),
    () => dropNamespace(nc, namespace),
    async () => {
      const redis = new IORedis(REDIS_URL);
      const keys = await redis.keys(`${namespace}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
    () => pg?.end(),
    () => nc?.close(),
    () => mock?.close(),
  ];
  for (const step of steps) await Promise.resolve(step()).catch((e: Error) => console.error(`cleanup: ${e.message}`));
});

test('health: RPC and HTTP readiness name nats, postgres and redis', async () => {
  const h = await bus.request(HealthChecks.jobs, {});
  assert.deepEqual(h, { service: 'jobs', ready: true, checks: { nats: true, postgres: true, redis: true } });
  const res = await request(`http://127.0.0.1:${service!.healthPort}/health/ready`);
  assert.equal(res.statusCode, 200);
  await res.body.dump();
});

test('internal listener refuses a forged or missing caller signature', async () => {
  const bad = await uploadInternal(internalUrl, a1, { purpose: 'batch', content: '{}', secret: 'wrong-secret' });
  assert.equal(bad.status, 401);
  assert.equal(bad.body.code, 'auth_invalid');
  const res = await request(`${internalUrl}${JOBS_INTERNAL_PATHS.upload}`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--\r\n' });
  assert.equal(res.statusCode, 401);
  await res.body.dump();
});

test('upload → retrieve → list → content → delete, with team ownership', async () => {
  const file = asFile(await uploadInternal(internalUrl, a1, { purpose: 'batch', content: batchLines([{ id: 'r1' }]) }));
  assert.match(file.id, /^file-/);
  assert.equal(file.purpose, 'batch');
  assert.equal(file.filename, 'input.jsonl');
  const upstreamUpload = mock.requests.find((r) => r.method === 'POST' && r.path === '/v1/files');
  assert.equal(upstreamUpload?.headers.authorization, `Bearer ${UPSTREAM_KEY}`);

  assert.equal((await bus.request(FileRetrieve, jreq(a2, {}, { file_id: file.id }))).id, file.id, 'same team sees it');
  await refused(bus.request(FileRetrieve, jreq(b1, {}, { file_id: file.id })), 404, /No such File/);
  await refused(bus.request(FileRetrieve, jreq(solo, {}, { file_id: file.id })), 404);
  assert.equal((await bus.request(FileRetrieve, jreq(admin, {}, { file_id: file.id }))).bytes, file.bytes);
  assert.ok((await bus.request(FileList, jreq(a2))).data.some((f) => f.id === file.id));
  assert.ok(!(await bus.request(FileList, jreq(b1))).data.some((f) => f.id === file.id));

  const content = await request(`${internalUrl}${jobsInternalContentPath(file.id)}`, { headers: jobsCallerHeaders(a2, SECRET) });
  assert.equal(content.statusCode, 200);
  assert.equal(await content.body.text(), batchLines([{ id: 'r1' }]));
  const denied = await request(`${internalUrl}${jobsInternalContentPath(file.id)}`, { headers: jobsCallerHeaders(b1, SECRET) });
  assert.equal(denied.statusCode, 404);
  await denied.body.dump();

  await refused(bus.request(FileDelete, jreq(b1, {}, { file_id: file.id })), 404);
  assert.deepEqual(await bus.request(FileDelete, jreq(a2, {}, { file_id: file.id })), { id: file.id, object: 'file', deleted: true });
  await refused(bus.request(FileRetrieve, jreq(a1, {}, { file_id: file.id })), 404);
});

test('keys without a team see only their own files', async () => {
  const file = asFile(await uploadInternal(internalUrl, solo, { purpose: 'batch', content: '{}' }));
  await bus.request(FileRetrieve, jreq(solo, {}, { file_id: file.id }));
  await refused(bus.request(FileRetrieve, jreq(solo2, {}, { file_id: file.id })), 404);
  await refused(bus.request(FileRetrieve, jreq(a1, {}, { file_id: file.id })), 404);
});

test('bad uploads: purpose, unknown model, unsupported provider, no settings', async () => {
  const purpose = await uploadInternal(internalUrl, a1, { purpose: 'nonsense', content: '{}' });
  assert.equal(purpose.status, 400);
  assert.match(String(purpose.body.message), /Invalid purpose: nonsense/);
  const model = await uploadInternal(internalUrl, a1, { purpose: 'batch', content: '{}', headers: { 'x-litellm-model': 'no-such-model' } });
  assert.equal(model.status, 400);
  assert.match(String(model.body.message), /Invalid model name/);
  const provider = await uploadInternal(internalUrl, a1, { purpose: 'batch', content: '{}', query: '?custom_llm_provider=vertex_ai' });
  assert.equal(provider.status, 400);
  assert.match(String(provider.body.message), /not supported/);
});

// 3 successful lines (1510 prompt + 305 completion tokens), 1 failed line in the output, 1 in the error file
const LINES = batchLines([{ id: 'ok-1', prompt: 1000, completion: 200 }, { id: 'ok-2', prompt: 500, completion: 100 }, { id: 'ok-3' }, { id: 'will-fail' }, { id: 'has-error' }]);

test('batch: created on the file\'s deployment, charged once from its output file with batch prices, by the BullMQ poller', async () => {
  const file = asFile(await uploadInternal(internalUrl, a1, { purpose: 'batch', content: LINES, headers: { 'x-litellm-model': 'batch-gpt' } }));
  assert.match(file.id, /^file-[A-Za-z0-9_-]+$/);
  assert.match(Buffer.from(file.id.slice(5), 'base64url').toString(), /^litellm:file-.+;model,batch-gpt$/, 'LiteLLM-style model-encoded id');
  const batch = await bus.request(BatchCreate, jreq(a1, { input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { job: 'nightly' }, model: 'batch-gpt' }));
  assert.match(batch.id, /^batch_/);
  assert.equal(batch.input_file_id, file.id);
  assert.equal(batch.status, 'validating');
  assert.deepEqual(batch.metadata, { job: 'nightly' });
  const upstream = mock.requests.find((r) => r.method === 'POST' && r.path === '/v1/batches');
  assert.ok(upstream, 'created at the OpenAI-compatible provider');

  await refused(bus.request(BatchRetrieve, jreq(b1, {}, { batch_id: batch.id })), 404);
  await refused(bus.request(BatchCancel, jreq(b1, {}, { batch_id: batch.id })), 404);
  assert.ok(!(await bus.request(BatchList, jreq(b1))).data.some((b) => b.id === batch.id));
  assert.ok((await bus.request(BatchList, jreq(a2))).data.some((b) => b.id === batch.id));

  // nobody retrieves it: the repeatable poll job notices completion and charges
  const event = await eventually('batch cost event', async () => (await usageEvents(nc, namespace)).find((e) => e.id === `${batch.id}_batch_cost`));
  assert.equal(event.call_type, 'aretrieve_batch');
  assert.equal(event.prompt_tokens, 1510);
  assert.equal(event.completion_tokens, 305);
  assert.equal(event.total_tokens, 1815);
  // gpt-4o-mini batch prices: 7.5e-8 in, 3e-7 out
  assert.ok(Math.abs(event.response_cost - (1510 * 7.5e-8 + 305 * 3e-7)) < 1e-15, String(event.response_cost));
  assert.equal(event.metadata.batch_successful_requests, 3);
  assert.equal(event.metadata.batch_failed_requests, 2);
  assert.deepEqual(event.metadata.batch_models, ['gpt-4o-mini']);
  assert.ok(Math.abs(event.metadata.cost_breakdown!.input_cost - 1510 * 7.5e-8) < 1e-15);
  assert.equal(event.metadata.user_api_key_hash, 'a1');
  assert.equal(event.metadata.user_api_key_team_id, 'team-a');
  assert.equal(event.metadata.user_api_key_user_id, 'user-a1');
  assert.equal(event.metadata.session_id, batch.id);
  assert.equal(event.model_group, 'batch-gpt');

  const row = (await pg.query(`SELECT cost_state, response_cost FROM "${schema}".batches WHERE id = $1`, [batch.id])).rows[0];
  assert.equal(row.cost_state, 'charged');
  assert.equal(Number(row.response_cost), event.response_cost);

  // the owner sees it completed, with Tollgate ids for the output files, and can read them
  const done = await bus.request(BatchRetrieve, jreq(a2, {}, { batch_id: batch.id }));
  assert.equal(done.status, 'completed');
  assert.match(String(done.output_file_id), /^file-/);
  const out = await request(`${internalUrl}${jobsInternalContentPath(String(done.output_file_id))}`, { headers: jobsCallerHeaders(a1, SECRET) });
  const text = await out.body.text();
  assert.equal(text.trim().split('\n').length, 4);
  const outB = await request(`${internalUrl}${jobsInternalContentPath(String(done.output_file_id))}`, { headers: jobsCallerHeaders(b1, SECRET) });
  assert.equal(outB.statusCode, 404);
  await outB.body.dump();
});

test('batch cost is published exactly once when polls race and after a worker dies mid-charge', async () => {
  const file = asFile(await uploadInternal(internalUrl, a1, { purpose: 'batch', content: LINES, query: '?custom_llm_provider=openai' }));
  const batch = await bus.request(BatchCreate, jreq(a1, { input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }));
  const providerId = (await pg.query(`SELECT provider_batch_id FROM "${schema}".batches WHERE id = $1`, [batch.id])).rows[0].provider_batch_id as string;
  await eventually('provider completion', async () => mock.state.batchStatus(mock.state.batches.get(providerId)!) === 'completed');
  // three polls at once (plus, maybe, the BullMQ worker's own)
  const outcomes = await Promise.all([service!.pollers.batch(batch.id), service!.pollers.batch(batch.id), service!.pollers.batch(batch.id)]);
  assert.ok(outcomes.filter((o) => o === 'charged').length <= 1, outcomes.join());
  await eventually('charged row', async () => (await pg.query(`SELECT 1 FROM "${schema}".batches WHERE id = $1 AND cost_state = 'charged'`, [batch.id])).rowCount);
  const count = async (): Promise<number> => (await usageEvents(nc, namespace)).filter((e) => e.id === `${batch.id}_batch_cost`).length;
  assert.equal(await count(), 1);

  // a worker that published and died before marking the row: its claim expires and the next poll
  // republishes the stored event with the same Nats-Msg-Id, which JetStream drops
  await pg.query(`UPDATE "${schema}".batches SET cost_state = 'charging', cost_claimed_at = now() - interval '5 minutes' WHERE id = $1`, [batch.id]);
  assert.equal(await service!.pollers.batch(batch.id), 'charged');
  assert.equal(await count(), 1);
  assert.equal(await service!.pollers.batch(batch.id), 'already');
  assert.equal(await count(), 1);
});

test('batch cancel: only the owning team; the provider sees the cancel', async () => {
  const file = asFile(await uploadInternal(internalUrl, a1, { purpose: 'batch', content: LINES }));
  const slowBatch = await bus.request(BatchCreate, jreq(a1, { input_file_id: file.id, endpoint: '/v1/chat/completions' }));
  await refused(bus.request(BatchCancel, jreq(b1, {}, { batch_id: slowBatch.id })), 404);
  const cancelled = await bus.request(BatchCancel, jreq(a2, {}, { batch_id: slowBatch.id }));
  assert.ok(['cancelling', 'cancelled'].includes(cancelled.status), cancelled.status);
  assert.ok(mock.requests.some((r) => r.method === 'POST' && r.path.endsWith('/cancel') && r.path.startsWith('/v1/batches/')));
  await refused(bus.request(BatchCreate, jreq(b1, { input_file_id: file.id, endpoint: '/v1/chat/completions' })), 404, /No such File/);
});

test('Azure: /openai paths with api-key and api-version; half-price batch cost where the map has no batch price', async () => {
  const file = asFile(await uploadInternal(internalUrl, b1, { purpose: 'batch', content: LINES, fields: { model: 'azure-gpt' } }));
  const up = mock.requests.filter((r) => r.method === 'POST' && r.path === '/openai/files').at(-1);
  assert.ok(up, 'uploaded to Azure\'s path');
  assert.equal(up.query['api-version'], '2024-10-21');
  assert.equal(up.headers['api-key'], UPSTREAM_KEY);
  assert.equal(up.headers.authorization, undefined);
  const batch = await bus.request(BatchCreate, jreq(b1, { input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }));
  assert.ok(mock.requests.some((r) => r.method === 'POST' && r.path === '/openai/batches' && r.headers['api-key'] === UPSTREAM_KEY));
  const event = await eventually('azure batch cost', async () => (await usageEvents(nc, namespace)).find((e) => e.id === `${batch.id}_batch_cost`));
  // azure/gpt-4o-mini: 1.65e-7 in, 6.6e-7 out, no *_batches → 50%
  assert.ok(Math.abs(event.response_cost - (1510 * 1.65e-7 + 305 * 6.6e-7) / 2) < 1e-15, String(event.response_cost));
  assert.equal(event.custom_llm_provider, 'azure');
  assert.equal(event.metadata.user_api_key_team_id, 'team-b');
  assert.ok(mock.requests.some((r) => r.method === 'GET' && r.path.startsWith('/openai/batches/') && r.query['api-version']));
  assert.ok(mock.requests.some((r) => r.method === 'GET' && /^\/openai\/files\/.+\/content$/.test(r.path)));
});

test('fine-tuning: create (logged), list, events, ownership, cancel, training cost when it succeeds', async () => {
  const training = asFile(await uploadInternal(internalUrl, a1, { purpose: 'fine-tune', content: '{"messages":[]}\n' }));
  const job = await bus.request(FineTuningJobCreate, jreq(a1, { model: 'gpt-4o-mini-2024-07-18', training_file: training.id, hyperparameters: { n_epochs: 2 }, suffix: 'tg' }));
  assert.match(job.id, /^ftjob-/);
  assert.equal(job.training_file, training.id);
  assert.equal(job.hyperparameters?.n_epochs, 2);
  const created = await eventually('creation event', async () => (await usageEvents(nc, namespace)).find((e) => e.id === `${job.id}_create`));
  assert.equal(created.call_type, 'acreate_fine_tuning_job');
  assert.equal(created.metadata.file_id, training.id);
  assert.equal(created.metadata.finetuning_job_id, job.id);
  assert.equal(created.metadata.user_api_key_team_id, 'team-a');
  assert.equal(created.response_cost, 0);

  assert.ok((await bus.request(FineTuningJobList, jreq(a2))).data.some((j) => j.id === job.id));
  assert.ok(!(await bus.request(FineTuningJobList, jreq(b1))).data.some((j) => j.id === job.id));
  await refused(bus.request(FineTuningJobRetrieve, jreq(b1, {}, { fine_tuning_job_id: job.id })), 404);
  await refused(bus.request(FineTuningJobEvents, jreq(b1, {}, { fine_tuning_job_id: job.id })), 404);
  await refused(bus.request(FineTuningJobCancel, jreq(b1, {}, { fine_tuning_job_id: job.id })), 404);
  await refused(bus.request(FineTuningJobCreate, jreq(b1, { model: 'gpt-4o-mini', training_file: training.id })), 404);
  await refused(bus.request(FineTuningJobCreate, jreq(a1, { training_file: training.id })), 400, /model/);

  const events = await bus.request(FineTuningJobEvents, jreq(a2, {}, { fine_tuning_job_id: job.id }));
  assert.equal(events.object, 'list');
  assert.ok(events.data.some((e) => /Validating training file/.test(e.message)));

  const cost = await eventually('training cost event', async () => (await usageEvents(nc, namespace)).find((e) => e.id === `${job.id}_ft_cost`));
  assert.equal(cost.call_type, 'aretrieve_fine_tuning_job');
  assert.equal(cost.prompt_tokens, 4096);
  assert.ok(Math.abs(cost.response_cost - 4096 * 0.000008) < 1e-15, String(cost.response_cost));
  const done = await bus.request(FineTuningJobRetrieve, jreq(a1, {}, { fine_tuning_job_id: job.id }));
  assert.equal(done.status, 'succeeded');
  assert.equal(done.trained_tokens, 4096);

  const other = await bus.request(FineTuningJobCreate, jreq(a1, { model: 'gpt-4o-mini', training_file: training.id }));
  const cancelled = await bus.request(FineTuningJobCancel, jreq(a2, {}, { fine_tuning_job_id: other.id }));
  assert.equal(cancelled.status, 'cancelled');
});

test('an upload of 128 MB streams through without the process holding it', async () => {
  const size = 128 * 1024 * 1024;
  const boundary = `----big${runId()}`;
  const headPart = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jsonl"\r\nContent-Type: application/jsonl\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const file = generatedJsonl(size);
  const body = Readable.from((async function* () {
    yield headPart;
    for await (const c of file) yield c as Buffer;
    yield tail;
  })());
  // live memory only: collect garbage before each sample, so chunks already passed on do not count
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const memory = (): number => {
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const baseline = memory();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, memory())), 25);
  const res = await request(`${internalUrl}${JOBS_INTERNAL_PATHS.upload}`, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(headPart.length + size + tail.length), ...jobsCallerHeaders(a1, SECRET) },
    body,
  });
  const uploaded = (await res.body.json()) as { bytes: number; id: string };
  clearInterval(sampler);
  assert.equal(res.statusCode, 200, JSON.stringify(uploaded));
  assert.equal(uploaded.bytes, size);
  // the client, the jobs service and the mock provider all run in this process: holding the file
  // anywhere would show up as at least 128 MB; streaming (allowing for buffers still being swept) keeps the growth to buffers and garbage
  const grew = peak - baseline;
  assert.ok(grew < size / 4, `memory grew by ${(grew / 1048576).toFixed(1)} MB for a ${size / 1048576} MB upload`);
  const row = (await pg.query(`SELECT bytes FROM "${schema}".files WHERE id = $1`, [uploaded.id])).rows[0];
  assert.equal(Number(row.bytes), size);
});

test('poll errors are retried with backoff, and the poll still charges once the provider answers', async () => {
  const file = asFile(await uploadInternal(internalUrl, solo, { purpose: 'batch', content: LINES }));
  const batch = await bus.request(BatchCreate, jreq(solo, { input_file_id: file.id, endpoint: '/v1/chat/completions' }));
  mock.failRetrievals(2);
  await refused(service!.pollers.batch(batch.id), 502, /openai error/);
  const errors = (await pg.query(`SELECT poll_errors FROM "${schema}".batches WHERE id = $1`, [batch.id])).rows[0].poll_errors;
  assert.ok(errors >= 1);
  const event = await eventually('cost after errors', async () => (await usageEvents(nc, namespace)).find((e) => e.id === `${batch.id}_batch_cost`), 30_000);
  assert.equal(event.metadata.user_api_key_hash, 'solo');
  assert.equal(event.metadata.user_api_key_team_id, null);
});
