/**
 * Helpers shared by the deploy tests: where the repo is, YAML loading, and validation of
 * Kubernetes objects against their schemas (kubernetes-models).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type Obj = Record<string, any>;

/** The repository root: the nearest folder above this file whose package.json is "tollgate". */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'tollgate') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no tollgate package.json above ${__dirname}`);
    dir = up;
  }
}

export const ROOT = repoRoot();
export const K8S = resolve(ROOT, 'deploy/k8s');

/** Every YAML document in a file (empty documents, e.g. a file of comments, are skipped). */
export function readYamlDocs(path: string): Obj[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'));
  const out: Obj[] = [];
  for (const doc of docs) {
    if (doc.errors.length) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) out.push(value as Obj);
  }
  return out;
}

export function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFilesUnder(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** A kustomization file, not a Kubernetes object. */
export function isKustomization(obj: Obj): boolean {
  return typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('kustomize.config.k8s.io/');
}

/**
 * Validates one object against the schema of its apiVersion/kind. kubernetes-models lays its
 * classes out as `<group>/<version>/<Kind>` (core: `v1/<Kind>`), so the module path follows from
 * the object itself; an unknown apiVersion/kind fails.
 */
export function validateK8s(obj: Obj): void {
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    throw new Error(`not a Kubernetes object (apiVersion/kind missing): ${JSON.stringify(obj).slice(0, 120)}`);
  }
  if (!/^[a-z0-9.]+(\/v[0-9a-z]+)?$/.test(obj.apiVersion) || !/^[A-Z][A-Za-z]+$/.test(obj.kind)) {
    throw new Error(`unexpected apiVersion/kind ${obj.apiVersion} ${obj.kind}`);
  }
  let mod: Obj;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(`kubernetes-models/${obj.apiVersion}/${obj.kind}`);
  } catch {
    throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
  }
  const Model = mod[obj.kind];
  if (typeof Model !== 'function') throw new Error(`no model class for ${obj.apiVersion} ${obj.kind}`);
  new Model(obj).validate();
}

export function describe(obj: Obj): string {
  return `${obj.kind}/${obj.metadata?.name}`;
}

/** Service names of the design (DESIGN.md "Services"). */
export const SERVICES = ['gateway', 'keys', 'budget', 'guardrails', 'jobs', 'logging'] as const;
export const HPA_SERVICES = ['gateway', 'budget', 'guardrails', 'logging'] as const;
