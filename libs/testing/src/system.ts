import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root, found from this file (libs/testing/dist/src/system.js). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

export function testNamespace(prefix: string): string {
  return `t_${prefix}_${randomBytes(4).toString('hex')}`;
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

export function writeTempConfig(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-cfg-'));
  const path = join(dir, 'config.yaml');
  writeFileSync(path, yaml);
  return path;
}

/** One service process of a running system, from the launcher's `started <service>#<i> pid=…` line. */
export interface SystemProcess {
  /** e.g. `gateway#1` */
  name: string;
  service: string;
  index: number;
  pid: number;
  /** the gateway's HTTP port */
  port?: number;
  /** a backend service's health (and, for logging, metrics) port */
  healthPort?: number;
}

export interface RunningSystem {
  url: string;
  /** every gateway replica's base URL, in replica order (`url` is the first) */
  gatewayUrls: string[];
  namespace: string;
  output: () => string;
  /** the service processes the launcher started */
  processes(): SystemProcess[];
  stop(): Promise<number | null>;
}

const STARTED_LINE = /\[tollgate\] started (\w+)#(\d+) pid=(\d+) (port|health)=(\d+)/g;

export function parseStartedLines(out: string): SystemProcess[] {
  const list: SystemProcess[] = [];
  for (const m of out.matchAll(STARTED_LINE)) {
    const [, service, index, pid, kind, port] = m;
    list.push({ name: `${service}#${index}`, service, index: Number(index), pid: Number(pid), ...(kind === 'port' ? { port: Number(port) } : { healthPort: Number(port) }) });
  }
  return list;
}

/**
 * Starts the whole system exactly as `npm start` does (scripts/start.js on the built services) in
 * its own namespace and database, and waits until the gateway reports ready.
 */
export async function startSystem(opts: { env?: Record<string, string>; namespace?: string; readyTimeoutMs?: number } = {}): Promise<RunningSystem> {
  const port = await freePort();
  const namespace = opts.namespace ?? testNamespace('e2e');
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    TOLLGATE_NAMESPACE: namespace,
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/tollgate_test`,
    LOG_LEVEL: 'warn',
    ...opts.env,
  };
  // its own process group: a SIGKILL to the group takes the service processes with the launcher,
  // which could not stop them itself
  const proc: ChildProcess = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'start.js')], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  proc.stdout?.on('data', (d) => (out += d));
  proc.stderr?.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  let lastStatus = 'no answer';
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`tollgate exited early (${proc.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${url}/health/readiness`);
      lastStatus = `${res.status} ${await res.text()}`;
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (Date.now() >= until) {
    killGroup(proc);
    throw new Error(`tollgate did not become ready: ${lastStatus}\n${out}`);
  }
  const processes = () => parseStartedLines(out);
  const gatewayUrls = processes()
    .filter((p) => p.service === 'gateway' && p.port)
    .sort((a, b) => a.index - b.index)
    .map((p) => `http://127.0.0.1:${p.port}`);
  // every gateway replica must be ready too, not only the first
  for (const g of gatewayUrls.slice(1)) {
    while (Date.now() < until) {
      const ok = await fetch(`${g}/health/ready`).then((r) => r.status === 200, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    url,
    gatewayUrls: gatewayUrls.length ? gatewayUrls : [url],
    namespace,
    output: () => out,
    processes,
    stop: () =>
      new Promise((res) => {
        if (proc.exitCode !== null) return res(proc.exitCode);
        proc.once('exit', (code) => res(code));
        proc.kill('SIGTERM');
        setTimeout(() => killGroup(proc), 40_000).unref();
      }),
  };
}

/** SIGKILL to the launcher's whole process group (the launcher and the services it started). */
function killGroup(proc: ChildProcess): void {
  if (proc.pid === undefined) return;
  try {
    process.kill(-proc.pid, 'SIGKILL');
  } catch {
    proc.kill('SIGKILL');
  }
}
