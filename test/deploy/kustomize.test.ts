/** The test renderer's own semantics, checked on small inputs (see kustomize.ts for its scope). */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { mergeMap, render } from './kustomize';

suite('test kustomize renderer', () => {
  test('strategic merge: containers and env merge by name, other lists are replaced, null deletes', () => {
    const base = {
      spec: {
        replicas: 2,
        template: {
          spec: {
            containers: [
              { name: 'a', image: 'x', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], args: ['--one'] },
              { name: 'b', image: 'y' },
            ],
            tolerations: [{ key: 't1' }],
          },
        },
      },
    };
    const patched = mergeMap(base, {
      spec: {
        replicas: null,
        template: {
          spec: {
            containers: [{ name: 'a', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }], args: ['--two'] }],
            tolerations: [{ key: 't2' }],
          },
        },
      },
    });
    assert.equal('replicas' in patched.spec, false);
    const [a, b] = patched.spec.template.spec.containers;
    assert.equal(a.image, 'x');
    assert.deepEqual(a.env, [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }]);
    assert.deepEqual(a.args, ['--two']);
    assert.equal(b.name, 'b');
    assert.deepEqual(patched.spec.template.spec.tolerations, [{ key: 't2' }]);
    assert.equal(base.spec.replicas, 2, 'input not mutated');
  });

  test('strategic merge: $patch delete on list items and maps, $patch replace on maps', () => {
    const out = mergeMap(
      { containers: [{ name: 'a' }, { name: 'b' }], m: { x: 1, y: 2 }, n: { z: 1 } },
      { containers: [{ name: 'a', $patch: 'delete' }], m: { $patch: 'replace', x: 5 }, n: { $patch: 'delete' } },
    );
    assert.deepEqual(out, { containers: [{ name: 'b' }], m: { x: 5 } });
    assert.throws(() => mergeMap({ args: ['a'] }, { args: [{ $patch: 'delete' }] }), /without merge key/);
  });

  const dir = mkdtempSync(join(tmpdir(), 'tollgate-kustomize-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };

  test('renders resources, generators with merge, patches, replicas, images and namespace', () => {
    write('base/d.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers: [{name: c, image: "app:1"}, {name: s, image: "side:2"}]\n');
    write('base/kustomization.yaml', 'resources: [d.yaml]\ngeneratorOptions: {disableNameSuffixHash: true}\nconfigMapGenerator: [{name: cm, literals: [A=1, B=2]}]\nsecretGenerator: [{name: s, literals: [K=v]}]\n');
    write('o/p.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: [{name: c, resources: {limits: {cpu: "1"}}}]\n');
    write('o/kustomization.yaml', 'namespace: ns\nresources: [../base]\ngeneratorOptions: {disableNameSuffixHash: true}\nconfigMapGenerator: [{name: cm, behavior: merge, literals: [B=3]}]\npatches: [{path: p.yaml}]\nreplicas: [{name: d, count: 5}]\nimages: [{name: app, newName: reg/app, newTag: "9"}]\n');
    const { objects } = render(join(dir, 'o'));
    const d = objects.find((o) => o.kind === 'Deployment')!;
    assert.equal(d.spec.replicas, 5);
    assert.equal(d.metadata.namespace, 'ns');
    assert.deepEqual(d.spec.template.spec.containers, [
      { name: 'c', image: 'reg/app:9', resources: { limits: { cpu: '1' } } },
      { name: 's', image: 'side:2' },
    ]);
    assert.deepEqual(objects.find((o) => o.kind === 'ConfigMap')!.data, { A: '1', B: '3' });
    assert.equal(Buffer.from(objects.find((o) => o.kind === 'Secret')!.data.K, 'base64').toString(), 'v');
  });

  test('refuses what it does not implement, and patches of missing objects', () => {
    write('x1/kustomization.yaml', 'resources: []\ncommonLabels: {a: b}\n');
    assert.throws(() => render(join(dir, 'x1')), /commonLabels.*not supported/);
    write('x2/kustomization.yaml', 'configMapGenerator: [{name: cm, literals: [A=1]}]\n');
    assert.throws(() => render(join(dir, 'x2')), /hash suffixes are not implemented/);
    write('x3/p.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nope}\n');
    write('x3/kustomization.yaml', 'resources: [../base]\npatches: [{path: p.yaml}]\n');
    assert.throws(() => render(join(dir, 'x3')), /patch target Deployment\/nope not found/);
    write('x4/kustomization.yaml', 'resources: [../base]\npatches: [{path: p.yaml, target: {kind: Deployment}}]\n');
    assert.throws(() => render(join(dir, 'x4')), /target are not supported/);
  });
});
