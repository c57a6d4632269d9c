import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '@tollgate/config';
import { TollgateError } from '@tollgate/contracts';
import { ModelRouter } from './model-router';

const cfg = parseConfig(
  `model_list:
  - model_name: gpt
    litellm_params: { model: openai/a, rpm: 100 }
    model_info: { id: a }
  - model_name: gpt
    litellm_params: { model: openai/b, rpm: 300 }
    model_info: { id: b }
  - model_name: solo
    litellm_params: { model: openai/s }
  - model_name: even
    litellm_params: { model: openai/e1 }
  - model_name: even
    litellm_params: { model: openai/e2 }
`,
  {},
  't',
);

test('deployments of one model group share traffic weighted by rpm', () => {
  let i = 0;
  const seq = [0.0, 0.2, 0.26, 0.5, 0.99];
  const r = new ModelRouter(cfg.deployments, () => seq[i++ % seq.length]);
  assert.deepEqual(seq.map(() => r.pick('gpt').id), ['a', 'a', 'b', 'b', 'b']);
});

test('without weights the choice is uniform and covers every deployment', () => {
  const r = new ModelRouter(cfg.deployments);
  const seen = new Set<string>();
  for (let k = 0; k < 200; k++) seen.add(r.pick('even').upstreamModel);
  assert.deepEqual([...seen].sort(), ['e1', 'e2']);
});

test('an unknown model is a 400 that lists the available models', () => {
  const r = new ModelRouter(cfg.deployments);
  assert.deepEqual(r.modelNames(), ['gpt', 'solo', 'even']);
  assert.throws(() => r.pick('gpt-5'), (e: TollgateError) => {
    assert.equal(e.status, 400);
    assert.equal(e.param, 'model');
    assert.match(e.message, /model=gpt-5.*Available models: gpt, solo, even/);
    return true;
  });
});
