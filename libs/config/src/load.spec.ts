import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from './load';
import { DEFAULT_CONFIG_YAML } from './default-config';

const env = { PATH: '/bin' } as NodeJS.ProcessEnv;

test('the built-in default config serves mock models for chat, completion, embedding and speech', () => {
  const c = parseConfig(DEFAULT_CONFIG_YAML, env, 'default');
  const names = c.deployments.map((d) => d.modelName);
  for (const m of ['gpt-4o-mini', 'gpt-3.5-turbo-instruct', 'text-embedding-3-small', 'tts-1']) assert.ok(names.includes(m), m);
  assert.ok(c.deployments.every((d) => d.provider === 'mock'));
  assert.equal(c.masterKey, undefined);
  assert.equal(c.databaseUrl, 'postgres://postgres@127.0.0.1:5432/tollgate');
});

test('model_list entries resolve provider, upstream model, os.environ references and ids', () => {
  const yaml = `
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/MY_KEY
      api_base: http://127.0.0.1:9999/v1
      rpm: 100
  - model_name: o1
    litellm_params:
      model: openrouter/openai/o1
general_settings:
  master_key: os.environ/MASTER
`;
  const c = parseConfig(yaml, { MY_KEY: 'sk-upstream', MASTER: 'sk-master' }, 'test.yaml');
  const [a, b] = c.deployments;
  assert.equal(a.provider, 'openai');
  assert.equal(a.upstreamModel, 'gpt-4o');
  assert.equal(a.apiKey, 'sk-upstream');
  assert.equal(a.id, 'gpt-4o-0');
  assert.equal(b.provider, 'openrouter');
  assert.equal(b.upstreamModel, 'openai/o1');
  assert.equal(c.masterKey, 'sk-master');
  assert.equal(a.timeoutMs, 600_000);
});

test('unknown keys are kept and ignored, so LiteLLM configs load unchanged', () => {
  const c = parseConfig('model_list: []\nrouter_settings:\n  routing_strategy: simple-shuffle\nlitellm_settings:\n  success_callback: ["langfuse"]\n', env, 'x');
  assert.deepEqual((c.file as Record<string, unknown>).router_settings, { routing_strategy: 'simple-shuffle' });
});

test('an invalid config names the bad field', () => {
  assert.throws(() => parseConfig('model_list:\n  - model_name: x\n    litellm_params:\n      model: gpt-4o\n', env, 'bad.yaml'), (e: Error) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /bad\.yaml: invalid config at model_list\.0\.litellm_params\.model/);
    return true;
  });
  assert.throws(() => parseConfig('model_list:\n  - model_name: x\n    litellm_params:\n      model: openai/x\n      rpm: lots\n', env, 'b'), /model_list\.0\.litellm_params\.rpm/);
  assert.throws(() => parseConfig('model_list: [\n', env, 'c'), /c: invalid YAML/);
});

test('a missing os.environ variable is an error naming it and its place', () => {
  assert.throws(() => parseConfig('model_list:\n  - model_name: x\n    litellm_params:\n      model: openai/x\n      api_key: os.environ/NOPE\n', env, 'd'), /model_list\[0\]\.litellm_params\.api_key: environment variable NOPE is not set/);
});

test('duplicate model_info.id is refused', () => {
  const yaml = 'model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n    model_info: {id: same}\n  - model_name: b\n    litellm_params: {model: openai/b}\n    model_info: {id: same}\n';
  assert.throws(() => parseConfig(yaml, env, 'e'), /duplicate model_info.id "same"/);
});

test('env wins over the file for the master key and the database URL; request size limit from general_settings', () => {
  const c = parseConfig('general_settings:\n  master_key: sk-file\n  database_url: postgres://x@h/db\n  max_request_size_mb: 1\n', { TOLLGATE_MASTER_KEY: 'sk-env', DATABASE_URL: 'postgres://y@h/other' }, 'f');
  assert.equal(c.masterKey, 'sk-env');
  assert.equal(c.databaseUrl, 'postgres://y@h/other');
  assert.equal(c.maxBodyBytes, 1024 * 1024);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.file.general_settings));
});

test('TOLLGATE_NAMESPACE is validated', () => {
  assert.throws(() => parseConfig('{}', { TOLLGATE_NAMESPACE: 'has.dots' }, 'g'), /TOLLGATE_NAMESPACE/);
});
