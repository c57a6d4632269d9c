/**
 * A small kustomize renderer for the deploy tests, because `kubectl kustomize` is not available
 * everywhere the tests run (where it is, kubectl-kustomize.test.ts checks both give the same output). It implements the subset of kustomize that deploy/k8s uses and REFUSES
 * (throws on) anything else, so a manifest using an unsupported feature fails loudly instead of
 * being rendered wrongly:
 *
 * - resources: files (multi-document YAML) and directories holding a kustomization.yaml
 * - configMapGenerator / secretGenerator: literals, files (`key=path` or `path`), envs;
 *   behavior create / merge / replace; only with generatorOptions.disableNameSuffixHash: true
 *   (the hash suffix and the reference rewriting that goes with it are not implemented);
 *   generatorOptions.labels / annotations
 * - patches: strategic-merge patches (from `path` or inline `patch`) without `target`, matched by
 *   kind + name; merge keys for the lists deploy/k8s patches (containers / initContainers by
 *   name, env by name, volumes by name, volumeMounts by mountPath, container ports by
 *   containerPort, service ports by port, imagePullSecrets by name); every other list is
 *   replaced, as the Kubernetes schemas declare for them; `$patch: delete | replace | merge`
 *   on maps and list items; null deletes a key
 * - replicas (Deployment / StatefulSet / ReplicaSet by name), images (name → newName / newTag /
 *   digest on containers and initContainers of pod templates), namespace (every namespaced object)
 *
 * Not implemented (throws): JSON 6902 patches, patch `target` selectors, name prefixes/suffixes,
 * commonLabels / labels / commonAnnotations, components, helmCharts, configurations, crds,
 * replacements, vars, openapi.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { Obj, readYamlDocs } from './support';

const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
  'patches',
  'replicas',
  'images',
]);

/** Kinds that have no namespace (only those that could plausibly appear here). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'CustomResourceDefinition',
  'PriorityClass',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
]);

export interface Rendered {
  objects: Obj[];
  /** every file the kustomization tree read (kustomization files, resources, patches, generator inputs) */
  files: string[];
}

export function kustomizationFile(dir: string): string {
  for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`${dir}: no kustomization.yaml`);
}

function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

function isMap(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function findIndex(objects: Obj[], kind: string, name: string, namespace?: string): number {
  return objects.findIndex(
    (o) => o.kind === kind && o.metadata?.name === name && (namespace === undefined || (o.metadata?.namespace ?? undefined) === namespace),
  );
}

// ------------------------------------------------------------------------ strategic merge patch

function mergeKeyFor(field: string, items: unknown[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'ports': {
      // container ports merge on containerPort, Service ports on port
      const sample = items.find(isMap);
      if (!sample) return undefined;
      return 'containerPort' in sample ? 'containerPort' : 'port';
    }
    default:
      return undefined;
  }
}

function mergeList(field: string, base: unknown[], patch: unknown[], path: string): unknown[] {
  const key = mergeKeyFor(field, [...patch, ...base]);
  if (!key) {
    for (const item of patch) {
      if (isMap(item) && '$patch' in item) throw new Error(`${path}: $patch in a list without merge key is not supported`);
    }
    return clone(patch); // lists without a merge key are replaced
  }
  const out = clone(base) as Obj[];
  for (const raw of patch) {
    if (!isMap(raw)) throw new Error(`${path}: items of ${field} must be maps`);
    const id = raw[key];
    if (id === undefined) throw new Error(`${path}: an item of ${field} has no ${key}`);
    const at = out.findIndex((o) => isMap(o) && o[key] === id);
    if (raw.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (at >= 0) out[at] = mergeMap(out[at], raw, `${path}[${key}=${id}]`);
    else out.push(mergeMap({}, raw, `${path}[${key}=${id}]`));
  }
  return out;
}

/** Applies a strategic-merge patch map to a base map (returns a new map). */
export function mergeMap(base: Obj, patch: Obj, path = ''): Obj {
  const directive = patch.$patch;
  if (directive !== undefined && directive !== 'merge') {
    if (directive === 'replace') {
      const { $patch: _ignored, ...rest } = patch;
      return clone(rest);
    }
    throw new Error(`${path || '(root)'}: $patch: ${directive} is not supported here`);
  }
  const out = clone(base);
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch') continue;
    if (k.startsWith('$')) throw new Error(`${path}.${k}: directive not supported`);
    if (v === null) {
      delete out[k];
    } else if (isMap(v) && isMap(out[k])) {
      if (v.$patch === 'delete') delete out[k];
      else out[k] = mergeMap(out[k], v, `${path}.${k}`);
    } else if (Array.isArray(v) && Array.isArray(out[k])) {
      out[k] = mergeList(k, out[k], v, `${path}.${k}`);
    } else if (isMap(v)) {
      if (v.$patch === 'delete') delete out[k];
      else out[k] = mergeMap({}, v, `${path}.${k}`);
    } else if (Array.isArray(v)) {
      out[k] = mergeList(k, [], v, `${path}.${k}`);
    } else {
      out[k] = v;
    }
  }
  return out;
}

function applyPatch(objects: Obj[], patch: Obj, source: string): void {
  const kind = patch.kind;
  const name = patch.metadata?.name;
  if (typeof kind !== 'string' || typeof name !== 'string') throw new Error(`${source}: a patch needs kind and metadata.name`);
  const at = findIndex(objects, kind, name, patch.metadata?.namespace);
  if (at < 0) throw new Error(`${source}: patch target ${kind}/${name} not found`);
  if (patch.apiVersion && objects[at].apiVersion !== patch.apiVersion) {
    throw new Error(`${source}: patch ${kind}/${name} is ${patch.apiVersion}, target is ${objects[at].apiVersion}`);
  }
  if (patch.$patch === 'delete') {
    objects.splice(at, 1);
    return;
  }
  objects[at] = mergeMap(objects[at], patch, `${kind}/${name}`);
}

// ------------------------------------------------------------------------ generators

function parseEnvLines(text: string, source: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const eq = t.indexOf('=');
    if (eq <= 0) throw new Error(`${source}: "${t}" is not KEY=VALUE`);
    out.push([t.slice(0, eq), t.slice(eq + 1)]);
  }
  return out;
}

