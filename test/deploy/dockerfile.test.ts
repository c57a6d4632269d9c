import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe as suite, test, after } from 'node:test';
import { ROOT } from './support';

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name: string | undefined;
  body: Instruction[];
}

/** Dockerfile → stages of instructions (comments dropped, `\` continuations joined). */
function parseDockerfile(text: string): { preamble: Instruction[]; stages: Stage[] } {
  const lines = text.split('\n');
  const instructions: Instruction[] = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (!current && (line === '' || line.startsWith('#'))) continue;
    if (current && line.startsWith('#')) continue;
    current += (current ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (!line.endsWith('\\')) {
      const m = /^(\S+)\s*(.*)$/.exec(current)!;
      instructions.push({ op: m[1].toUpperCase(), args: m[2] });
      current = '';
    }
  }
  const preamble: Instruction[] = [];
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args)!;
      stages.push({ from: m[1], name: m[2], body: [] });
    } else if (stages.length) stages[stages.length - 1].body.push(ins);
    else preamble.push(ins);
  }
  return { preamble, stages };
}

const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const { preamble, stages } = parseDockerfile(text);
const runtime = stages[stages.length - 1];
const byName = (name: string) => stages.find((s) => s.name === name);
const runs = (stage: Stage) => stage.body.filter((i) => i.op === 'RUN').map((i) => i.args);
/** Stage plus the stages it is built FROM (its ancestors), nearest first. */
function lineage(stage: Stage): Stage[] {
  const out = [stage];
  for (let s = byName(stage.from); s; s = byName(s.from)) out.push(s);
  return out;
}

suite('Dockerfile', () => {
  test('multi-stage: the build stage on node:20-bookworm-slim runs npm ci and npm run build', () => {
    const nodeImage = preamble.find((i) => i.op === 'ARG' && i.args.startsWith('NODE_IMAGE='));
    assert.equal(nodeImage?.args, 'NODE_IMAGE=node:20-bookworm-slim');
    const build = byName('build');
    assert.ok(build, 'a stage named build');
    const buildRuns = lineage(build).flatMap(runs);
    assert.ok(buildRuns.some((r) => /^npm ci$/.test(r)), 'npm ci (with dev deps)');
    assert.ok(buildRuns.some((r) => /npm run build/.test(r)), 'npm run build');
    assert.equal(lineage(build).pop()!.from, '${NODE_IMAGE}');
  });

  test('the image npm is pinned to an npm that reads allowScripts', () => {
    const pin = preamble.find((i) => i.op === 'ARG' && i.args.startsWith('NPM_VERSION='));
    assert.ok(pin, 'ARG NPM_VERSION');
    const [major, minor] = pin.args.split('=')[1].split('.').map(Number);
    assert.ok(major > 11 || (major === 11 && minor >= 16), 'npm >= 11.16 knows package.json allowScripts');
    assert.ok(lineage(runtime).flatMap(runs).some((r) => r.includes('npm install --global "npm@${NPM_VERSION}"')));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.ok(pkg.allowScripts, 'package.json still has allowScripts (else this pin is moot)');
  });

  test('runtime stage: production deps only, compiled output, NODE_ENV=production, non-root', () => {
    assert.notEqual(runtime.name, 'build');
    assert.ok(runs(runtime).some((r) => /npm ci --omit=dev/.test(r)), 'npm ci --omit=dev');
    assert.ok(!runs(runtime).some((r) => /npm run build|npm ci$/.test(r)), 'no dev install or build in runtime');
    const copies = runtime.body.filter((i) => i.op === 'COPY').map((i) => i.args);
    assert.ok(copies.some((c) => c.startsWith('--from=build')), 'compiled output copied from the build stage');
    assert.ok(copies.some((c) => /package-lock\.json/.test(c)), 'lockfile for npm ci');
    assert.ok(copies.some((c) => c.startsWith('--from=manifests')), "workspaces' package.json files");
    assert.ok(!copies.some((c) => /^(\.|libs|services)\s/.test(c)), 'no sources copied into the runtime stage');
    assert.ok(runtime.body.some((i) => i.op === 'ENV' && /\bNODE_ENV=production\b/.test(i.args)));
    const users = runtime.body.filter((i) => i.op === 'USER');
    assert.equal(users.length, 1);
    const user = users[0].args.split(':')[0];
    assert.ok(user !== 'root' && user !== '0', `USER ${users[0].args} is not root`);
    // USER comes after every RUN (a later RUN would need root anyway)
    const lastRun = runtime.body.map((i) => i.op).lastIndexOf('RUN');
    assert.ok(runtime.body.indexOf(users[0]) > lastRun);
  });

  test('the service is chosen by ARG SERVICE / ENV TOLLGATE_SERVICE, and the entrypoint runs it', () => {
    assert.ok(runtime.body.some((i) => i.op === 'ARG' && /^SERVICE(=|$)/.test(i.args)), 'ARG SERVICE');
    assert.ok(runtime.body.some((i) => i.op === 'ENV' && /\bTOLLGATE_SERVICE=\$\{SERVICE\}/.test(i.args)), 'ENV TOLLGATE_SERVICE=${SERVICE}');
    const entry = runtime.body.find((i) => i.op === 'ENTRYPOINT');
    assert.ok(entry, 'ENTRYPOINT');
    const argv: string[] = JSON.parse(entry.args);
    assert.ok(argv.includes('/usr/local/bin/tollgate-entrypoint'));
    assert.ok(runtime.body.some((i) => i.op === 'COPY' && i.args === 'deploy/docker/entrypoint.sh /usr/local/bin/tollgate-entrypoint'));
  });
});

