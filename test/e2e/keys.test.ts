import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import { BudgetSpendGet } from '@tollgate/contracts';
import { readEnv } from '@tollgate/config';
import { Bus, connectNats } from '@tollgate/messaging/client';
import { MockUpstream, RunningSystem, startMockUpstream, startSystem, testNamespace, writeTempConfig } from '@tollgate/testing';
import { deleteStreams, dropDatabase, eventually } from './support';

const MASTER = 'sk-e2e-keys-master-0123456789';
const ns = testNamespace('keys');
const db = `tollgate_${ns}`;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
let up: MockUpstream;
let sys: RunningSystem;

async function call(method: 'GET' | 'POST', path: string, key: string, body?: object): Promise<{ status: number; json: any }> {
  const res = await fetch(`${sys.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json() };
}

const chat = (key: string, model: string, extra: object = {}) => call('POST', '/v1/chat/completions', key, { model, messages: [{ role: 'user', content: 'hello' }], ...extra });

before(async () => {
  up = await startMockUpstream();
  const cfg = `model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: ${up.url}/v1, api_key: sk-up }
  - model_name: gpt-4o-mini
    litellm_params: { model: openai/gpt-4o-mini, api_base: ${up.url}/v1, api_key: sk-up }
  - model_name: claude-private
    litellm_params: { model: openai/claude-like, api_base: ${up.url}/v1, api_key: sk-up }
general_settings:
  master_key: ${MASTER}
`;
  sys = await startSystem({ namespace: ns, env: { TOLLGATE_CONFIG: writeTempConfig(cfg), DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}` } });
});

after(async () => {
  await sys?.stop();
  await up?.close();
  await deleteStreams(ns).catch(() => undefined);
  await dropDatabase(db).catch(() => undefined);
});

