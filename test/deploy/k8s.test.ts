import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe as suite, test } from 'node:test';
import { parse } from 'yaml';
import { parseConfig } from '@tollgate/config';
import { kustomizationFile, render } from './kustomize';
import { describe, HPA_SERVICES, isKustomization, K8S, Obj, readYamlDocs, ROOT, SERVICES, validateK8s, yamlFilesUnder } from './support';

const BASE = join(K8S, 'base');
const DEV = join(K8S, 'overlays/dev');
const PROD = join(K8S, 'overlays/production');
const TREES: Record<string, string> = { base: BASE, dev: DEV, production: PROD };

/** Secrets the production overlay expects to exist in the cluster (created outside git). */
const EXTERNAL_SECRETS: Record<string, string[]> = { base: [], dev: [], production: ['tollgate-secrets'] };

const SECRET_KEY_NAME = /key|password|passwd|secret|token|credential/i;
const URL_WITH_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

function kustomizationDirs(): string[] {
  return yamlFilesUnder(K8S)
    .filter((f) => /kustomization\.ya?ml$/.test(f))
    .map((f) => dirname(f));
}

/** Patch files named by any kustomization (partial objects: not validated on their own). */
function patchFiles(): Set<string> {
  const out = new Set<string>();
  for (const dir of kustomizationDirs()) {
    const k = parse(readFileSync(kustomizationFile(dir), 'utf8')) as Obj;
    for (const p of k.patches ?? []) if (typeof p.path === 'string') out.add(resolve(dir, p.path));
  }
  return out;
}

function byKind(objects: Obj[], kind: string): Obj[] {
  return objects.filter((o) => o.kind === kind);
}

function find(objects: Obj[], kind: string, name: string): Obj | undefined {
  return objects.find((o) => o.kind === kind && o.metadata?.name === name);
}

