import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, fork, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createServer, AddressInfo } from 'node:net';
import { Client } from 'pg';
import Redis from 'ioredis';
import { JSONCodec, NatsConnection } from 'nats';
import { createLogger, readEnv } from '@tollgate/config';
import {
  BudgetDelete, BudgetInfo, BudgetList, BudgetNew, BudgetSettings, BudgetSpendGet, BudgetUpdate, BUDGET_HTTP_ROUTES, HealthChecks, KeyGenerate,
  KeyUpdate, nsName, nsSubject, SoftBudgetCrossed, SoftBudgetCrossedPayload, SpendEntityQuery, StandardLoggingPayload, TeamMemberAdd, TeamNew,
  UsageRecorded, UsageStream, UserNew,
} from '@tollgate/contracts';
import { Bus, connectNats, ensureStream } from '@tollgate/messaging';
import { keyModelId, LimitsLayout, memberId } from '@tollgate/limits';
import { BudgetServiceHandle, bullPrefix, startBudgetService } from '../src/budget-service';
import { DATABASE_URL, MASTER, mreq, NATS_URL, REDIS_URL, refused, runId, sleep, usage, waitFor } from './support';

const run = runId();
const namespace = `t_budget_${run}`;
const schema = `budget_${run}`;
/** the keys service runs as its own process (as in production) on a throwaway database */
const keysDb = `tollgate_budget_keys_${run}`;
const env = readEnv({ TOLLGATE_NAMESPACE: namespace, NATS_URL, LOG_LEVEL: 'warn' });
const layout = new LimitsLayout(namespace);
const codec = JSONCodec<unknown>();

let keys: ChildProcess | null = null;
let budgetB: BudgetServiceHandle | null = null;
let child: ChildProcess | null = null;
let nc: NatsConnection;
let bus: Bus;
let redis: Redis;
let pg: Client;