describe('virtual keys, users and teams through the gateway', () => {
  let aliceKey: string;
  let bobKey: string;
  let teamKey: string;

  test('an admin creates users, a team with an admin, and keys; keys call models with the openai client', async () => {
    const alice = await call('POST', '/user/new', MASTER, { user_id: 'alice', user_role: 'internal_user' });
    assert.equal(alice.status, 200, JSON.stringify(alice.json));
    aliceKey = alice.json.key;
    assert.match(aliceKey, /^sk-/);
    const bob = await call('POST', '/user/new', MASTER, { user_id: 'bob' });
    bobKey = bob.json.key;
    const team = await call('POST', '/team/new', MASTER, { team_id: 'team-a', team_alias: 'Team A', models: ['gpt-4o-mini'], max_budget: 50, members_with_roles: [{ user_id: 'alice', role: 'admin' }] });
    assert.equal(team.status, 200, JSON.stringify(team.json));
    await call('POST', '/team/new', MASTER, { team_id: 'team-b', team_alias: 'Team B' });
    const k = await call('POST', '/key/generate', MASTER, { team_id: 'team-a', key_alias: 'team-a-service' });
    assert.equal(k.status, 200, JSON.stringify(k.json));
    teamKey = k.json.key;
    const client = new OpenAI({ baseURL: `${sys.url}/v1`, apiKey: teamKey, maxRetries: 0 });
    const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'team call' }] });
    assert.match(r.choices[0].message.content ?? '', /team call/);
    const models = (await client.models.list()).data.map((m) => m.id);
    assert.deepEqual(models, ['gpt-4o-mini'], 'a team key lists only its team models');
  });

  test('model access is enforced with LiteLLM\'s 401', async () => {
    const denied = await chat(teamKey, 'gpt-4o');
    assert.equal(denied.status, 401);
    assert.equal(denied.json.error.type, 'team_model_access_denied');
    assert.match(denied.json.error.message, /team not allowed to access model.*Tried to access gpt-4o/);
    const limited = await call('POST', '/key/generate', MASTER, { models: ['gpt-4o'] });
    const r = await chat(limited.json.key, 'gpt-4o-mini');
    assert.equal(r.status, 401);
    assert.equal(r.json.error.type, 'key_model_access_denied');
  });

  test('a team admin manages their team and nothing else', async () => {
    const own = await call('POST', '/key/generate', aliceKey, { team_id: 'team-a', key_alias: 'made-by-alice' });
    assert.equal(own.status, 200, JSON.stringify(own.json));
    const other = await call('POST', '/key/generate', aliceKey, { team_id: 'team-b' });
    assert.equal(other.status, 403);
    const raise = await call('POST', '/team/update', aliceKey, { team_id: 'team-a', max_budget: 5000 });
    assert.equal(raise.status, 403);
    const escalate = await call('POST', '/user/update', aliceKey, { user_id: 'alice', user_role: 'proxy_admin' });
    assert.equal(escalate.status, 403);
    const addMember = await call('POST', '/team/member_add', aliceKey, { team_id: 'team-a', member: { user_id: 'bob', role: 'user' } });
    assert.equal(addMember.status, 200, JSON.stringify(addMember.json));
    const foreignModel = await call('POST', '/key/generate', aliceKey, { team_id: 'team-a', models: ['claude-private'] });
    assert.equal(foreignModel.status, 403, 'no keys for models the team cannot use');
    const plainKey = await call('POST', '/key/generate', teamKey, {});
    assert.equal(plainKey.status, 403, 'a plain key cannot mint keys');
  });

  test('a team model is callable by that team only, with no restart', async () => {
    const added = await call('POST', '/model/new', aliceKey, { model_name: 'team-a-llm', litellm_params: { model: 'openai/team-a-finetune', api_base: `${up.url}/v1`, api_key: 'sk-up' }, model_info: { team_id: 'team-a' } });
    assert.equal(added.status, 200, JSON.stringify(added.json));
    const ok = await eventually(async () => {
      const r = await chat(teamKey, 'team-a-llm');
      return r.status === 200 ? r : undefined;
    }, 5000, 'the team model to route');
    assert.equal((up.requests.at(-1)!.body as { model: string }).model, 'team-a-finetune');
    assert.ok(ok.json.choices);
    const outsider = await chat(bobKey, 'team-a-llm');
    assert.ok(outsider.status === 400 || outsider.status === 401, `another caller cannot use it (${outsider.status})`);
  });

  test('a blocked or deleted key is refused on its very next request', async () => {
    const k = (await call('POST', '/key/generate', MASTER, { key_alias: 'to-block' })).json.key as string;
    assert.equal((await chat(k, 'gpt-4o')).status, 200);
    assert.equal((await call('POST', '/key/block', MASTER, { key: k })).status, 200);
    const blocked = await chat(k, 'gpt-4o');
    assert.equal(blocked.status, 401, 'refused on the very next request');
    assert.match(blocked.json.error.message, /Key is blocked/);
    await call('POST', '/key/unblock', MASTER, { key: k });
    assert.equal((await chat(k, 'gpt-4o')).status, 200);
    await call('POST', '/key/delete', MASTER, { keys: [k] });
    const deleted = await chat(k, 'gpt-4o');
    assert.equal(deleted.status, 401);
    assert.equal(deleted.json.error.type, 'token_not_found_in_db');
  });

  test('the spend log names the key, its alias, user and team', async () => {
    const res = await fetch(`${sys.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${teamKey}`, 'x-litellm-call-id': `keys-${ns}` },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'log' }] }),
    });
    assert.equal(res.status, 200);
    const row = await eventually(async () => {
      const r = await call('GET', `/spend/logs?request_id=keys-${ns}`, MASTER);
      return r.json[0];
    }, 15_000, 'the spend row');
    assert.equal(row.api_key, sha256(teamKey));
    assert.equal(row.team_id, 'team-a');
    assert.equal(row.metadata.user_api_key_alias, 'team-a-service');
    assert.equal(row.metadata.user_api_key_team_alias, 'Team A');
    const forbidden = await call('GET', '/spend/logs', teamKey);
    assert.equal(forbidden.status, 403);
  });
});