function generatorData(dir: string, gen: Obj, files: string[]): Record<string, string> {
  const data: Record<string, string> = {};
  const put = (k: string, v: string): void => {
    if (k in data) throw new Error(`generator ${gen.name}: key ${k} given twice`);
    data[k] = v;
  };
  for (const lit of gen.literals ?? []) {
    const eq = String(lit).indexOf('=');
    if (eq <= 0) throw new Error(`generator ${gen.name}: literal "${lit}" is not KEY=VALUE`);
    put(String(lit).slice(0, eq), String(lit).slice(eq + 1));
  }
  for (const f of gen.files ?? []) {
    const s = String(f);
    const eq = s.indexOf('=');
    const [key, rel] = eq > 0 ? [s.slice(0, eq), s.slice(eq + 1)] : [basename(s), s];
    const p = resolve(dir, rel);
    if (!p.startsWith(resolve(dir) + '/')) throw new Error(`generator ${gen.name}: ${rel} is outside ${dir} (kustomize's load restrictor refuses it)`);
    files.push(p);
    put(key, readFileSync(p, 'utf8'));
  }
  for (const e of gen.envs ?? []) {
    const p = resolve(dir, String(e));
    files.push(p);
    for (const [k, v] of parseEnvLines(readFileSync(p, 'utf8'), p)) put(k, v);
  }
  for (const k of Object.keys(gen)) {
    if (!['name', 'namespace', 'behavior', 'literals', 'files', 'envs', 'type', 'options'].includes(k)) {
      throw new Error(`generator ${gen.name}: field ${k} not supported`);
    }
  }
  return data;
}

function runGenerator(objects: Obj[], dir: string, gen: Obj, kind: 'ConfigMap' | 'Secret', options: Obj, files: string[]): void {
  if (options.disableNameSuffixHash !== true && gen.options?.disableNameSuffixHash !== true) {
    throw new Error(`${dir}: ${kind} generator ${gen.name}: name hash suffixes are not implemented (set generatorOptions.disableNameSuffixHash: true)`);
  }
  const raw = generatorData(dir, gen, files);
  const data: Record<string, string> =
    kind === 'Secret' ? Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])) : raw;
  const labels = { ...(options.labels ?? {}), ...(gen.options?.labels ?? {}) };
  const annotations = { ...(options.annotations ?? {}), ...(gen.options?.annotations ?? {}) };
  const behavior = gen.behavior ?? 'create';
  const at = findIndex(objects, kind, gen.name);
  if (behavior === 'create') {
    if (at >= 0) throw new Error(`${dir}: ${kind} ${gen.name} already exists (use behavior: merge or replace)`);
    const obj: Obj = { apiVersion: 'v1', kind, metadata: { name: gen.name }, data };
    if (Object.keys(labels).length) obj.metadata.labels = labels;
    if (Object.keys(annotations).length) obj.metadata.annotations = annotations;
    if (kind === 'Secret') obj.type = gen.type ?? 'Opaque';
    objects.push(obj);
  } else if (behavior === 'merge' || behavior === 'replace') {
    if (at < 0) throw new Error(`${dir}: ${kind} ${gen.name} to ${behavior} does not exist`);
    const target = clone(objects[at]);
    target.data = behavior === 'merge' ? { ...(target.data ?? {}), ...data } : data;
    if (Object.keys(labels).length) target.metadata.labels = { ...(target.metadata.labels ?? {}), ...labels };
    if (Object.keys(annotations).length) target.metadata.annotations = { ...(target.metadata.annotations ?? {}), ...annotations };
    objects[at] = target;
  } else {
    throw new Error(`${dir}: generator ${gen.name}: unknown behavior ${behavior}`);
  }
}