/** the real keys service (roles, keys.budget_id, keys.auth.resolve), started like `npm start` starts it */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function startKeys(): Promise<ChildProcess> {
  const main = join(__dirname, '..', '..', '..', 'keys', 'dist', 'src', 'main.js');
  const c = spawn(process.execPath, [main], {
    env: { ...process.env, TOLLGATE_NAMESPACE: namespace, NATS_URL, DATABASE_URL: DATABASE_URL.replace(/\/[^/]*$/, `/${keysDb}`), HEALTH_PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'warn', TOLLGATE_CONFIG: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return waitFor('keys service', async () => {
    if (c.exitCode !== null) throw new Error(`keys service exited with ${c.exitCode}`);
    return bus.request(HealthChecks.keys, {}, { timeoutMs: 500 }).then((h) => h.ready, () => false);
  }, (ready) => ready, 20_000).then(() => c);
}

function startChild(): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const c = fork(join(__dirname, 'child.js'), [JSON.stringify({ namespace, schema })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    c.once('message', () => resolve(c));
    c.once('exit', (code) => reject(new Error(`budget child exited with ${code}`)));
  });
}

async function kill(c: ChildProcess | null): Promise<void> {
  if (!c || c.exitCode !== null) return;
  const gone = new Promise((r) => c.once('exit', r));
  c.kill('SIGKILL');
  await gone;
}

function publish(e: StandardLoggingPayload, msgId: string = e.id): Promise<unknown> {
  return nc.jetstream().publish(nsSubject(namespace, UsageRecorded.subject), codec.encode(e), { msgID: msgId });
}

async function spend(...q: SpendEntityQuery[]): Promise<string[]> {
  return (await bus.request(BudgetSpendGet, { entities: q })).map((t) => t.spend_pico);
}

async function redisSpend(q: SpendEntityQuery): Promise<string> {
  return (await redis.hget(layout.spend(q), 's')) ?? '0';
}

before(async () => {
  nc = await connectNats(env, 'budget-test');
  bus = new Bus(nc, namespace, 5000);
  [keys, child] = await Promise.all([startKeys(), startChild()]);
  await ensureStream(await nc.jetstreamManager(), namespace, UsageStream);
  redis = new Redis(REDIS_URL);
  pg = new Client({ connectionString: DATABASE_URL });
  await pg.connect();
});

after(async () => {
  const steps: (() => Promise<unknown> | undefined)[] = [
    () => kill(child),
    () => budgetB?.close(),
    () => kill(keys),
    () => pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
    () => pg.query(`DROP DATABASE IF EXISTS "${keysDb}" WITH (FORCE)`),
    async () => {
      for (const pattern of [`{${namespace}}:*`, `${bullPrefix(namespace)}:*`]) {
        const found = await redis.keys(pattern);
        if (found.length) await redis.del(...found);
      }
    },
    async () => {
      const jsm = await nc.jetstreamManager();
      for (const s of [UsageStream, SoftBudgetCrossed.stream]) await jsm.streams.delete(nsName(namespace, s.name)).catch(() => undefined);
    },
    () => pg?.end(),
    () => nc?.close(),
    async () => redis?.disconnect(),
  ];
  for (const step of steps) await Promise.resolve(step()).catch((e: Error) => console.error(`cleanup: ${e.message}`));
});

// ── fixtures ─────────────────────────────────────────────────────────────────────────────────────
const TIER = `gold-${run}`;
const TEAM = `team-${run}`;
const USER = `user-${run}`;
let keyHash = '';
let viewerHash = '';
let internalHash = '';

test('routes: every /budget/* route is in BUDGET_HTTP_ROUTES, shaped like KEYS_HTTP_ROUTES', () => {
  const paths = BUDGET_HTTP_ROUTES.map((r) => `${r.method} ${r.path}`);
  for (const p of ['POST /budget/new', 'POST /budget/update', 'GET /budget/info', 'GET /budget/list', 'POST /budget/delete', 'GET /budget/settings']) assert.ok(paths.includes(p), p);
});

test('health: budget.health.check is ready (NATS, Postgres, Redis)', async () => {
  const h = await bus.request(HealthChecks.budget, {});
  assert.deepEqual(h, { service: 'budget', ready: true, checks: { nats: true, postgres: true, redis: true } });
});

test('tiers: create, read, list, settings, update (Redis sees it at once), validation and roles', async () => {
  const created = await bus.request(BudgetNew, mreq(MASTER, {
    budget_id: TIER, max_budget: 10, soft_budget: 0.15, rpm_limit: 100, budget_duration: '1d',
    model_max_budget: { 'gpt-4o': { budget_limit: 10, time_period: '1d', rpm_limit: 1000000, tpm_limit: 500 } },
  }));
  assert.equal(created.budget_id, TIER);
  assert.equal(created.max_budget, 10);
  assert.equal(created.created_by, 'default_user_id');
  assert.ok(created.budget_reset_at && Date.parse(created.budget_reset_at) > Date.now());
  assert.equal(await redis.hget(layout.tier(TIER), 'rpm'), '100');
  assert.equal(await redis.hget(layout.tier(TIER), 'm:gpt-4o:tpm'), '500');

  await refused(bus.request(BudgetNew, mreq(MASTER, { budget_id: TIER })), 400, new RegExp(`^Budget with id '${TIER}' already exists\\.$`));
  await refused(bus.request(BudgetNew, mreq(MASTER, { max_budget: -1 })), 400, /^max_budget must be a non-negative finite number\. Received: -1$/);
  await refused(bus.request(BudgetNew, mreq(MASTER, { model_max_budget: { m: 3 } })), 400, /^Invalid model_max_budget: /);
  await refused(bus.request(BudgetUpdate, mreq(MASTER, { rpm_limit: 3 })), 400, /^budget_id is required$/);
  await refused(bus.request(BudgetInfo, mreq(MASTER, { budgets: [] })), 400, /^Specify list of budget id's to query\. Passed in=\[\]$/);
  const auto = await bus.request(BudgetNew, mreq(MASTER, { tpm_limit: 5 }));
  assert.match(auto.budget_id, /^[0-9a-f-]{36}$/);

  const updated = await bus.request(BudgetUpdate, mreq(MASTER, { budget_id: TIER, rpm_limit: 7 }));
  assert.equal(updated.rpm_limit, 7);
  assert.equal(updated.max_budget, 10, 'unset fields are kept');
  assert.equal(await redis.hget(layout.tier(TIER), 'rpm'), '7');

  const info = await bus.request(BudgetInfo, mreq(MASTER, {}, { budget_id: TIER }));
  assert.deepEqual(info.map((b) => b.budget_id), [TIER]);
  const posted = await bus.request(BudgetInfo, mreq(MASTER, { budgets: [TIER, auto.budget_id] }));
  assert.equal(posted.length, 2);
  const list = await bus.request(BudgetList, mreq(MASTER));
  assert.ok(list.some((b) => b.budget_id === TIER));
  const settings = await bus.request(BudgetSettings, mreq(MASTER, {}, { budget_id: TIER }));
  assert.deepEqual(settings.find((f) => f.field_name === 'rpm_limit'), {
    field_name: 'rpm_limit', field_type: 'Integer', field_description: 'Max requests per minute, allowed for this budget id.', field_value: 7,
    stored_in_db: true, field_default_value: null, premium_field: false, nested_fields: null,
  });

  // roles come from the keys service: a viewer reads, only an admin writes, an internal user does neither
  const viewer = await bus.request(UserNew, mreq(MASTER, { user_id: `viewer-${run}`, user_role: 'proxy_admin_viewer' }));
  const internal = await bus.request(UserNew, mreq(MASTER, { user_id: `internal-${run}`, user_role: 'internal_user' }));
  viewerHash = createHash('sha256').update(viewer.key).digest('hex');
  internalHash = createHash('sha256').update(internal.key).digest('hex');
  const as = (h: string) => ({ keyHash: h, isMaster: false });
  assert.ok((await bus.request(BudgetList, mreq(as(viewerHash)))).length >= 2);
  await refused(bus.request(BudgetNew, mreq(as(viewerHash), { budget_id: 'nope' })), 400, /^Admin-only endpoint\. Not allowed to access this\., your role=proxy_admin_viewer$/);
  await refused(bus.request(BudgetList, mreq(as(internalHash))), 400, /your role=internal_user$/);
  await refused(bus.request(BudgetList, mreq(as('f'.repeat(64)))), 401);
});

test('delete: refused while a key uses the tier (asked of the keys service), allowed once none does', async () => {
  await bus.request(UserNew, mreq(MASTER, { user_id: USER, auto_create_key: false }));
  await bus.request(TeamNew, mreq(MASTER, { team_id: TEAM }));
  await bus.request(TeamMemberAdd, mreq(MASTER, { team_id: TEAM, member: { user_id: USER, role: 'user' } }));
  const key = await bus.request(KeyGenerate, mreq(MASTER, { budget_id: TIER, user_id: USER, team_id: TEAM, key_alias: `k-${run}` }));
  keyHash = key.token;
  await refused(bus.request(BudgetDelete, mreq(MASTER, { id: TIER })), 400, new RegExp(`^Budget '${TIER}' is in use by 1 key\\(s\\)\\.`));
  assert.equal(await redis.exists(layout.tier(TIER)), 1);

  const spare = await bus.request(BudgetNew, mreq(MASTER, { budget_id: `spare-${run}`, rpm_limit: 1 }));
  const k2 = await bus.request(KeyGenerate, mreq(MASTER, { budget_id: spare.budget_id }));
  await refused(bus.request(BudgetDelete, mreq(MASTER, { id: spare.budget_id })), 400, /in use by 1 key/);
  await bus.request(KeyUpdate, mreq(MASTER, { key: k2.token, budget_id: null }));
  const deleted = await bus.request(BudgetDelete, mreq(MASTER, { id: spare.budget_id }));
  assert.equal(deleted.budget_id, spare.budget_id);
  assert.equal(await redis.exists(layout.tier(spare.budget_id)), 0, 'tier gone from Redis');
  await refused(bus.request(BudgetDelete, mreq(MASTER, { id: spare.budget_id })), 404);
  await refused(bus.request(BudgetDelete, mreq({ keyHash: viewerHash, isMaster: false }, { id: TIER })), 400, /Admin-only endpoint/);
});

const who = () => ({ keyHash, userId: USER, teamId: TEAM, model: 'gpt-4o' });

test('spend is applied exactly once to key, user, team, member, tier and key+model (redelivery, duplicates, 1e-7 $)', async () => {
  const e1 = usage(`req-1-${run}`, 0.1, who());
  await publish(e1);
  await publish(e1, `${e1.id}-again`); // the same call published twice under two message ids
  await publish(usage(`req-2-${run}`, 0.0000001, who()));
  const entities: SpendEntityQuery[] = [
    { type: 'key', id: keyHash }, { type: 'user', id: USER }, { type: 'team', id: TEAM }, { type: 'member', id: memberId(TEAM, USER) },
    { type: 'tier', id: TIER }, { type: 'keymodel', id: keyModelId(keyHash, 'gpt-4o') },
  ];
  const totals = await waitFor('spend applied', () => spend(...entities), (s) => s.every((x) => x === '100000100000'));
  assert.deepEqual(totals, Array(6).fill('100000100000'));
  await sleep(700); // give a duplicate every chance to be (wrongly) applied
  assert.deepEqual(await spend(...entities), Array(6).fill('100000100000'));
  for (const e of entities) assert.equal(await redisSpend(e), '100000100000', `redis ${e.type}`);
  const rows = await pg.query(`SELECT count(*)::int AS n FROM "${schema}"."processed_events"`);
  assert.equal(rows.rows[0].n, 2);
  // the key's schedule comes from its tier (no budget_duration of its own)
  const [k] = await bus.request(BudgetSpendGet, { entities: [{ type: 'key', id: keyHash }] });
  assert.equal(k.budget_duration, '1d');
});

test('soft budget: crossing it publishes one alert, further spend none', async () => {
  const seen: SoftBudgetCrossedPayload[] = [];
  const sub = nc.subscribe(nsSubject(namespace, SoftBudgetCrossed.subject), { callback: (_e, m) => seen.push(codec.decode(m.data) as SoftBudgetCrossedPayload) });
  try {
    await publish(usage(`req-3-${run}`, 0.1, who())); // 0.2000001 > 0.15
    await waitFor('alert', async () => seen.length, (n) => n >= 1);
    await publish(usage(`req-4-${run}`, 0.1, who()));
    await waitFor('spend', () => spend({ type: 'key', id: keyHash }), (s) => s[0] === '300000100000');
    await sleep(800);
    const forKey = seen.filter((a) => a.entity_type === 'key');
    assert.equal(forKey.length, 1);
    assert.equal(forKey[0].entity_id, keyHash);
    assert.equal(forKey[0].budget_id, TIER);
    assert.equal(forKey[0].soft_budget, 0.15);
    assert.equal(forKey[0].spend, 0.2000001);
  } finally {
    sub.unsubscribe();
  }
});

test('a budget replica SIGKILLed while events flow: after restart the totals are exact', async () => {
  const before = BigInt((await spend({ type: 'team', id: TEAM }))[0]);
  const N = 400;
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < N; i++) {
    sends.push(publish(usage(`flow-${i}-${run}`, 0.0012345, who())));
    if (i === 150) {
      await Promise.all(sends);
      await kill(child);
    }
  }
  await Promise.all(sends);
  child = await startChild();
  const expected = (before + BigInt(N) * 1_234_500_000n).toString();
  const [team] = await waitFor('totals after restart', () => spend({ type: 'team', id: TEAM }), (s) => s[0] === expected, 30_000);
  assert.equal(team, expected);
  await waitFor('redis caught up', () => redisSpend({ type: 'team', id: TEAM }), (s) => s === expected);
  const rows = await pg.query(`SELECT count(*)::int AS n FROM "${schema}"."processed_events" WHERE request_id LIKE 'flow-%'`);
  assert.equal(rows.rows[0].n, N);
});

test('Redis rebuilt from Postgres after the namespace\'s keys are flushed', async () => {
  const expected = (await spend({ type: 'key', id: keyHash }))[0];
  const found = await redis.keys(`{${namespace}}:*`);
  await redis.del(...found);
  assert.equal(await redis.exists(layout.tier(TIER)), 0);
  await waitFor('rebuild', () => redisSpend({ type: 'key', id: keyHash }), (s) => s === expected);
  assert.equal(await redis.hget(layout.tier(TIER), 'rpm'), '7');
});

test('reset: with two replicas running, spend goes back to 0 at budget_reset_at, exactly once per period', async () => {
  budgetB = await startBudgetService({ env, databaseUrl: DATABASE_URL, schema, logger: createLogger('budget', 'warn'), healthPort: null, resetIntervalMs: 500, projectionCheckMs: 500 });
  const tierId = `fast-${run}`;
  await bus.request(BudgetNew, mreq(MASTER, { budget_id: tierId, budget_duration: '5s' }));
  const k = await bus.request(KeyGenerate, mreq(MASTER, { budget_id: tierId }));
  // start well inside a period so the spend lands before its end
  for (;;) {
    const [t] = await bus.request(BudgetInfo, mreq(MASTER, { budgets: [tierId] }));
    if (Date.parse(t.budget_reset_at!) - Date.now() > 2500) break;
    await sleep(200);
  }
  await publish(usage(`reset-1-${run}`, 0.5, { keyHash: k.token, model: 'gpt-4o' }));
  const ref: SpendEntityQuery = { type: 'key', id: k.token };
  await waitFor('spend', () => spend(ref), (s) => s[0] === '500000000000');
  const [before] = await bus.request(BudgetSpendGet, { entities: [ref] });
  const resetAt = Date.parse(before.budget_reset_at!);
  assert.ok(resetAt > Date.now(), 'spend landed before the period ended');
  assert.equal(await redisSpend(ref), '500000000000');

  await waitFor('reset', () => spend(ref), (s) => s[0] === '0', 8000);
  assert.ok(Date.now() >= resetAt, 'not reset early');
  await sleep(1200); // several job runs on two replicas
  const row = await pg.query(`SELECT resets, budget_reset_at FROM "${schema}"."spend_totals" WHERE entity_type = 'key' AND entity_id = $1`, [k.token]);
  assert.equal(row.rows[0].resets, 1, 'reset once');
  assert.equal(new Date(row.rows[0].budget_reset_at).getTime(), resetAt + 5000, 'next reset one period later');
  assert.equal(await redisSpend(ref), '0');
  const [tier] = await bus.request(BudgetInfo, mreq(MASTER, { budgets: [tierId] }));
  assert.ok(Date.parse(tier.budget_reset_at!) > resetAt, 'tier schedule moved on');
});
