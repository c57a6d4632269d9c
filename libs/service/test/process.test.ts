import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const FIXTURE = join(__dirname, 'fixtures', 'fake-service.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

function run(args: number[], env: Record<string, string>): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [FIXTURE, ...args.map(String)], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read().catch(() => undefined as T);
    if (v !== undefined && ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('probes answer while start is retried; SIGTERM drains and exits 0', async () => {
  const port = await freePort();
  const p = run([1, 0], { HEALTH_PORT: String(port) });
  const base = `http://127.0.0.1:${port}`;
  const live = await until(() => fetch(`${base}/health/live`), (r) => r.status === 200, 'the probes port');
  assert.deepEqual(await live.json(), { status: 'ok', service: 'keys' });
  const first = await fetch(`${base}/health/ready`);
  if (first.status === 503) assert.deepEqual(await first.json(), { service: 'keys', ready: false, checks: { started: false } });
  const ready = await until(() => fetch(`${base}/health/ready`), (r) => r.status === 200, 'ready after the retry');
  assert.deepEqual(await ready.json(), { service: 'keys', ready: true, checks: { nats: true } });
  assert.equal(await (await fetch(`${base}/extra`)).text(), 'started');
  assert.equal((await fetch(`${base}/nope`)).status, 404);
  assert.equal((await fetch(`${base}/health/live`, { method: 'POST' })).status, 405);
  assert.match(p.output(), /keys service could not start \(a dependency unreachable\?\); retrying/);
  assert.match(p.output(), /"attempt":1,"retry_in_ms":500/);

  p.child.kill('SIGTERM');
  assert.equal(await p.exit, 0, p.output());
  assert.match(p.output(), /"signal":"SIGTERM","grace_ms":25000.*shutdown requested/);
});

test('a drain longer than TOLLGATE_SHUTDOWN_GRACE_MS exits 1', async () => {
  const port = await freePort();
  const p = run([0, 60_000], { HEALTH_PORT: String(port), TOLLGATE_SHUTDOWN_GRACE_MS: '300' });
  await until(() => fetch(`http://127.0.0.1:${port}/health/ready`), (r) => r.status === 200, 'ready');
  p.child.kill('SIGTERM');
  assert.equal(await p.exit, 1, p.output());
  assert.match(p.output(), /shutdown grace period over; exiting/);
});

test('a config that cannot be read exits 1 without opening the probes port', async () => {
  const p = run([0, 0], { TOLLGATE_CONFIG: join(__dirname, 'no-such-config.yaml') });
  assert.equal(await p.exit, 1, p.output());
  assert.match(p.output(), /keys service failed to start/);
});

test('TOLLGATE_MIGRATE_ONLY=1 migrates and exits 0', async () => {
  const p = run([0, 0], { TOLLGATE_MIGRATE_ONLY: '1' });
  assert.equal(await p.exit, 0, p.output());
  assert.match(p.output(), /keys migrations applied \(TOLLGATE_MIGRATE_ONLY\); exiting/);
});

test('a health port already taken exits 1', async () => {
  const srv = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  const port = (srv.address() as { port: number }).port;
  try {
    const p = run([0, 0], { HEALTH_PORT: String(port) });
    assert.equal(await p.exit, 1, p.output());
    assert.match(p.output(), /keys health port could not be opened/);
  } finally {
    srv.close();
  }
});
