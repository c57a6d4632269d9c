/**
 * Two replicas of every service side by side (`TOLLGATE_REPLICAS`), sharing work through NATS
 * queue groups and durable consumers: every request is served, every usage event becomes exactly
 * one spend log row and is charged exactly once, and both logging replicas took events.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BudgetSpendGet } from '@tollgate/contracts';
import { Bus, connectNats } from '@tollgate/messaging/client';
import { readEnv } from '@tollgate/config';
import { MockUpstream, REPO_ROOT, RunningSystem, startMockUpstream, startSystem, testNamespace, writeTempConfig } from '@tollgate/testing';
import { CallResult, chat, spendLogCounts } from './load';
import { deleteStreams, dropDatabase, eventually } from './support';

const MASTER = 'sk-e2e-replicas-master-0123456789';
const REQUESTS = 200;
const CONCURRENCY = 8;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const SERVICES = ['gateway', 'keys', 'budget', 'guardrails', 'logging', 'jobs'].filter((s) => existsSync(join(REPO_ROOT, 'services', s, 'dist', 'src', 'main.js')));

let up: MockUpstream;
let sys: RunningSystem;
const ns = testNamespace('replicas');
const db = `tollgate_${ns}`;

before(async () => {
  up = await startMockUpstream({ apiKey: 'sk-up' });
  const config = `model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_base: ${up.url}/v1
      api_key: sk-up
general_settings:
  master_key: ${MASTER}
`;
  sys = await startSystem({
    namespace: ns,
    env: {
      TOLLGATE_CONFIG: writeTempConfig(config),
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`,
      TOLLGATE_REPLICAS: SERVICES.map((s) => `${s}=2`).join(','),
    },
  });
});

after(async () => {
  await sys?.stop();
  await up?.close();
  await deleteStreams(ns).catch(() => undefined);
  await dropDatabase(db).catch(() => undefined);
});

async function spendOfKey(hash: string): Promise<number> {
  const nc = await connectNats(readEnv({ ...process.env, TOLLGATE_NAMESPACE: ns }), 'replicas-test');
  try {
    const [total] = await new Bus(nc, ns).request(BudgetSpendGet, { entities: [{ type: 'key', id: hash }] });
    return total?.spend ?? 0;
  } finally {
    await nc.close();
  }
}

async function consumedBy(healthPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('tollgate_logging_events_consumed_total'));
  return line ? Number(line.trim().split(/\s+/).pop()) : 0;
}

describe('two replicas of every service', () => {
  test('the launcher ran two processes of each service, each gateway on its own port', () => {
    const procs = sys.processes();
    for (const s of SERVICES) assert.equal(procs.filter((p) => p.service === s).length, 2, `${s}: ${sys.output()}`);
    assert.equal(sys.gatewayUrls.length, 2);
    const [a, b] = sys.gatewayUrls.map((u) => Number(new URL(u).port));
    assert.equal(b, a + 1, 'gateways listen on consecutive ports');
  });

  test('every request is served, logged once and charged once; both logging replicas consumed', async () => {
    const gen = await fetch(`${sys.gatewayUrls[0]}/key/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` },
      body: JSON.stringify({ key_alias: 'replicas' }),
    });
    assert.equal(gen.status, 200, await gen.clone().text());
    const key = ((await gen.json()) as { key: string }).key;
    const hash = sha256(key);

    const results: CallResult[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < REQUESTS; i = next++) {
          // alternate between the two gateways; the key is resolved by whichever keys replica NATS picks
          results.push(await chat([sys.gatewayUrls[i % 2]], key, `replicas-${ns}-${i}`, { model: 'gpt-4o', messages: [{ role: 'user', content: `request ${i}` }], mock_response: `answer ${i}` }));
        }
      }),
    );
    assert.deepEqual(results.filter((r) => r.status !== 200), [], 'every request answered 200');
    assert.equal(results.length, REQUESTS);
    for (const g of sys.gatewayUrls) assert.equal(results.filter((r) => r.url === g).length, REQUESTS / 2);

    const counts = await eventually(
      async () => {
        const c = await spendLogCounts(sys.gatewayUrls[1], MASTER, hash);
        return c.size >= REQUESTS ? c : undefined;
      },
      20_000,
      `${REQUESTS} spend log rows`,
    );
    assert.equal(counts.size, REQUESTS);
    assert.deepEqual([...counts].filter(([, n]) => n !== 1), [], 'each call id exactly once');
    for (const r of results) assert.ok(counts.has(r.callId), r.callId);

    // charged once per request: the budget service's total is the sum of the reported costs
    const expected = results.reduce((s, r) => s + r.cost, 0);
    assert.ok(expected > 0);
    const near = (v: number) => Math.abs(v - expected) <= expected * 1e-9;
    await eventually(async () => (near(await spendOfKey(hash)) ? true : undefined), 20_000, `key spend ${expected}`);
    // and stays there (a redelivered event applied twice would show up now)
    await new Promise((r) => setTimeout(r, 1500));
    const spend = await spendOfKey(hash);
    assert.ok(near(spend), `spend ${spend}, expected ${expected}`);

    const loggers = sys.processes().filter((p) => p.service === 'logging');
    const consumed = await Promise.all(loggers.map((p) => consumedBy(p.healthPort ?? 0)));
    assert.ok(consumed.every((n) => n > 0), `both logging replicas consumed usage events: ${consumed.join(', ')}`);
    assert.ok(consumed.reduce((a, b) => a + b, 0) >= REQUESTS, `consumed ${consumed.join(' + ')} of ${REQUESTS}`);
  });

  test('every backend replica reports ready on its own health port, and live', async () => {
    for (const p of sys.processes().filter((x) => x.healthPort)) {
      const ready = await fetch(`http://127.0.0.1:${p.healthPort}/health/ready`);
      assert.equal(ready.status, 200, `${p.name}: ${await ready.text()}`);
      assert.equal((await fetch(`http://127.0.0.1:${p.healthPort}/health/live`)).status, 200, p.name);
    }
  });

  test('a rate limit holds across both gateways: rpm 5 admits exactly 5 of 12 concurrent requests', async () => {
    const gen = await fetch(`${sys.gatewayUrls[0]}/key/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` },
      body: JSON.stringify({ key_alias: 'replicas-rpm', rpm_limit: 5 }),
    });
    const key = ((await gen.json()) as { key: string }).key;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        chat([sys.gatewayUrls[i % 2]], key, `rpm-${ns}-${i}`, { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], mock_response: 'ok' }),
      ),
    );
    const admitted = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 429);
    assert.equal(admitted.length, 5, results.map((r) => `${r.url} ${r.status}`).join(', '));
    assert.equal(limited.length, 7);
    assert.ok(new Set(admitted.map((r) => r.url)).size >= 1);
  });
});