function decode(secret: Obj): Record<string, string> {
  const out: Record<string, string> = { ...(secret.stringData ?? {}) };
  for (const [k, v] of Object.entries<string>(secret.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

/** Does a probe's port name or number match a port the container declares? */
function probePortDeclared(container: Obj, probe: Obj): boolean {
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
  return (container.ports ?? []).some((p: Obj) => p.name === port || p.containerPort === port);
}

/** Walks a parsed YAML value and yields [key, value] for every map entry. */
function* entries(value: unknown): Generator<[string, unknown]> {
  if (Array.isArray(value)) for (const v of value) yield* entries(v);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield [k, v];
      yield* entries(v);
    }
  }
}

suite('deploy/k8s files', () => {
  test('every YAML file under deploy/k8s parses', () => {
    const files = yamlFilesUnder(K8S);
    assert.ok(files.length > 10, `expected manifests under ${K8S}`);
    for (const f of files) assert.doesNotThrow(() => readYamlDocs(f), relative(ROOT, f));
  });

  test('every Kubernetes object in a resource file validates against its schema', () => {
    const patches = patchFiles();
    let count = 0;
    for (const f of yamlFilesUnder(K8S)) {
      if (patches.has(f) || f.endsWith('/base/config.yaml')) continue; // patches are partial; config.yaml is Tollgate config
      for (const obj of readYamlDocs(f)) {
        if (isKustomization(obj)) continue;
        assert.doesNotThrow(() => validateK8s(obj), `${relative(ROOT, f)}: ${describe(obj)}`);
        count++;
      }
    }
    assert.ok(count >= 20, `validated only ${count} objects`);
  });

  test('kustomizations reference files that exist', () => {
    const dirs = kustomizationDirs();
    assert.deepEqual(dirs.map((d) => relative(K8S, d)).sort(), ['base', 'overlays/dev', 'overlays/production']);
    for (const dir of dirs) {
      const k = parse(readFileSync(kustomizationFile(dir), 'utf8')) as Obj;
      const refs: string[] = [...(k.resources ?? []), ...(k.patches ?? []).map((p: Obj) => p.path).filter(Boolean)];
      for (const gen of [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])]) {
        for (const f of [...(gen.files ?? []), ...(gen.envs ?? [])]) refs.push(String(f).split('=').pop()!);
      }
      for (const ref of refs) {
        const p = resolve(dir, ref);
        assert.ok(existsSync(p), `${relative(ROOT, dir)}: ${ref} exists`);
        if (statSync(p).isDirectory()) assert.doesNotThrow(() => kustomizationFile(p), `${relative(ROOT, dir)}: ${ref} is a kustomization`);
      }
    }
  });

  test('every patch targets an object of the tree it patches (before the patches apply)', () => {
    for (const dir of [DEV, PROD]) {
      const k = parse(readFileSync(kustomizationFile(dir), 'utf8')) as Obj;
      const targets = render(BASE).objects;
      // the overlay's own resources can be patch targets too
      for (const r of k.resources ?? []) if (!String(r).startsWith('..')) targets.push(...readYamlDocs(resolve(dir, r)));
      assert.ok((k.patches ?? []).length > 0, `${relative(ROOT, dir)} has patches`);
      for (const p of k.patches ?? []) {
        const [patch] = readYamlDocs(resolve(dir, p.path));
        const target = find(targets, patch.kind, patch.metadata.name);
        assert.ok(target, `${relative(ROOT, dir)}/${p.path}: ${describe(patch)} not in the tree`);
        assert.equal(target.apiVersion, patch.apiVersion, `${p.path}: apiVersion`);
      }
      for (const r of k.replicas ?? []) assert.ok(find(targets, 'Deployment', r.name), `${relative(ROOT, dir)}: replicas: ${r.name}`);
    }
  });

  test('the ConfigMap config.yaml is the sample config, and Tollgate accepts it', () => {
    const k8sCopy = readFileSync(join(BASE, 'config.yaml'), 'utf8');
    const sample = readFileSync(join(ROOT, 'deploy/config/config.yaml'), 'utf8');
    assert.equal(k8sCopy, sample, 'deploy/k8s/base/config.yaml must stay identical to deploy/config/config.yaml');
    const env = {
      TOLLGATE_MASTER_KEY: 'sk-test',
      DATABASE_URL: 'postgres://u:p@db:5432/tollgate',
      OPENAI_API_KEY: 'sk-openai-test',
      ANTHROPIC_API_KEY: 'sk-ant-test',
    };
    const config = parseConfig(sample, env, 'deploy/config/config.yaml');
    assert.equal(config.masterKey, 'sk-test');
    assert.ok(config.deployments.length >= 2);
    assert.ok(config.deployments.some((d) => d.apiKey === 'sk-openai-test'), 'os.environ/OPENAI_API_KEY resolves');
    // every secret-looking field is an os.environ/ reference, never a literal
    for (const [key, value] of entries(parse(sample))) {
      if (/key|password|secret|token|database_url/i.test(key) && typeof value === 'string') {
        assert.match(value, /^os\.environ\/[A-Z0-9_]+$/, `config.yaml ${key} must be an os.environ/ reference`);
      }
    }
  });
});

