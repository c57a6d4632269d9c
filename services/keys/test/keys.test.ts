import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { NatsConnection, Subscription } from 'nats';
import { createLogger, readEnv } from '@tollgate/config';
import {
  HealthChecks, KeyAuthResolve, KeyBlock, KeyDelete, KeyGenerate, KeyInfo, KeyList, KeyRegenerate, KeysChanged, KeysChangedPayload,
  KeyUnblock, KeyUpdate, ModelDelete, ModelInfo, ModelNew, TeamBlock, TeamDelete, TeamInfo, TeamMemberAdd, TeamMemberDelete,
  TeamMemberUpdate, TeamNew, TeamUnblock, TeamUpdate, UserInfo, UserList, UserNew, UserUpdate, KEYS_HTTP_ROUTES,
} from '@tollgate/contracts';
import { Bus, connectNats, subscribeBroadcast } from '@tollgate/messaging';
import { KeysServiceHandle, startKeysService } from '../src/keys-service';
import { as, DATABASE_URL, MASTER, mreq, NATS_URL, refused, runId, sha256 } from './support';

const run = runId();
const namespace = `t_keys_${run}`;
const schema = `keys_${run}`;
const env = readEnv({ TOLLGATE_NAMESPACE: namespace, NATS_URL, LOG_LEVEL: 'warn' });

let service: KeysServiceHandle | null = null;
let nc: NatsConnection;
let bus: Bus;
let pg: Client;
let sub: Subscription;
const changes: KeysChangedPayload[] = [];

