import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import OpenAI, { toFile } from 'openai';
import { BudgetSpendGet } from '@tollgate/contracts';
import { readEnv } from '@tollgate/config';
import { Bus, connectNats } from '@tollgate/messaging/client';
import { MockJobsUpstream, RunningSystem, startMockJobsUpstream, startSystem, testNamespace, writeTempConfig } from '@tollgate/testing';
import { deleteStreams, dropDatabase, eventually } from './support';

const MASTER = 'sk-e2e-jobs-master-0123456789';
const ns = testNamespace('jobs');
const db = `tollgate_${ns}`;
let mock: MockJobsUpstream;
let sys: RunningSystem;

/** two lines that succeed with known usage (the mock answers with `mock_usage`) and one that fails */
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function spendOf(entities: { type: string; id: string }[]): Promise<number[]> {
  const nc = await connectNats(readEnv({ ...process.env, TOLLGATE_NAMESPACE: ns }), 'jobs-e2e');
  try {
    const totals = await new Bus(nc, ns).request(BudgetSpendGet, { entities } as never);
    return (totals as { spend: number }[]).map((t) => t?.spend ?? 0);
  } finally {
    await nc.close();
  }
}

const LINES = [
  { custom_id: 'ok-1', usage: { prompt_tokens: 1000, completion_tokens: 100 } },
  { custom_id: 'ok-2', usage: { prompt_tokens: 1000, completion_tokens: 100 } },
  { custom_id: 'will-fail' },
]
  .map((l) => JSON.stringify({ custom_id: l.custom_id, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...(l.usage ? { mock_usage: l.usage } : {}) } }))
  .join('\n');

before(async () => {
  mock = await startMockJobsUpstream({ apiKey: 'sk-upstream', batchCompleteMs: 300, fineTuneCompleteMs: 400 });
  const cfg = `model_list:
  - model_name: gpt-4o-mini
    litellm_params: { model: openai/gpt-4o-mini, api_base: ${mock.url}/v1, api_key: sk-upstream }
files_settings:
  - custom_llm_provider: openai
    api_base: ${mock.url}/v1
    api_key: sk-upstream
general_settings:
  master_key: ${MASTER}
`;
  sys = await startSystem({ namespace: ns, env: { TOLLGATE_CONFIG: writeTempConfig(cfg), DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`, PROXY_BATCH_POLLING_INTERVAL: '1' } });
});

after(async () => {
  await sys?.stop();
  await mock?.close();
  await deleteStreams(ns).catch(() => undefined);
  await dropDatabase(db).catch(() => undefined);
});

test('a team key uploads a file and runs a batch; its cost lands once in the spend log, charged to that key and team', async () => {
  const admin = async (path: string, body: object) =>
    (await fetch(`${sys.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` }, body: JSON.stringify(body) })).json() as Promise<any>;
  await admin('/team/new', { team_id: 'batch-team' });
  const key = (await admin('/key/generate', { team_id: 'batch-team', key_alias: 'batcher' })).key as string;
  const other = (await admin('/key/generate', {})).key as string;
  const client = new OpenAI({ baseURL: `${sys.url}/v1`, apiKey: key, maxRetries: 0 });
  const file = await client.files.create({ file: await toFile(Buffer.from(LINES), 'batch.jsonl'), purpose: 'batch' });
  assert.match(file.id, /^file-/);
  const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
  await assert.rejects(new OpenAI({ baseURL: `${sys.url}/v1`, apiKey: other, maxRetries: 0 }).batches.retrieve(batch.id), (e: { status?: number }) => e.status === 404);
  const done = await eventually(async () => {
    const b = await client.batches.retrieve(batch.id);
    return b.status === 'completed' ? b : undefined;
  }, 20_000, 'the batch to complete');
  assert.equal(done.request_counts?.completed, 2);
  const row = await eventually(async () => {
    const r = await fetch(`${sys.url}/spend/logs?request_id=${batch.id}_batch_cost`, { headers: { authorization: `Bearer ${MASTER}` } });
    const rows = (await r.json()) as any[];
    return rows[0];
  }, 20_000, 'the batch cost row');
  assert.equal(row.call_type, 'aretrieve_batch');
  assert.equal(row.team_id, 'batch-team');
  assert.equal(row.metadata.user_api_key_alias, 'batcher');
  assert.equal(row.prompt_tokens, 2000);
  assert.equal(row.completion_tokens, 200);
  // gpt-4o-mini batch prices: 7.5e-8 input, 3e-7 output per token
  const cost = 2000 * 7.5e-8 + 200 * 3e-7;
  assert.ok(Math.abs(row.spend - cost) < 1e-12, `spend ${row.spend}`);
  // charged exactly once to the creator's key and team by the budget service
  const [keySpend, teamSpend] = await eventually(async () => {
    const v = await spendOf([{ type: 'key', id: sha256(key) }, { type: 'team', id: 'batch-team' }]);
    return v[0] > 0 && v[1] > 0 ? v : undefined;
  }, 15_000, 'the key and team spend');
  assert.ok(Math.abs(keySpend - cost) < 1e-12, `key spend ${keySpend}`);
  assert.ok(Math.abs(teamSpend - cost) < 1e-12, `team spend ${teamSpend}`);
  assert.ok((await client.batches.list()).data.some((b) => b.id === batch.id), 'listed');
  const second = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
  const cancelled = await client.batches.cancel(second.id);
  assert.ok(['cancelling', 'cancelled'].includes(cancelled.status), cancelled.status);
});

test('fine-tuning: create, list, retrieve, events and cancel through the gateway, with its log row', async () => {
  const admin = async (path: string, body: object) =>
    (await fetch(`${sys.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` }, body: JSON.stringify(body) })).json() as Promise<any>;
  const key = (await admin('/key/generate', { key_alias: 'tuner' })).key as string;
  const client = new OpenAI({ baseURL: `${sys.url}/v1`, apiKey: key, maxRetries: 0 });
  const training = await client.files.create({ file: await toFile(Buffer.from('{"messages":[{"role":"user","content":"hi"}]}\n'), 'train.jsonl'), purpose: 'fine-tune' });
  const job = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini-2024-07-18', training_file: training.id, suffix: 'tg' });
  assert.match(job.id, /^ftjob-/);
  assert.ok((await client.fineTuning.jobs.list()).data.some((j) => j.id === job.id));
  assert.equal((await client.fineTuning.jobs.retrieve(job.id)).training_file, training.id);
  assert.ok((await client.fineTuning.jobs.listEvents(job.id)).data.length >= 1);
  const other = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini-2024-07-18', training_file: training.id });
  const cancelled = await client.fineTuning.jobs.cancel(other.id);
  assert.equal(cancelled.status, 'cancelled');
  const row = await eventually(async () => {
    const r = await fetch(`${sys.url}/spend/logs?api_key=${sha256(key)}`, { headers: { authorization: `Bearer ${MASTER}` } });
    const rows = (await r.json()) as any[];
    return rows.find((x) => x.call_type === 'acreate_fine_tuning_job' && x.metadata.finetuning_job_id === job.id);
  }, 15_000, 'the fine-tuning log row');
  assert.equal(row.metadata.file_id, training.id);
  assert.equal(row.metadata.user_api_key_alias, 'tuner');
});
