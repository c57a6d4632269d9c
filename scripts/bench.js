#!/usr/bin/env node
// `npm run bench`: the gateway against calling the mock upstream directly, as ratios.
// Starts a lean mock upstream, the logging service and the gateway (master key, usage events and
// spend logs on), then drives load with wrk (autocannon where wrk is missing; it takes a good share
// of a core itself) at concurrency 1, 32 and 128, streaming and not. All traffic stays on 127.0.0.1;
// every run is bounded in time. Prints a table and writes bench-results/bench.json.
// Env: BENCH_SECONDS (default 5), BENCH_CONCURRENCY (default "1,32,128").
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { mkdirSync, writeFileSync, readFileSync, mkdtempSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { tmpdir } = require('node:os');
const http = require('node:http');
const net = require('node:net');

const root = resolve(__dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS || 5);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY || '1,32,128').split(',').map(Number);
const MASTER = 'sk-bench-master-key';
const procs = [];

function freePort() {
  return new Promise((res) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitHttp(url, ms = 60000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise((res) => {
      http.get(url, (r) => { r.resume(); res(r.statusCode === 200); }).on('error', () => res(false));
    });
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`${url} did not answer 200`);
}

function start(name, args, env) {
  const p = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  procs.push(p);
  p.on('exit', (code) => { if (!stopping) console.error(`${name} exited (${code})`); });
  return p;
}

const hasWrk = spawnSync('sh', ['-c', 'command -v wrk']).status === 0;

function wrkScript(body, key) {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-bench-'));
  const path = join(dir, 'post.lua');
  writeFileSync(path, `wrk.method = "POST"\nwrk.body = [[${body}]]\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer ${key}"\n`);
  return path;
}

function parseWrk(out) {
  const rps = Number((/Requests\/sec:\s+([\d.]+)/.exec(out) || [])[1] || 0);
  const pct = (p) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!m) return NaN;
    const v = Number(m[1]);
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
  };
  const non2xx = Number((/Non-2xx or 3xx responses:\s+(\d+)/.exec(out) || [])[1] || 0);
  const errors = /Socket errors:.*/.exec(out);
  return { rps, p50: pct(50), p99: pct(99), non2xx, socketErrors: errors ? errors[0] : null };
}

async function load(url, body, conc, key = MASTER) {
  if (hasWrk) {
    const threads = Math.min(conc, 2);
    const r = spawnSync('wrk', ['-t', String(threads), '-c', String(conc), '-d', `${SECONDS}s`, '--latency', '-s', wrkScript(body, key), url], { encoding: 'utf8', timeout: (SECONDS + 30) * 1000 });
    return parseWrk(r.stdout || '');
  }
  const autocannon = require('autocannon');
  const res = await autocannon({ url, method: 'POST', body, connections: conc, duration: SECONDS, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } });
  return { rps: res.requests.average, p50: res.latency.p50, p99: res.latency.p99, non2xx: res.non2xx, socketErrors: res.errors ? String(res.errors) : null };
}

/** time to first byte of a streamed answer, sequential requests */
async function ttfb(url, body, n = 300) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const u = new URL(url);
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await new Promise((res, rej) => {
      const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` } }, (r) => {
        let first = true;
        r.on('data', () => { if (first) { first = false; times.push(Number(process.hrtime.bigint() - t0) / 1e6); } });
        r.on('end', res);
      });
      req.on('error', rej);
      req.end(body);
    });
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)], p99: times[Math.floor(times.length * 0.99)] };
}

function peakRss(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** a virtual key on a rate-limit tier with rpm / tpm limits and a budget, so admission does real work */
async function generateKey(gateway) {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` };
  const tier = `bench-tier-${process.pid}-${Date.now()}`;
  const t = await fetch(`${gateway}/budget/new`, { method: 'POST', headers, body: JSON.stringify({ budget_id: tier, rpm_limit: 100000000, tpm_limit: 10000000000, max_budget: 1000000 }) });
  if (t.status !== 200) throw new Error(`cannot create a tier: ${await t.text()}`);
  const res = await fetch(`${gateway}/key/generate`, { method: 'POST', headers, body: JSON.stringify({ key_alias: `bench-${process.pid}-${Date.now()}`, models: ['gpt-4o-mini'], budget_id: tier, max_budget: 1000000 }) });
  const json = await res.json();
  if (!json.key) throw new Error(`cannot create a virtual key: ${JSON.stringify(json)}`);
  return json.key;
}

let stopping = false;
async function stopAll() {
  stopping = true;
  for (const p of procs.reverse()) if (p.exitCode === null) p.kill('SIGTERM');
  await sleep(1500);
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  // the run's JetStream streams are not kept
  try {
    const { connect } = require('nats');
    const nc = await connect({ servers: process.env.NATS_URL || 'nats://127.0.0.1:4222' });
    const jsm = await nc.jetstreamManager();
    for await (const st of jsm.streams.list()) if (st.config.name.startsWith(`bench_${process.pid}_`)) await jsm.streams.delete(st.config.name);
    await nc.close();
  } catch {
    /* best effort */
  }
}