/** waits for a keys.changed broadcast matching `pred` */
async function changed(pred: (c: KeysChangedPayload) => boolean): Promise<KeysChangedPayload> {
  const until = Date.now() + 3000;
  for (;;) {
    const hit = changes.find(pred);
    if (hit) return hit;
    if (Date.now() > until) assert.fail(`no matching keys.changed; saw ${JSON.stringify(changes)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

before(async () => {
  service = await startKeysService({ env, databaseUrl: DATABASE_URL, schema, logger: createLogger('keys', 'warn'), healthPort: 0, healthHost: '127.0.0.1' });
  nc = await connectNats(env, 'keys-test');
  bus = new Bus(nc, namespace, 5000);
  sub = subscribeBroadcast(nc, namespace, KeysChanged, (c) => {
    changes.push(c);
  });
  await nc.flush();
  pg = new Client({ connectionString: DATABASE_URL });
  await pg.connect();
});

after(async () => {
  const steps: (() => Promise<unknown> | undefined)[] = [
    () => service?.close(),
    async () => sub?.unsubscribe(),
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

// ── fixtures: an admin-created world ───────────────────────────────────────────────────────────
// team A (admin alice, member bob, budget 100, tpm 1000, models gpt-4o + gpt-4o-mini), team B, carol (internal user)
const A = `team-a-${run}`;
const B = `team-b-${run}`;
let aliceKey = '';
let bobKey = '';
let carolKey = '';
let orphanKey = '';

test('setup through the RPCs: users with first keys, teams, members', async () => {
  const alice = await bus.request(UserNew, mreq(MASTER, { user_id: `alice-${run}`, user_email: `alice-${run}@example.test`, user_role: 'internal_user' }));
  assert.match(alice.key, /^sk-/);
  assert.equal(alice.key_name, `sk-...${alice.key.slice(-4)}`);
  aliceKey = alice.key;
  bobKey = (await bus.request(UserNew, mreq(MASTER, { user_id: `bob-${run}` }))).key;
  const carol = await bus.request(UserNew, mreq(MASTER, { user_id: `carol-${run}`, models: ['gpt-4o-mini'], max_budget: 5 }));
  carolKey = carol.key;
  const none = await bus.request(UserNew, mreq(MASTER, { user_id: `dave-${run}`, auto_create_key: false }));
  assert.equal(none.key, '');
  orphanKey = (await bus.request(KeyGenerate, mreq(MASTER, {}))).key;

  const team = await bus.request(TeamNew, mreq(MASTER, {
    team_id: A, team_alias: 'Team A', max_budget: 100, tpm_limit: 1000, rpm_limit: 100, models: ['gpt-4o', 'gpt-4o-mini'],
    members_with_roles: [{ user_id: `alice-${run}`, role: 'admin' }, { user_id: `bob-${run}`, role: 'user' }],
    guardrails: ['pii-mask'],
  }));
  assert.equal(team.team_id, A);
  assert.deepEqual(team.members_with_roles.map((m) => [m.user_id, m.role]), [[`alice-${run}`, 'admin'], [`bob-${run}`, 'user']]);
  assert.deepEqual(team.metadata.guardrails, ['pii-mask']);
  await bus.request(TeamNew, mreq(MASTER, { team_id: B, team_alias: 'Team B' }));
  await refused(bus.request(TeamNew, mreq(MASTER, { team_id: A })), 400, /already exists/, 'team_id');
  await refused(bus.request(UserNew, mreq(MASTER, { user_id: `alice-${run}` })), 409, /already exists/);
  await refused(bus.request(UserNew, mreq(MASTER, { user_email: `ALICE-${run}@example.test` })), 409, /email/);
});

test('generate: raw key returned once, only its sha256 stored; duration → expires; metadata fields', async () => {
  const before = Date.now();
  const r = await bus.request(KeyGenerate, mreq(MASTER, {
    key_alias: `alias-${run}`, duration: '30d', models: ['gpt-4o'], max_budget: 10, budget_duration: '1d', tpm_limit: 50, rpm_limit: 5,
    max_parallel_requests: 2, model_rpm_limit: { 'gpt-4o': 3 }, model_tpm_limit: { 'gpt-4o': 30 }, guardrails: ['g1'], tags: ['t1'],
    metadata: { owner: 'x' }, aliases: { small: 'gpt-4o' }, budget_id: 'tier-1', model_max_budget: { 'gpt-4o': { budget_limit: 1, time_period: '1d' } },
  }));
  assert.match(r.key, /^sk-[A-Za-z0-9_-]{32,}$/);
  assert.equal(r.token, sha256(r.key));
  assert.equal(r.token_id, r.token);
  assert.equal(r.key_alias, `alias-${run}`);
  const expires = Date.parse(r.expires!);
  assert.ok(Math.abs(expires - before - 30 * 86_400_000) < 60_000, r.expires!);
  assert.deepEqual(r.metadata, { owner: 'x', model_rpm_limit: { 'gpt-4o': 3 }, model_tpm_limit: { 'gpt-4o': 30 }, guardrails: ['g1'], tags: ['t1'] });
  assert.equal(r.budget_id, 'tier-1');
  assert.ok(r.budget_reset_at);

  const stored = await pg.query(`SELECT * FROM "${schema}".keys`);
  const dump = JSON.stringify(stored.rows);
  for (const raw of [r.key, aliceKey, bobKey, carolKey]) assert.ok(!dump.includes(raw), 'a raw key is in the keys table');
  assert.ok(stored.rows.every((row: { token: string }) => /^[0-9a-f]{64}$/.test(row.token)));

  await refused(bus.request(KeyGenerate, mreq(MASTER, { key_alias: `alias-${run}` })), 400, /already exists. Unique key aliases/, 'key_alias');
  await refused(bus.request(KeyGenerate, mreq(MASTER, { key: 'pk-mine' })), 400, /must start with 'sk-'/, 'key');
  const custom = await bus.request(KeyGenerate, mreq(MASTER, { key: `sk-custom-${run}` }));
  assert.equal(custom.key, `sk-custom-${run}`);
  assert.equal(custom.token, sha256(`sk-custom-${run}`));
});

test('bad input: 400 naming the field; SQL-looking strings are stored as data; huge metadata refused', async () => {
  await refused(bus.request(KeyGenerate, mreq(MASTER, { max_budget: 'ten' })), 400, /max_budget/, 'max_budget');
  await refused(bus.request(KeyGenerate, mreq(MASTER, { max_budget: -1 })), 400, /max_budget cannot be negative. Received: -1/, 'max_budget');
  await refused(bus.request(KeyGenerate, mreq(MASTER, { models: 'gpt-4o' })), 400, /models/, 'models');
  await refused(bus.request(KeyGenerate, mreq(MASTER, { tpm_limit: 1.5 })), 400, /tpm_limit/, 'tpm_limit');
  await refused(bus.request(KeyGenerate, mreq(MASTER, { duration: '30 days' })), 400, /duration/, 'duration');
  await refused(bus.request(KeyGenerate, mreq(MASTER, { metadata: { blob: 'x'.repeat(70_000) } })), 400, /metadata is too large/, 'metadata');
  await refused(bus.request(UserNew, mreq(MASTER, { user_role: 'god' })), 400, /user_role/, 'user_role');
  await refused(bus.request(TeamMemberAdd, mreq(MASTER, { team_id: A, member: { user_id: 'x', role: 'owner' } })), 400, /role/);
  const evil = `x'); DROP TABLE keys; --${run}`;
  const r = await bus.request(KeyGenerate, mreq(MASTER, { key_alias: evil }));
  const info = await bus.request(KeyInfo, mreq(MASTER, {}, { key: r.key }));
  assert.equal(info.info.key_alias, evil);
  const count = await pg.query(`SELECT count(*)::int AS n FROM "${schema}".keys WHERE key_alias = $1`, [evil]);
  assert.equal(count.rows[0].n, 1);
  // nothing half-written: a refused /user/new left no user behind
  await refused(bus.request(UserNew, mreq(MASTER, { user_id: `eve-${run}`, teams: ['no-such-team'] })), 400, /does not exist/);
  const eve = await pg.query(`SELECT count(*)::int AS n FROM "${schema}".users WHERE user_id = $1`, [`eve-${run}`]);
  assert.equal(eve.rows[0].n, 0);
});

test('KeyAuthResolve returns the key with its user, team, membership and team models', async () => {
  const k = await bus.request(KeyGenerate, mreq(MASTER, { user_id: `bob-${run}`, team_id: A, models: ['gpt-4o'], tpm_limit: 10, tags: ['x'] }));
  await bus.request(TeamMemberUpdate, mreq(MASTER, { team_id: A, user_id: `bob-${run}`, max_budget_in_team: 7 }));
  await bus.request(ModelNew, mreq(as(aliceKey), { model_name: 'team-a-model', litellm_params: { model: 'openai/gpt-4o', api_key: 'sk-upstream-secret' }, model_info: { team_id: A } }));
  const r = await bus.request(KeyAuthResolve, { keyHash: k.token });
  assert.ok(r);
  assert.equal(r.token, k.token);
  assert.equal(r.key_name, `sk-...${k.key.slice(-4)}`);
  assert.equal(r.user_id, `bob-${run}`);
  assert.equal(r.team_id, A);
  assert.equal(r.blocked, false);
  assert.deepEqual(r.models, ['gpt-4o']);
  assert.equal(r.tpm_limit, 10);
  assert.deepEqual(r.tags, ['x']);
  assert.equal(r.user?.user_role, 'internal_user');
  assert.equal(r.team?.team_alias, 'Team A');
  assert.equal(r.team?.max_budget, 100);
  assert.deepEqual(r.team?.guardrails, ['pii-mask']);
  assert.equal(r.team?.permissions.modify_guardrails, true);
  assert.deepEqual(r.team_member, { user_id: `bob-${run}`, role: 'user', max_budget: 7, spend: 0, tpm_limit: null, rpm_limit: null });
  assert.equal(r.team_models.length, 1);
  assert.equal(r.team_models[0].model_name, 'team-a-model');
  assert.equal(r.team_models[0].litellm_params.model, 'openai/gpt-4o');
  assert.equal(r.team_models[0].litellm_params.api_key, 'sk-upstream-secret');
  assert.equal(r.team_models[0].model_info.team_id, A);
  assert.ok(r.team?.models.includes('team-a-model'));
  assert.equal(await bus.request(KeyAuthResolve, { keyHash: sha256('sk-nope') }), null);
  const info = await bus.request(ModelInfo, mreq(as(bobKey)));
  assert.equal(info.data.length, 1);
  assert.equal(info.data[0].litellm_params.api_key, undefined, '/model/info must not show provider keys');
  assert.equal((await bus.request(ModelInfo, mreq(as(carolKey)))).data.length, 0);
});

test('KeysChanged is broadcast after update, block, unblock, regenerate and delete; deleted keys are archived', async () => {
  const k = await bus.request(KeyGenerate, mreq(MASTER, { user_id: `carol-${run}` }));
  await bus.request(KeyUpdate, mreq(MASTER, { key: k.key, max_budget: 3, metadata: { a: 1 } }));
  await changed((c) => c.keyHashes?.includes(k.token) === true);
  const upd = await bus.request(KeyAuthResolve, { keyHash: k.token });
  assert.equal(upd?.max_budget, 3);

  changes.length = 0;
  const blocked = await bus.request(KeyBlock, mreq(MASTER, { key: k.token }));
  assert.equal(blocked.blocked, true);
  await changed((c) => c.keyHashes?.includes(k.token) === true);
  assert.equal((await bus.request(KeyAuthResolve, { keyHash: k.token }))?.blocked, true);
  await refused(bus.request(KeyInfo, mreq(as(k.key))), 401, /blocked/);
  changes.length = 0;
  await bus.request(KeyUnblock, mreq(MASTER, { key: k.key }));
  await changed((c) => c.keyHashes?.includes(k.token) === true);

  changes.length = 0;
  const regen = await bus.request(KeyRegenerate, mreq(MASTER, {}, {}, { key: k.key }));
  assert.notEqual(regen.key, k.key);
  assert.equal(regen.token, sha256(regen.key));
  await changed((c) => c.keyHashes?.includes(k.token) === true);
  assert.equal(await bus.request(KeyAuthResolve, { keyHash: k.token }), null);
  assert.equal((await bus.request(KeyAuthResolve, { keyHash: regen.token }))?.max_budget, 3);

  changes.length = 0;
  const del = await bus.request(KeyDelete, mreq(MASTER, { keys: [regen.key] }));
  assert.deepEqual(del.deleted_keys, [regen.key]);
  await changed((c) => c.keyHashes?.includes(regen.token) === true);
  assert.equal(await bus.request(KeyAuthResolve, { keyHash: regen.token }), null);
  const audit = await pg.query(`SELECT token, reason, row FROM "${schema}".deleted_keys WHERE token = ANY($1) ORDER BY id`, [[k.token, regen.token]]);
  assert.deepEqual(audit.rows.map((r: { reason: string }) => r.reason), ['regenerated', 'deleted']);
  assert.ok(!JSON.stringify(audit.rows).includes(regen.key), 'a raw key is in the audit table');
  await refused(bus.request(KeyDelete, mreq(MASTER, { keys: [regen.key] })), 404, /No keys found/);
  await refused(bus.request(KeyDelete, mreq(MASTER, {})), 400, /keys/, 'keys');

  changes.length = 0;
  await bus.request(TeamBlock, mreq(MASTER, { team_id: B }));
  await changed((c) => c.teamIds?.includes(B) === true);
  changes.length = 0;
  await bus.request(TeamMemberAdd, mreq(MASTER, { team_id: B, member: { user_id: `carol-${run}`, role: 'user' } }));
  await changed((c) => c.teamIds?.includes(B) === true && c.userIds?.includes(`carol-${run}`) === true);
});

test('team admin: may manage keys, members and models of their own team', async () => {
  const alice = as(aliceKey);
  const k = await bus.request(KeyGenerate, mreq(alice, { team_id: A, user_id: `bob-${run}`, models: ['gpt-4o-mini'], max_budget: 50 }));
  assert.equal(k.team_id, A);
  await bus.request(KeyUpdate, mreq(alice, { key: k.token, max_budget: 60, key_alias: `bob-key-${run}` }));
  const list = await bus.request(KeyList, mreq(alice, {}, { team_id: A }));
  assert.ok((list.keys as string[]).includes(k.token));
  await bus.request(TeamMemberAdd, mreq(alice, { team_id: A, member: { user_email: `frank-${run}@example.test`, role: 'user' } }));
  const info = await bus.request(TeamInfo, mreq(alice, {}, { team_id: A }));
  const frank = info.team_info.members_with_roles.find((m) => m.user_email === `frank-${run}@example.test`);
  assert.ok(frank);
  await bus.request(TeamMemberUpdate, mreq(alice, { team_id: A, user_id: frank.user_id, max_budget_in_team: 20 }));
  await bus.request(TeamMemberDelete, mreq(alice, { team_id: A, user_id: frank.user_id }));
  await bus.request(TeamUpdate, mreq(alice, { team_id: A, team_alias: 'Team A renamed', max_budget: 90 }));
  const m = await bus.request(ModelNew, mreq(alice, { model_name: 'team-a-second', litellm_params: { model: 'openai/gpt-4o-mini' }, model_info: { team_id: A } }));
  await bus.request(ModelDelete, mreq(alice, { id: m.model_id }));
  await bus.request(KeyDelete, mreq(alice, { keys: [k.key] }));
});

test('team admin: every overreach is refused with 403', async () => {
  const alice = as(aliceKey);
  const deny = (p: Promise<unknown>, re?: RegExp) => refused(p, 403, re);
  await deny(bus.request(KeyGenerate, mreq(alice, { team_id: B })), /not assigned to team/);
  await deny(bus.request(KeyGenerate, mreq(alice, { team_id: A, models: ['gpt-5'] })), /cannot use models \[gpt-5\]/);
  await deny(bus.request(KeyGenerate, mreq(alice, { team_id: A, max_budget: 1000 })), /max_budget=1000 is higher than team/);
  await deny(bus.request(KeyGenerate, mreq(alice, { team_id: A, tpm_limit: 5000 })), /tpm_limit/);
  await deny(bus.request(KeyGenerate, mreq(alice, { team_id: A, user_id: `carol-${run}` })), /not a member of the team/);
  await deny(bus.request(KeyGenerate, mreq(alice, { team_id: A, budget_id: 'big-tier' })), /budget tier/);
  await deny(bus.request(TeamUpdate, mreq(alice, { team_id: A, max_budget: 10_000 })), /cannot raise their team's max_budget/);
  await deny(bus.request(TeamUpdate, mreq(alice, { team_id: A, tpm_limit: null })), /tpm_limit/);
  await deny(bus.request(TeamUpdate, mreq(alice, { team_id: A, models: ['gpt-4o', 'gpt-5'] })), /cannot add models/);
  await deny(bus.request(TeamUpdate, mreq(alice, { team_id: A, guardrails: [] })), /guardrails/);
  await deny(bus.request(TeamUpdate, mreq(alice, { team_id: B, team_alias: 'mine now' })), /not proxy admin OR team admin/);
  await deny(bus.request(TeamUnblock, mreq(alice, { team_id: B })), /Only proxy admin/);
  await deny(bus.request(TeamDelete, mreq(alice, { team_ids: [A] })), /Only proxy admin/);
  await deny(bus.request(TeamNew, mreq(alice, { team_alias: 'new' })), /Only proxy admin/);
  await deny(bus.request(TeamMemberAdd, mreq(alice, { team_id: B, member: { user_id: `alice-${run}`, role: 'admin' } })), /not proxy admin OR team admin/);
  await deny(bus.request(TeamMemberAdd, mreq(alice, { team_id: A, member: { user_id: `x-${run}`, role: 'user' }, max_budget_in_team: 500 })), /more than the team has/);
  await deny(bus.request(TeamMemberUpdate, mreq(alice, { team_id: A, user_id: `bob-${run}`, max_budget_in_team: 500 })), /more than the team has/);
  await deny(bus.request(UserUpdate, mreq(alice, { user_id: `bob-${run}`, user_role: 'proxy_admin' })), /Only proxy admins can modify user roles/);
  await deny(bus.request(UserUpdate, mreq(alice, { user_id: `alice-${run}`, user_role: 'proxy_admin' })), /Only proxy admins can modify user roles/);
  await deny(bus.request(UserNew, mreq(alice, { user_id: `mallory-${run}`, user_role: 'proxy_admin' })), /Only proxy admin/);
  await deny(bus.request(ModelNew, mreq(alice, { model_name: 'm', litellm_params: { model: 'openai/x' }, model_info: { team_id: B } })), /not the admin for this team/);
  const bKey = await bus.request(KeyGenerate, mreq(MASTER, { team_id: B }));
  await deny(bus.request(KeyUpdate, mreq(alice, { key: bKey.key, max_budget: 1 })), /not authorized to update/);
  await deny(bus.request(KeyDelete, mreq(alice, { keys: [bKey.key] })), /not authorized to delete/);
  await deny(bus.request(KeyBlock, mreq(alice, { key: bKey.key })), /Only proxy admins and admins of the key's team/);
  await deny(bus.request(KeyList, mreq(alice, {}, { team_id: B })), /not authorized/);
  await deny(bus.request(TeamInfo, mreq(alice, {}, { team_id: B })), /not authorized to access this team/);
});

test('plain members and internal users: own keys only; viewers read only; keys without a user manage nothing', async () => {
  const bob = as(bobKey);
  const carol = as(carolKey);
  await refused(bus.request(KeyGenerate, mreq(bob, { team_id: A })), 403, /only team admins can/);
  await refused(bus.request(TeamMemberAdd, mreq(bob, { team_id: A, member: { user_id: `y-${run}`, role: 'admin' } })), 403, /not proxy admin OR team admin/);
  const own = await bus.request(KeyGenerate, mreq(carol, { models: ['gpt-4o-mini'], max_budget: 1 }));
  assert.equal(own.user_id, `carol-${run}`);
  await refused(bus.request(KeyGenerate, mreq(carol, { user_id: `bob-${run}` })), 403, /User can only create keys for themselves/);
  await refused(bus.request(KeyGenerate, mreq(carol, { models: ['gpt-4o'] })), 403, /user not allowed to access model/);
  await refused(bus.request(KeyGenerate, mreq(carol, { max_budget: 50 })), 403, /higher than user/);
  await bus.request(KeyUpdate, mreq(carol, { key: own.key, key_alias: `carol-own-${run}` }));
  await bus.request(KeyDelete, mreq(carol, { keys: [own.token] }));
  await refused(bus.request(KeyDelete, mreq(carol, { keys: [bobKey] })), 403, /not authorized to delete/);
  await refused(bus.request(UserInfo, mreq(carol, {}, { user_id: `bob-${run}` })), 403, /not allowed to access this user's info/);
  const mine = await bus.request(UserInfo, mreq(carol));
  assert.equal(mine.user_id, `carol-${run}`);
  await refused(bus.request(UserUpdate, mreq(carol, { user_id: `carol-${run}`, max_budget: 1000 })), 403, /Only proxy admins can change a user's max_budget/);
  await refused(bus.request(UserUpdate, mreq(carol, { user_id: `bob-${run}`, user_alias: 'b' })), 403, /Only PROXY_ADMIN can update other users/);
  await refused(bus.request(UserList, mreq(carol)), 403, /Only proxy admins and organization admins can list users/);
  const list = await bus.request(KeyList, mreq(carol, {}, { return_full_object: 'true' }));
  assert.ok(list.total_count >= 1);
  await refused(bus.request(KeyList, mreq(carol, {}, { user_id: `bob-${run}` })), 403, /another user's keys/);

  const viewer = (await bus.request(UserNew, mreq(MASTER, { user_id: `viewer-${run}`, user_role: 'proxy_admin_viewer' }))).key;
  const users = await bus.request(UserList, mreq(as(viewer), {}, { page_size: '100' }));
  assert.ok(users.users.some((u) => u.user_id === `alice-${run}`));
  await bus.request(KeyInfo, mreq(as(viewer), {}, { key: bobKey }));
  await refused(bus.request(KeyGenerate, mreq(as(viewer), {})), 403, /read-only role/);
  await refused(bus.request(TeamUpdate, mreq(as(viewer), { team_id: A, team_alias: 'v' })), 403, /read-only/);

  await refused(bus.request(KeyGenerate, mreq(as(orphanKey), {})), 403, /only proxy admins, team admins and internal users/i);
  await refused(bus.request(UserList, mreq(as(orphanKey))), 403, /belongs to no user/);
  const self = await bus.request(KeyInfo, mreq(as(orphanKey)));
  assert.equal(self.key, sha256(orphanKey));
  await refused(bus.request(KeyInfo, mreq({ keyHash: sha256('sk-unknown'), isMaster: false })), 401, /Invalid proxy server token/);
});

test('deleting a team deletes its keys (archived) and its models; health answers over NATS and HTTP', async () => {
  const t = `team-gone-${run}`;
  await bus.request(TeamNew, mreq(MASTER, { team_id: t }));
  const k = await bus.request(KeyGenerate, mreq(MASTER, { team_id: t }));
  changes.length = 0;
  const r = await bus.request(TeamDelete, mreq(MASTER, { team_ids: [t] }));
  assert.equal(r.deleted_teams[0].team_id, t);
  await changed((c) => c.teamIds?.includes(t) === true && c.keyHashes?.includes(k.token) === true);
  const audit = await pg.query(`SELECT reason FROM "${schema}".deleted_keys WHERE token = $1`, [k.token]);
  assert.deepEqual(audit.rows, [{ reason: 'team_deleted' }]);
  await refused(bus.request(TeamDelete, mreq(MASTER, { team_ids: [t] })), 404, /Team not found/);

  const h = await bus.request(HealthChecks.keys, {});
  assert.deepEqual(h, { service: 'keys', ready: true, checks: { nats: true, postgres: true } });
  const port = service!.healthPort!;
  const live = await fetch(`http://127.0.0.1:${port}/health/live`);
  assert.equal(live.status, 200);
  const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
  assert.equal(ready.status, 200);
  assert.equal(((await ready.json()) as { ready: boolean }).ready, true);
});

test('every HTTP route in KEYS_HTTP_ROUTES has a responder', async () => {
  for (const route of KEYS_HTTP_ROUTES) {
    // an anonymous key makes every handler answer quickly with an auth error, never "no responders"
    const e = await refused(bus.request(route.rpc, mreq({ keyHash: sha256(`sk-none-${run}`), isMaster: false })), 401);
    assert.doesNotMatch(e.message, /unavailable/, `${route.method} ${route.path}`);
  }
});