suite('.dockerignore', () => {
  const lines = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  test('keeps local state and build output out of the context', () => {
    for (const entry of ['node_modules', 'dist', '.tollgate', '.git', '.nx']) {
      assert.ok(lines.some((l) => l === entry || l === `**/${entry}`), entry);
    }
  });
  test('keeps what the Dockerfile copies', () => {
    assert.ok(lines.includes('!deploy/docker/entrypoint.sh'), 'entrypoint re-included after `deploy`');
    for (const needed of ['libs', 'services', 'test', 'package.json', 'package-lock.json', 'tsconfig.base.json', 'tsconfig.build.json']) {
      assert.ok(!lines.includes(needed), `${needed} is not ignored`);
    }
  });
});

suite('entrypoint.sh', () => {
  const app = mkdtempSync(join(tmpdir(), 'tollgate-entrypoint-'));
  after(() => rmSync(app, { recursive: true, force: true }));
  for (const svc of ['gateway', 'logging']) {
    mkdirSync(join(app, 'services', svc, 'dist/src'), { recursive: true });
    writeFileSync(
      join(app, 'services', svc, 'dist/src/main.js'),
      `console.log(JSON.stringify({ main: ${JSON.stringify(svc)}, cwd: process.cwd(), otel: process.env.OTEL_SERVICE_NAME }));\n`,
    );
  }
  const script = join(ROOT, 'deploy/docker/entrypoint.sh');
  const run = (env: Record<string, string>, args: string[] = []) =>
    spawnSync('sh', [script, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TOLLGATE_APP_DIR: app, ...env },
    });

  test('runs services/$TOLLGATE_SERVICE/dist/src/main.js (the run-time env wins)', () => {
    for (const svc of ['gateway', 'logging']) {
      const r = run({ TOLLGATE_SERVICE: svc });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.main, svc);
      assert.equal(out.otel, `tollgate-${svc}`);
    }
    const r = run({ TOLLGATE_SERVICE: 'logging', OTEL_SERVICE_NAME: 'custom' });
    assert.equal(JSON.parse(r.stdout).otel, 'custom');
  });

  test('fails clearly for a missing, unknown or malformed service', () => {
    assert.equal(run({}).status, 64);
    const unknown = run({ TOLLGATE_SERVICE: 'budget' });
    assert.equal(unknown.status, 64);
    assert.match(unknown.stderr, /not built into this image.*built: gateway logging/);
    assert.equal(run({ TOLLGATE_SERVICE: '../../etc' }).status, 64);
  });

  test('runs its arguments instead when given some', () => {
    const r = run({ TOLLGATE_SERVICE: 'gateway' }, ['node', '-e', 'console.log("one-off")']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'one-off');
  });
});
