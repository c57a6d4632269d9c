import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe as suite, test } from 'node:test';
import { parse } from 'yaml';
import { Obj, ROOT, SERVICES } from './support';

// merge: true resolves the `<<: *anchor` merge keys the compose file uses, as Compose does
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Obj;
const services = compose.services as Record<string, Obj>;
const INFRA = ['nats', 'postgres', 'redis'];

function envOf(svc: Obj): Record<string, string> {
  const env = svc.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((e: string) => [e.split('=')[0], e.slice(e.indexOf('=') + 1)]));
  return env;
}

/** Container side of a volume mount ("host:container[:mode]") whose host side is given. */
function mountTarget(svc: Obj, host: string): string | undefined {
  for (const v of svc.volumes ?? []) {
    if (typeof v === 'string' && v.split(':')[0] === host) return v.split(':')[1];
  }
  return undefined;
}

suite('docker-compose.yml', () => {
  test('parses and names every service', () => {
    for (const name of [...INFRA, 'otel-collector', 'proxy', ...SERVICES]) assert.ok(services[name], `service ${name}`);
  });

  test('infrastructure: official images, healthchecks, volumes; NATS with JetStream', () => {
    assert.match(services.nats.image, /^nats:2\./);
    assert.ok(services.nats.command.includes('-js'), 'nats -js');
    assert.equal(services.postgres.image, 'postgres:15');
    assert.match(services.redis.image, /^redis:7/);
    for (const name of INFRA) {
      const hc = services[name].healthcheck;
      assert.ok(hc?.test, `${name} healthcheck`);
      assert.ok((services[name].volumes ?? []).length > 0, `${name} volume`);
      for (const v of services[name].volumes) {
        const vol = String(v).split(':')[0];
        assert.ok(vol in (compose.volumes ?? {}), `${name}: named volume ${vol} is declared`);
      }
    }
    assert.match(services.postgres.healthcheck.test.join(' '), /pg_isready/);
    assert.match(services.redis.healthcheck.test.join(' '), /redis-cli ping/);
    assert.match(services.nats.healthcheck.test.join(' '), /healthz/);
  });

  test('the OpenTelemetry collector reads deploy/otel-collector.yaml', () => {
    const otel = services['otel-collector'];
    assert.match(otel.image, /^otel\/opentelemetry-collector/);
    const target = mountTarget(otel, './deploy/otel-collector.yaml');
    assert.ok(target, 'config mounted');
    assert.ok(otel.command.some((c: string) => c === `--config=${target}`), 'collector started with the mounted config');
    const cfg = parse(readFileSync(join(ROOT, 'deploy/otel-collector.yaml'), 'utf8'));
    assert.ok(cfg.receivers.otlp && cfg.service.pipelines.traces, 'OTLP receiver and a traces pipeline');
    for (const r of cfg.service.pipelines.traces.receivers) assert.ok(r in cfg.receivers);
    for (const e of cfg.service.pipelines.traces.exporters) assert.ok(e in cfg.exporters);
    for (const p of cfg.service.pipelines.traces.processors ?? []) assert.ok(p in cfg.processors);
  });

  test('every Tollgate service: same Dockerfile with its SERVICE, waits for healthy infra, gets the env and config', () => {
    for (const name of SERVICES) {
      const svc = services[name];
      assert.equal(svc.build?.context, '.', `${name}: built from ./Dockerfile`);
      assert.equal(svc.build?.args?.SERVICE, name, `${name}: SERVICE build arg`);
      for (const dep of INFRA) assert.equal(svc.depends_on?.[dep]?.condition, 'service_healthy', `${name} depends_on ${dep} healthy`);
      const env = envOf(svc);
      assert.equal(env.TOLLGATE_SERVICE, name);
      for (const key of ['NATS_URL', 'DATABASE_URL', 'REDIS_URL', 'TOLLGATE_NAMESPACE', 'TOLLGATE_MASTER_KEY', 'TOLLGATE_CONFIG', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_SERVICE_NAME', 'LOG_LEVEL']) {
        assert.ok(key in env, `${name}: ${key}`);
      }
      assert.match(env.NATS_URL, /^nats:\/\/nats:4222$/);
      assert.match(env.DATABASE_URL, /@postgres:5432\//);
      assert.match(env.REDIS_URL, /^redis:\/\/redis:6379/);
      assert.match(env.TOLLGATE_MASTER_KEY, /^\$\{TOLLGATE_MASTER_KEY:-[^}]+\}$/, `${name}: master key from the environment, with a local default`);
      assert.equal(mountTarget(svc, './deploy/config/config.yaml'), env.TOLLGATE_CONFIG, `${name}: TOLLGATE_CONFIG is the mounted config.yaml`);
      assert.ok(svc.healthcheck?.test, `${name}: healthcheck`);
      if (name !== 'gateway') {
        assert.equal(env.HEALTH_PORT, String(8080 + SERVICES.indexOf(name)), `${name}: HEALTH_PORT`);
        assert.match(svc.healthcheck.test.join(' '), /\/health\/ready/);
      }
    }
    assert.match(services.gateway.healthcheck.test.join(' '), /\/health\/liveliness/);
  });

  test('services that exist in the tree start by default; the others are in the pending profile', () => {
    for (const name of SERVICES) {
      const exists = existsSync(join(ROOT, 'services', name, 'package.json'));
      const pending = (services[name].profiles ?? []).includes('pending');
      assert.equal(pending, !exists, `${name}: ${exists ? 'exists, must start by default' : 'not in the tree, must be in profile pending'}`);
    }
  });

  test('--scale gateway=N: the gateway publishes no host port, the proxy publishes 4000', () => {
    const gw = services.gateway;
    assert.equal(gw.ports, undefined, 'gateway publishes no host port');
    assert.equal(gw.container_name, undefined, 'container_name prevents scaling');
    const ports: string[] = services.proxy.ports.map(String);
    assert.equal(ports.length, 1);
    assert.match(ports[0], /^(4000|\$\{TOLLGATE_PORT:-4000\}):4000$/, 'proxy publishes host port 4000 (overridable)');
    for (const [name, svc] of Object.entries(services)) if (name !== 'proxy') assert.equal(svc.ports, undefined, `${name} publishes no host port`);
    const target = mountTarget(services.proxy, './deploy/compose/haproxy.cfg');
    assert.ok(target, 'proxy config mounted');
    const cfg = readFileSync(join(ROOT, 'deploy/compose/haproxy.cfg'), 'utf8');
    assert.match(cfg, /^\s*bind :4000$/m, 'proxy listens on 4000');
    assert.match(cfg, /server-template \S+ \d+ gateway:4000/, 'proxy discovers every gateway replica');
    assert.match(cfg, /nameserver \S+ 127\.0\.0\.11:53/, "through Docker's DNS");
    assert.match(cfg, /option httpchk GET \/health\/ready\b/, 'and health-checks them');
  });

  test('the sample config is mounted and references secrets through os.environ/', () => {
    const text = readFileSync(join(ROOT, 'deploy/config/config.yaml'), 'utf8');
    const cfg = parse(text);
    assert.ok(cfg.model_list.length >= 2);
    assert.equal(cfg.general_settings.master_key, 'os.environ/TOLLGATE_MASTER_KEY');
    assert.ok(cfg.model_list.some((m: Obj) => m.litellm_params.api_key === 'os.environ/OPENAI_API_KEY'));
    // every os.environ/ reference is provided to the services (or Tollgate fails at start)
    const env = envOf(services.gateway);
    const refs = JSON.stringify(cfg).match(/os\.environ\/[A-Za-z0-9_]+/g) ?? [];
    assert.ok(refs.length >= 3);
    for (const ref of refs) assert.ok(ref.slice('os.environ/'.length) in env, `${ref} is set for the services`);
  });
});
