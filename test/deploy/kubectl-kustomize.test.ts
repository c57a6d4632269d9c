/**
 * The real `kubectl kustomize` (or `kustomize build`), where the machine has one, renders both
 * overlays, and its output is exactly what the tests' own renderer (kustomize.ts) produces, so the
 * rest of the deploy tests check what a cluster would get. Skipped, saying so, where neither
 * binary is on the PATH: no registry package ships one, and nothing is downloaded.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe as suite, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { render } from './kustomize';
import { K8S, Obj, validateK8s, describe } from './support';

function findRenderer(): { cmd: string; args: (dir: string) => string[] } | null {
  const kubectl = spawnSync('kubectl', ['kustomize', '--help'], { encoding: 'utf8' });
  if (kubectl.status === 0) return { cmd: 'kubectl', args: (dir) => ['kustomize', dir] };
  const kustomize = spawnSync('kustomize', ['version'], { encoding: 'utf8' });
  if (kustomize.status === 0) return { cmd: 'kustomize', args: (dir) => ['build', dir] };
  return null;
}

/** kustomize folds long base64 Secret values over lines; the value is the same */
function unfoldSecretData(o: Obj): Obj {
  if (o.kind !== 'Secret' || !o.data) return o;
  return { ...o, data: Object.fromEntries(Object.entries<string>(o.data).map(([k, v]) => [k, v.replace(/\s+/g, '')])) };
}

const id = (o: Obj) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
const renderer = findRenderer();
const skip = renderer ? false : 'neither kubectl nor kustomize is on the PATH (apt-get install kubectl, or a kustomize binary): only the tests\' own renderer checked the overlays';

suite('kubectl kustomize', () => {
  for (const overlay of ['dev', 'production']) {
    test(`renders overlays/${overlay} exactly as the tests' renderer does`, { skip }, () => {
      const dir = join(K8S, 'overlays', overlay);
      const r = spawnSync(renderer!.cmd, renderer!.args(dir), { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
      assert.equal(r.status, 0, `${renderer!.cmd} ${renderer!.args(dir).join(' ')}: ${r.stderr}`);
      const real = parseAllDocuments(r.stdout).map((d) => d.toJSON() as Obj).filter(Boolean).map(unfoldSecretData);
      const ours = render(dir).objects;
      assert.deepEqual(real.map(id).sort(), ours.map(id).sort(), 'the same objects');
      const byId = new Map(ours.map((o) => [id(o), o]));
      for (const o of real) {
        assert.deepEqual(o, byId.get(id(o)), id(o));
        assert.doesNotThrow(() => validateK8s(o), describe(o));
      }
    });
  }
});