// ------------------------------------------------------------------------ transformers

function podSpecs(obj: Obj): Obj[] {
  const specs: Obj[] = [];
  if (isMap(obj.spec?.template?.spec)) specs.push(obj.spec.template.spec);
  if (isMap(obj.spec?.jobTemplate?.spec?.template?.spec)) specs.push(obj.spec.jobTemplate.spec.template.spec);
  if (obj.kind === 'Pod' && isMap(obj.spec)) specs.push(obj.spec);
  return specs;
}

function splitImage(image: string): { name: string } {
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return { name: colon > lastSlash ? noDigest.slice(0, colon) : noDigest };
}

function applyImages(objects: Obj[], images: Obj[]): void {
  for (const obj of objects) {
    for (const spec of podSpecs(obj)) {
      for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
        const { name } = splitImage(String(c.image));
        const rule = images.find((i) => i.name === name);
        if (!rule) continue;
        const newName = rule.newName ?? name;
        c.image = rule.digest ? `${newName}@${rule.digest}` : rule.newTag !== undefined ? `${newName}:${rule.newTag}` : newName;
      }
    }
  }
}

function applyReplicas(objects: Obj[], replicas: Obj[], dir: string): void {
  for (const r of replicas) {
    const targets = objects.filter((o) => ['Deployment', 'StatefulSet', 'ReplicaSet'].includes(o.kind) && o.metadata?.name === r.name);
    if (targets.length === 0) throw new Error(`${dir}: replicas: no Deployment/StatefulSet named ${r.name}`);
    if (!Number.isInteger(r.count) || r.count < 0) throw new Error(`${dir}: replicas: ${r.name}: count must be a non-negative integer`);
    for (const t of targets) t.spec.replicas = r.count;
  }
}

// ------------------------------------------------------------------------ render

export function render(dir: string): Rendered {
  const kfile = kustomizationFile(dir);
  const files = [kfile];
  const k = parse(readFileSync(kfile, 'utf8')) as Obj;
  for (const field of Object.keys(k)) {
    if (!SUPPORTED_FIELDS.has(field)) throw new Error(`${kfile}: field "${field}" is not supported by this renderer`);
  }
  if (k.kind !== undefined && k.kind !== 'Kustomization') throw new Error(`${kfile}: kind ${k.kind} is not supported`);

  let objects: Obj[] = [];
  for (const res of k.resources ?? []) {
    const p = resolve(dir, String(res));
    if (!existsSync(p)) throw new Error(`${kfile}: resource ${res} does not exist`);
    if (statSync(p).isDirectory()) {
      const sub = render(p);
      objects.push(...sub.objects);
      files.push(...sub.files);
    } else {
      files.push(p);
      objects.push(...readYamlDocs(p));
    }
  }
  for (const o of objects) {
    if (findIndex(objects, o.kind, o.metadata?.name, o.metadata?.namespace) !== objects.indexOf(o)) {
      throw new Error(`${kfile}: ${o.kind}/${o.metadata?.name} is defined twice`);
    }
  }

  const options = k.generatorOptions ?? {};
  for (const gen of k.configMapGenerator ?? []) runGenerator(objects, dir, gen, 'ConfigMap', options, files);
  for (const gen of k.secretGenerator ?? []) runGenerator(objects, dir, gen, 'Secret', options, files);

  for (const entry of k.patches ?? []) {
    if (entry.target !== undefined) throw new Error(`${kfile}: patches with a target are not supported`);
    if (entry.options !== undefined) throw new Error(`${kfile}: patch options are not supported`);
    let docs: Obj[];
    let source: string;
    if (typeof entry.path === 'string') {
      source = resolve(dir, entry.path);
      if (!existsSync(source)) throw new Error(`${kfile}: patch ${entry.path} does not exist`);
      files.push(source);
      docs = readYamlDocs(source);
    } else if (typeof entry.patch === 'string') {
      source = `${kfile} (inline patch)`;
      docs = [parse(entry.patch) as Obj];
    } else {
      throw new Error(`${kfile}: a patch needs path or patch`);
    }
    if (docs.length !== 1) throw new Error(`${source}: one patch per file (found ${docs.length})`);
    if (Array.isArray(docs[0])) throw new Error(`${source}: JSON 6902 patches are not supported`);
    applyPatch(objects, docs[0], source);
  }

  if (k.replicas) applyReplicas(objects, k.replicas, kfile);
  if (k.images) applyImages(objects, k.images);
  if (k.namespace) {
    objects = objects.map((o) => (CLUSTER_SCOPED.has(o.kind) ? o : { ...o, metadata: { ...o.metadata, namespace: k.namespace } }));
  }
  return { objects, files };
}