async function main() {
  const upstreamPort = await freePort();
  start('mock upstream', [join(__dirname, 'bench-upstream.js'), String(upstreamPort)], {});
  const upstream = `http://127.0.0.1:${upstreamPort}`;
  const cfgDir = mkdtempSync(join(tmpdir(), 'tollgate-bench-cfg-'));
  const cfg = join(cfgDir, 'config.yaml');
  writeFileSync(
    cfg,
    `model_list:\n  - model_name: gpt-4o-mini\n    litellm_params:\n      model: openai/gpt-4o-mini\n      api_base: ${upstream}/v1\n      api_key: sk-upstream-fake\n` +
      `guardrails:\n  - guardrail_name: pii\n    litellm_params:\n      guardrail: presidio\n      mode: pre_call\n      pii_entities_config:\n        EMAIL_ADDRESS: MASK\n        PHONE_NUMBER: MASK\n` +
      `general_settings:\n  master_key: ${MASTER}\n`,
  );
  const gwPort = await freePort();
  const ns = `bench_${process.pid}`;
  const env = { TOLLGATE_SERVICES: 'logging,keys,budget,guardrails', TOLLGATE_CONFIG: cfg, TOLLGATE_NAMESPACE: ns, PORT: String(gwPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/tollgate_bench' };
  for (const svc of ['logging', 'keys', 'budget', 'guardrails']) start(svc, [join(root, `services/${svc}/dist/src/main.js`)], { ...env, TOLLGATE_SERVICE: svc, HEALTH_PORT: String(await freePort()) });
  const gw = start('gateway', [join(root, 'services/gateway/dist/src/main.js')], { ...env, TOLLGATE_SERVICE: 'gateway' });
  const gateway = `http://127.0.0.1:${gwPort}`;
  await waitHttp(`${gateway}/health/readiness`);
  const path = '/v1/chat/completions';
  const body = (stream, extra = {}) => JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello in one short sentence. My email is jane@example.com.' }], ...(stream ? { stream: true } : {}), ...extra });
  const virtualKey = await generateKey(gateway);
  // warm up both paths (JIT, connection pools)
  await load(`${gateway}${path}`, body(false), 32);
  const rows = [];
  for (const stream of [false, true]) {
    for (const c of CONCURRENCY) {
      const direct = await load(`${upstream}${path}`, body(stream), c);
      const through = await load(`${gateway}${path}`, body(stream), c);
      rows.push({ case: 'master key', stream, concurrency: c, direct, gateway: through, ratio: through.rps / direct.rps, addedP50ms: through.p50 - direct.p50 });
    }
  }
  const extraCases = [
    { case: 'virtual key', concurrency: 32, key: virtualKey, body: body(false) },
    { case: 'virtual key', concurrency: 1, key: virtualKey, body: body(false) },
    { case: 'master key', concurrency: 1, key: MASTER, body: body(false) },
    { case: 'PII guardrail', concurrency: 1, key: MASTER, body: body(false, { guardrails: ['pii'] }) },
  ];
  for (const x of extraCases) {
    const direct = await load(`${upstream}${path}`, body(false), x.concurrency);
    const through = await load(`${gateway}${path}`, x.body, x.concurrency, x.key);
    rows.push({ case: x.case, stream: false, concurrency: x.concurrency, direct, gateway: through, ratio: through.rps / direct.rps, addedP50ms: through.p50 - direct.p50 });
  }
  const t = { direct: await ttfb(`${upstream}${path}`, body(true)), gateway: await ttfb(`${gateway}${path}`, body(true)) };
  const rss = peakRss(gw.pid);
  await sleep(1500);
  const spend = await new Promise((res) => {
    http.get(`${gateway}/spend/logs?limit=1`, { headers: { authorization: `Bearer ${MASTER}` } }, (r) => { let s = ''; r.on('data', (d) => (s += d)); r.on('end', () => res(`${r.statusCode} ${s.slice(0, 120)}`)); }).on('error', (e) => res(e.message));
  });
  const out = {
    tool: hasWrk ? 'wrk' : 'autocannon',
    seconds: SECONDS,
    rows,
    streamTtfbMs: { direct: t.direct, gateway: t.gateway, addedP50: t.gateway.p50 - t.direct.p50 },
    gatewayPeakRssMb: rss,
    spendLogSample: spend,
  };
  console.log(`\nTollgate bench (${out.tool}, ${SECONDS}s per run, 127.0.0.1)`);
  console.log('case          stream conc | direct req/s  p50ms  p99ms | gateway req/s  p50ms  p99ms | ratio  added p50 ms | non-2xx');
  for (const r of rows) {
    console.log(`${r.case.padEnd(13)} ${String(r.stream).padEnd(6)} ${String(r.concurrency).padStart(4)} | ${r.direct.rps.toFixed(0).padStart(12)} ${r.direct.p50.toFixed(2).padStart(6)} ${r.direct.p99.toFixed(2).padStart(6)} | ${r.gateway.rps.toFixed(0).padStart(13)} ${r.gateway.p50.toFixed(2).padStart(6)} ${r.gateway.p99.toFixed(2).padStart(6)} | ${r.ratio.toFixed(2).padStart(5)} ${r.addedP50ms.toFixed(2).padStart(12)} | ${r.gateway.non2xx}`);
  }
  console.log(`stream TTFB p50: direct ${t.direct.p50.toFixed(3)} ms, gateway ${t.gateway.p50.toFixed(3)} ms (added ${out.streamTtfbMs.addedP50.toFixed(3)} ms)`);
  console.log(`gateway peak RSS: ${rss.toFixed(1)} MB`);
  console.log(`spend logs: ${spend}`);
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results', 'bench.json'), JSON.stringify(out, null, 2));
}

main()
  .catch((e) => {
    console.error(`bench failed: ${e.message}`);
    process.exitCode = 1;
  })
  .finally(stopAll);
