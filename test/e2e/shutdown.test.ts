/**
 * SIGTERM to one gateway under load: requests it has taken finish (plain and streamed), it stops
 * taking new connections (clients go to the other gateway), every usage event is published before
 * it exits, and it exits with 0 within its grace period while the rest of the system keeps running.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { MockUpstream, RunningSystem, startMockUpstream, startSystem, testNamespace, writeTempConfig } from '@tollgate/testing';
import { CallResult, chat, spendLogCounts } from './load';
import { deleteStreams, dropDatabase, eventually } from './support';

const MASTER = 'sk-e2e-shutdown-master-0123456789';
const GRACE_MS = 10_000;
const CLIENTS = 8;
const LOAD_MS = 3000;
/** a bound on the number of requests, whatever the machine's speed */
const MAX_PER_CLIENT = 150;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let up: MockUpstream;
let sys: RunningSystem;
const ns = testNamespace('shutdown');
const db = `tollgate_${ns}`;

before(async () => {
  up = await startMockUpstream({ apiKey: 'sk-up' });
  const config = `model_list:
  - model_name: slow-50
    litellm_params:
      model: openai/gpt-4o
      api_base: ${up.url}/v1
      api_key: sk-up
      extra_headers:
        x-mock-delay-ms: "50"
general_settings:
  master_key: ${MASTER}
`;
  sys = await startSystem({
    namespace: ns,
    env: {
      TOLLGATE_CONFIG: writeTempConfig(config),
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`,
      TOLLGATE_REPLICAS: 'gateway=2',
      TOLLGATE_SHUTDOWN_GRACE_MS: String(GRACE_MS),
      // /health/ready answers 503 for this long before the gateway stops listening
      TOLLGATE_SHUTDOWN_DELAY_MS: '1000',
    },
  });
});

after(async () => {
  await sys?.stop();
  await up?.close();
  await deleteStreams(ns).catch(() => undefined);
  await dropDatabase(db).catch(() => undefined);
});

describe('SIGTERM to a gateway under load', () => {
  test('no request fails, every usage event is logged once, the gateway exits 0 within its grace period', async () => {
    assert.equal(sys.gatewayUrls.length, 2);
    const [stopping, surviving] = sys.gatewayUrls;
    const victim = sys.processes().find((p) => p.name === 'gateway#0');
    assert.ok(victim, `the launcher names gateway#0's pid:\n${sys.output()}`);

    const results: CallResult[] = [];
    const loadEnds = Date.now() + LOAD_MS;
    // half the clients start on the gateway that will stop, half on the other; clients 0 and 1 stream
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      const urls = c % 2 === 0 ? [stopping, surviving] : [surviving, stopping];
      let current = urls;
      for (let n = 0; n < MAX_PER_CLIENT && Date.now() < loadEnds; n++) {
        const r = await chat(current, MASTER, `shutdown-${ns}-${c}-${n}`, { model: 'slow-50', messages: [{ role: 'user', content: `client ${c} request ${n}` }], stream: c < 2 });
        results.push(r);
        // once a gateway refused, this client stays on the one that answered
        if (r.refused > 0) current = [r.url];
      }
    });

    await new Promise((r) => setTimeout(r, 1000));
    const sigtermAt = Date.now();
    process.kill(victim.pid, 'SIGTERM');
    // the signal is handled asynchronously: poll (well within the not-ready delay) until it shows
    let draining = await fetch(`${stopping}/health/ready`);
    for (let i = 0; i < 25 && draining.status === 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
      draining = await fetch(`${stopping}/health/ready`);
    }
    assert.equal(draining.status, 503, 'a draining gateway leaves the load balancer rotation first');
    assert.equal(((await draining.json()) as { status: string }).status, 'draining');
    const liveWhileDraining = await fetch(`${stopping}/health/liveliness`);
    assert.equal(liveWhileDraining.status, 200);

    const exitLine = `gateway#0 exited (0) after draining`;
    await eventually(async () => (sys.output().includes(exitLine) ? true : undefined), GRACE_MS + 5000, 'the stopped gateway to exit with 0');
    const exitedAfterMs = Date.now() - sigtermAt;
    assert.ok(exitedAfterMs < GRACE_MS, `exited after ${exitedAfterMs} ms, grace ${GRACE_MS} ms`);
    assert.throws(() => process.kill(victim.pid, 0), /ESRCH/, 'the gateway process is gone');
    await Promise.all(clients);

    const failed = results.filter((r) => r.error);
    assert.deepEqual(failed, [], 'no request failed');
    const onStopping = results.filter((r) => r.url === stopping);
    const inFlightAtSigterm = onStopping.filter((r) => r.startedAt < sigtermAt && r.endedAt > sigtermAt);
    assert.ok(inFlightAtSigterm.length > 0, 'some requests were in flight on the stopped gateway when it got SIGTERM');
    assert.ok(results.some((r) => r.refused > 0 && r.url === surviving), 'new connections went to the other gateway');
    assert.ok(results.filter((r) => r.startedAt > sigtermAt + 2000).every((r) => r.url === surviving));

    // every request's usage event became exactly one spend log row: nothing lost in the stopped gateway's buffer
    const ids = new Set(results.map((r) => r.callId));
    const counts = await eventually(
      async () => {
        const c = await spendLogCounts(surviving, MASTER, sha256(MASTER));
        return [...ids].every((id) => c.has(id)) ? c : undefined;
      },
      20_000,
      `a spend log row for each of ${ids.size} requests`,
    );
    const twice = [...counts].filter(([, n]) => n !== 1);
    assert.deepEqual(twice, [], 'each call id exactly once');
    assert.equal(counts.size, ids.size, 'no spend log row for a request that was not made');

    // the rest of the system kept running: the surviving gateway still serves
    const after = await chat([surviving], MASTER, `shutdown-${ns}-after`, { model: 'slow-50', messages: [{ role: 'user', content: 'still here' }] });
    assert.equal(after.status, 200, after.error);
  });
});