for (const [treeName, dir] of Object.entries(TREES)) {
  suite(`rendered ${treeName}`, () => {
    const { objects } = render(dir);
    const deployments = byKind(objects, 'Deployment');

    test('every rendered object validates against its schema', () => {
      assert.ok(objects.length > 20);
      for (const obj of objects) assert.doesNotThrow(() => validateK8s(obj), describe(obj));
    });

    test('no object is defined twice', () => {
      const ids = objects.map((o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`);
      assert.equal(new Set(ids).size, ids.length);
    });

    test('every service has a Deployment with probes on its health endpoints and resources', () => {
      for (const svc of SERVICES) {
        const d = find(deployments, 'Deployment', `tollgate-${svc}`);
        assert.ok(d, `Deployment tollgate-${svc}`);
        assert.ok(Number.isInteger(d.spec.replicas) && d.spec.replicas >= 1, `${svc}: replicas`);
        const labels = d.spec.template.metadata.labels;
        for (const [k, v] of Object.entries(d.spec.selector.matchLabels)) assert.equal(labels[k], v, `${svc}: selector matches template`);
        const [c, ...others] = d.spec.template.spec.containers;
        assert.equal(others.length, 0, `${svc}: one container`);
        const env = Object.fromEntries((c.env ?? []).map((e: Obj) => [e.name, e.value]));
        assert.equal(env.TOLLGATE_SERVICE, svc, `${svc}: TOLLGATE_SERVICE`);
        for (const probe of ['readinessProbe', 'livenessProbe']) {
          assert.ok(c[probe]?.httpGet, `${svc}: ${probe}`);
          assert.ok(probePortDeclared(c, c[probe]), `${svc}: ${probe} port is a declared container port`);
        }
        if (svc === 'gateway') {
          assert.equal(c.readinessProbe.httpGet.path, '/health/ready');
          assert.equal(c.livenessProbe.httpGet.path, '/health/liveliness');
          assert.equal(env.PORT, '4000');
          assert.ok(c.ports.some((p: Obj) => p.containerPort === 4000));
        } else {
          assert.equal(c.readinessProbe.httpGet.path, '/health/ready', svc);
          assert.equal(c.livenessProbe.httpGet.path, '/health/live', svc);
          const port = c.ports.find((p: Obj) => p.name === c.readinessProbe.httpGet.port);
          assert.equal(String(port.containerPort), env.HEALTH_PORT, `${svc}: probe port is HEALTH_PORT`);
          assert.equal(port.containerPort, 8080 + SERVICES.indexOf(svc), `${svc}: HEALTH_PORT default is 8080 + index`);
        }
        for (const kind of ['requests', 'limits']) {
          assert.ok(c.resources?.[kind]?.cpu, `${svc}: resources.${kind}.cpu`);
          assert.ok(c.resources?.[kind]?.memory, `${svc}: resources.${kind}.memory`);
        }
        assert.equal(d.spec.template.spec.securityContext?.runAsNonRoot, true, `${svc}: runAsNonRoot`);
      }
    });

    test('every service has a PodDisruptionBudget selecting its pods', () => {
      for (const svc of SERVICES) {
        const pdb = find(objects, 'PodDisruptionBudget', `tollgate-${svc}`);
        assert.ok(pdb, `PDB tollgate-${svc}`);
        const labels = find(deployments, 'Deployment', `tollgate-${svc}`)!.spec.template.metadata.labels;
        for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels)) assert.equal(labels[k], v);
      }
    });

    test('HPAs exist for gateway, budget, guardrails, logging and target existing Deployments', () => {
      const hpas = byKind(objects, 'HorizontalPodAutoscaler');
      for (const svc of HPA_SERVICES) {
        const hpa = hpas.find((h) => h.spec.scaleTargetRef.name === `tollgate-${svc}`);
        assert.ok(hpa, `HPA for ${svc}`);
        assert.equal(hpa.apiVersion, 'autoscaling/v2');
        assert.equal(hpa.spec.scaleTargetRef.kind, 'Deployment');
        assert.ok(hpa.spec.minReplicas >= 1 && hpa.spec.minReplicas <= hpa.spec.maxReplicas, `${svc}: min <= max`);
      }
      for (const hpa of hpas) {
        assert.ok(find(deployments, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name), `${describe(hpa)} targets an existing Deployment`);
        const d = find(deployments, 'Deployment', hpa.spec.scaleTargetRef.name)!;
        assert.ok(d.spec.template.spec.containers.every((c: Obj) => c.resources?.requests?.cpu), 'CPU utilisation needs CPU requests');
      }
    });

    test('only the gateway has a Service and an Ingress', () => {
      const tollgatePods = deployments.filter((d) => d.metadata.name.startsWith('tollgate-'));
      for (const s of byKind(objects, 'Service')) {
        const selected = tollgatePods.filter((d) =>
          Object.entries(s.spec.selector ?? {}).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
        );
        if (selected.length) assert.deepEqual(selected.map((d) => d.metadata.name), ['tollgate-gateway'], `${describe(s)} selects only the gateway`);
        if (s.metadata.name.startsWith('tollgate-')) assert.equal(s.metadata.name, 'tollgate-gateway');
      }
      assert.ok(find(objects, 'Service', 'tollgate-gateway'), 'gateway Service');
      const ingresses = byKind(objects, 'Ingress');
      assert.deepEqual(ingresses.map((i) => i.metadata.name), ['tollgate-gateway']);
      for (const rule of ingresses[0].spec.rules) {
        for (const path of rule.http.paths) {
          assert.equal(path.backend.service.name, 'tollgate-gateway');
          const svc = find(objects, 'Service', 'tollgate-gateway')!;
          assert.ok(svc.spec.ports.some((p: Obj) => p.name === path.backend.service.port.name || p.port === path.backend.service.port.number));
        }
      }
    });

    test('no secret value in a ConfigMap', () => {
      for (const cm of byKind(objects, 'ConfigMap')) {
        for (const [key, value] of Object.entries<string>(cm.data ?? {})) {
          assert.doesNotMatch(key, SECRET_KEY_NAME, `${describe(cm)}: key ${key} looks secret`);
          assert.doesNotMatch(value, URL_WITH_CREDENTIALS, `${describe(cm)}: ${key} holds a URL with credentials`);
          assert.doesNotMatch(value, /\bsk-[A-Za-z0-9]/, `${describe(cm)}: ${key} holds an API key`);
          if (/\.ya?ml$/.test(key)) {
            for (const [k, v] of entries(parse(value))) {
              if (SECRET_KEY_NAME.test(k) || /database_url/i.test(k)) {
                assert.match(String(v), /^os\.environ\//, `${describe(cm)}: ${key}: ${k} must reference the environment`);
              }
            }
          }
        }
      }
    });

    test('master key, database URL and provider keys come from a Secret', () => {
      const secretNames = new Set([...byKind(objects, 'Secret').map((s) => s.metadata.name), ...EXTERNAL_SECRETS[treeName]]);
      const configMaps = new Set(byKind(objects, 'ConfigMap').map((c) => c.metadata.name));
      for (const d of deployments.filter((x) => x.metadata.name.startsWith('tollgate-'))) {
        for (const c of d.spec.template.spec.containers) {
          const secretRefs = (c.envFrom ?? []).filter((e: Obj) => e.secretRef).map((e: Obj) => e.secretRef.name);
          assert.ok(secretRefs.includes('tollgate-secrets'), `${describe(d)} reads tollgate-secrets`);
          for (const ref of secretRefs) assert.ok(secretNames.has(ref), `${describe(d)}: Secret ${ref} exists`);
          for (const e of c.envFrom ?? []) if (e.configMapRef) assert.ok(configMaps.has(e.configMapRef.name), `${describe(d)}: ConfigMap ${e.configMapRef.name}`);
          for (const v of d.spec.template.spec.volumes ?? []) if (v.configMap) assert.ok(configMaps.has(v.configMap.name), `${describe(d)}: volume ConfigMap ${v.configMap.name}`);
          for (const e of c.env ?? []) assert.ok(!/KEY|PASSWORD|DATABASE_URL/.test(e.name) || e.valueFrom, `${describe(d)}: ${e.name} must not be a literal`);
        }
      }
      const secret = find(objects, 'Secret', 'tollgate-secrets');
      if (treeName === 'production') {
        assert.equal(secret, undefined, 'production ships no Secret values: tollgate-secrets is created outside git');
      } else {
        assert.ok(secret, 'tollgate-secrets');
        const keys = Object.keys(decode(secret));
        for (const k of ['TOLLGATE_MASTER_KEY', 'DATABASE_URL', 'REDIS_URL', 'OPENAI_API_KEY']) assert.ok(keys.includes(k), `tollgate-secrets.${k}`);
      }
      const env = find(objects, 'ConfigMap', 'tollgate-env');
      assert.ok(env, 'tollgate-env ConfigMap');
      assert.equal(env.data.TOLLGATE_CONFIG, '/etc/tollgate/config.yaml');
      for (const d of deployments.filter((x) => x.metadata.name.startsWith('tollgate-'))) {
        const mount = d.spec.template.spec.containers[0].volumeMounts.find((m: Obj) => m.name === 'config');
        assert.equal(mount.mountPath, '/etc/tollgate', `${describe(d)} mounts config.yaml where TOLLGATE_CONFIG points`);
      }
      assert.ok(find(objects, 'ConfigMap', 'tollgate-config')?.data?.['config.yaml'], 'tollgate-config holds config.yaml');
    });

    test('each process drains within its pod grace period; liveness never depends on readiness', () => {
      const env = find(objects, 'ConfigMap', 'tollgate-env');
      for (const d of deployments.filter((x) => x.metadata.name.startsWith('tollgate-'))) {
        const pod = d.spec.template.spec;
        const c = pod.containers[0];
        const own = (c.env ?? []).find((e: Obj) => e.name === 'TOLLGATE_SHUTDOWN_GRACE_MS')?.value;
        const graceMs = Number(own ?? env?.data?.TOLLGATE_SHUTDOWN_GRACE_MS ?? 25_000);
        const sleep = c.lifecycle?.preStop?.exec?.command;
        const preStopMs = Array.isArray(sleep) && sleep[0] === 'sleep' ? Number(sleep[1]) * 1000 : 0;
        const podGraceMs = (pod.terminationGracePeriodSeconds ?? 30) * 1000;
        assert.ok(Number.isFinite(graceMs) && graceMs > 0, `${describe(d)}: TOLLGATE_SHUTDOWN_GRACE_MS`);
        assert.ok(preStopMs + graceMs < podGraceMs, `${describe(d)}: preStop ${preStopMs} ms + drain ${graceMs} ms must end before the kubelet's SIGKILL at ${podGraceMs} ms`);
        assert.match(c.livenessProbe.httpGet.path, /^\/health\/(live|liveliness)$/, `${describe(d)}: liveness stays 200 through a dependency outage`);
        assert.equal(c.readinessProbe.httpGet.path, '/health/ready', describe(d));
        assert.ok(probePortDeclared(c, c.livenessProbe) && probePortDeclared(c, c.readinessProbe), describe(d));
      }
    });

    test('a migration Job runs every schema owner before its own exit', () => {
      const job = find(objects, 'Job', 'tollgate-migrate');
      assert.ok(job, 'Job tollgate-migrate');
      const owners = job.spec.template.spec.initContainers.map((c: Obj) => c.env.find((e: Obj) => e.name === 'TOLLGATE_SERVICE').value);
      assert.deepEqual(owners, ['keys', 'budget', 'jobs', 'logging']);
      for (const c of job.spec.template.spec.initContainers) {
        assert.ok(c.env.some((e: Obj) => e.name === 'TOLLGATE_MIGRATE_ONLY' && e.value === '1'));
      }
      assert.equal(job.spec.template.spec.restartPolicy, 'Never');
    });

    if (treeName !== 'base') {
      test('every namespaced object is in the overlay namespace', () => {
        const ns = (parse(readFileSync(kustomizationFile(dir), 'utf8')) as Obj).namespace;
        assert.ok(find(objects, 'Namespace', ns), `Namespace ${ns} is created`);
        for (const o of objects) if (o.kind !== 'Namespace') assert.equal(o.metadata.namespace, ns, describe(o));
      });

      test('every Tollgate container runs the overlay image', () => {
        const k = parse(readFileSync(kustomizationFile(dir), 'utf8')) as Obj;
        const img = k.images.find((i: Obj) => i.name === 'tollgate');
        for (const o of objects.filter((x) => x.metadata.name.startsWith('tollgate-') && x.spec?.template)) {
          for (const c of [...o.spec.template.spec.containers, ...(o.spec.template.spec.initContainers ?? [])]) {
            assert.equal(c.image, `${img.newName}:${img.newTag}`, `${describe(o)}/${c.name}`);
          }
        }
      });
    }
  });
}

suite('overlays', () => {
  const base = render(BASE).objects;
  const dev = render(DEV).objects;
  const prod = render(PROD).objects;
  const replicas = (objs: Obj[], svc: string): number => find(objs, 'Deployment', `tollgate-${svc}`)!.spec.replicas;

  test('dev runs NATS with JetStream, Postgres and Redis as single-replica StatefulSets with Services', () => {
    for (const name of ['nats', 'postgres', 'redis']) {
      const sts = find(dev, 'StatefulSet', name);
      assert.ok(sts, `StatefulSet ${name}`);
      assert.equal(sts.spec.replicas, 1);
      assert.equal(sts.spec.serviceName, name);
      assert.ok(find(dev, 'Service', name), `Service ${name}`);
      const c = sts.spec.template.spec.containers[0];
      assert.ok(c.readinessProbe && c.livenessProbe, `${name} probes`);
    }
    assert.ok(find(dev, 'StatefulSet', 'nats')!.spec.template.spec.containers[0].args.includes('-js'), 'JetStream on');
    const pg = find(dev, 'StatefulSet', 'postgres')!.spec.template.spec.containers[0];
    assert.equal(pg.image, 'postgres:15');
    const password = pg.env.find((e: Obj) => e.name === 'POSTGRES_PASSWORD');
    assert.ok(password.valueFrom?.secretKeyRef, 'Postgres password from a Secret');
    assert.ok(find(dev, 'Secret', password.valueFrom.secretKeyRef.name));
    const secrets = decode(find(dev, 'Secret', 'tollgate-secrets')!);
    assert.match(secrets.DATABASE_URL, /@postgres:5432\//, 'dev DATABASE_URL points at the dev Postgres');
    assert.match(secrets.REDIS_URL, /^redis:\/\/redis:6379/);
    assert.equal(find(dev, 'ConfigMap', 'tollgate-env')!.data.NATS_URL, 'nats://nats:4222');
    for (const svc of SERVICES) assert.equal(replicas(dev, svc), 1, `dev ${svc}: 1 replica`);
  });

  test('production adds no infrastructure, points at external installs and runs more replicas', () => {
    assert.equal(byKind(prod, 'StatefulSet').length, 0, 'no in-cluster NATS / Postgres / Redis');
    const env = find(prod, 'ConfigMap', 'tollgate-env')!.data;
    assert.notEqual(env.NATS_URL, find(base, 'ConfigMap', 'tollgate-env')!.data.NATS_URL, 'NATS_URL names the external NATS');
    assert.ok(env.OTEL_EXPORTER_OTLP_ENDPOINT, 'traces go to a collector');
    for (const svc of SERVICES) assert.ok(replicas(prod, svc) > replicas(base, svc), `production ${svc}: more replicas than base`);
    for (const svc of HPA_SERVICES) {
      const hpa = (objs: Obj[]) => find(objs, 'HorizontalPodAutoscaler', `tollgate-${svc}`)!.spec;
      assert.ok(hpa(prod).minReplicas >= hpa(base).minReplicas && hpa(prod).maxReplicas > hpa(base).maxReplicas, `production ${svc} HPA`);
    }
    const ingress = find(prod, 'Ingress', 'tollgate-gateway')!;
    assert.ok(ingress.spec.tls?.length, 'production Ingress has TLS');
    assert.ok(ingress.spec.ingressClassName);
  });

  test('overlay patches merge into the base instead of replacing what they do not name', () => {
    const gw = find(prod, 'Deployment', 'tollgate-gateway')!.spec.template.spec.containers[0];
    assert.equal(gw.resources.requests.cpu, '1', 'patched');
    assert.equal(gw.readinessProbe.httpGet.path, '/health/ready', 'kept from base');
    const hpa = find(prod, 'HorizontalPodAutoscaler', 'tollgate-gateway')!;
    assert.equal(hpa.spec.scaleTargetRef.name, 'tollgate-gateway', 'kept from base');
    assert.ok(hpa.spec.metrics.length > 0, 'kept from base');
    const devEnv = find(dev, 'ConfigMap', 'tollgate-env')!.data;
    assert.equal(devEnv.TOLLGATE_CONFIG, '/etc/tollgate/config.yaml', 'generator merge keeps base keys');
    assert.equal(devEnv.LOG_LEVEL, 'debug');
  });
});