describe('budgets and rate-limit tiers through the gateway', () => {
  test('a tier limits the keys assigned to it, with LiteLLM\'s 429 and headers, and an update applies on the next request', async () => {
    const tier = await call('POST', '/budget/new', MASTER, { budget_id: 'tight-tier', rpm_limit: 2, tpm_limit: 100000 });
    assert.equal(tier.status, 200, JSON.stringify(tier.json));
    const key = (await call('POST', '/key/generate', MASTER, { budget_id: 'tight-tier' })).json.key as string;
    const first = await fetch(`${sys.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], mock_response: 'ok' }),
    });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-ratelimit-limit-requests'), '2');
    assert.equal(first.headers.get('x-ratelimit-remaining-requests'), '1');
    assert.equal((await chat(key, 'gpt-4o', { mock_response: 'ok' })).status, 200);
    const refused = await fetch(`${sys.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], mock_response: 'ok' }),
    });
    assert.equal(refused.status, 429);
    const body = (await refused.json()) as any;
    assert.match(body.error.message, /Rate limit exceeded for .*Limit type: requests\. Current limit: 2, Remaining: 0/);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal(refused.headers.get('x-ratelimit-remaining-requests'), '0');
    const upd = await call('POST', '/budget/update', MASTER, { budget_id: 'tight-tier', rpm_limit: 100 });
    assert.equal(upd.status, 200, JSON.stringify(upd.json));
    assert.equal((await chat(key, 'gpt-4o', { mock_response: 'ok' })).status, 200, 'the raised tier applies at once');
    const del = await call('POST', '/budget/delete', MASTER, { id: 'tight-tier' });
    assert.equal(del.status, 400, `a tier in use cannot be deleted: ${JSON.stringify(del.json)}`);
  });

  test('a key over its budget is refused with budget_exceeded once its spend is recorded', async () => {
    // each mock call costs 10 x 2.5e-6 + 20 x 1e-5 = 0.000225 $ on gpt-4o
    const key = (await call('POST', '/key/generate', MASTER, { max_budget: 0.0003 })).json.key as string;
    assert.equal((await chat(key, 'gpt-4o', { mock_response: 'ok' })).status, 200);
    assert.equal((await chat(key, 'gpt-4o', { mock_response: 'ok' })).status, 200, 'budget remained: admitted');
    // spend lands asynchronously (usage event -> budget service): wait until the budget service has
    // charged both calls, then the next request must be refused at exactly that cost
    await eventually(async () => {
      const nc = await connectNats(readEnv({ ...process.env, TOLLGATE_NAMESPACE: ns }), 'keys-e2e');
      try {
        const [total] = (await new Bus(nc, ns).request(BudgetSpendGet, { entities: [{ type: 'key', id: sha256(key) }] } as never)) as { spend: number }[];
        return total && Math.abs(total.spend - 0.00045) < 1e-12 ? total : undefined;
      } finally {
        await nc.close();
      }
    }, 20_000, 'both calls charged');
    const refused = await chat(key, 'gpt-4o', { mock_response: 'ok' });
    assert.equal(refused.status, 400, JSON.stringify(refused.json));
    assert.equal(refused.json.error.type, 'budget_exceeded');
    const metrics = await (await fetch(`${sys.url}/metrics`, { headers: { authorization: `Bearer ${MASTER}` } })).text();
    const gauge = metrics.split('\n').find((l) => l.startsWith(`litellm_remaining_api_key_budget_metric{hashed_api_key="${sha256(key)}"`));
    assert.ok(gauge, 'the remaining-budget gauge of the key is exported');
    assert.ok(Number(gauge!.split(' ').at(-1)) <= 0.0003 - 0.000225 + 1e-12, gauge);
    assert.match(refused.json.error.message, /Budget has been exceeded! Current cost: 0\.00045, Max budget: 0\.0003/);
  });
});
