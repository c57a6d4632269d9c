import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getProvider, providerIds, registerProvider } from './registry';
import { openaiProvider } from './openai/openai.provider';

describe('provider registry', () => {
  test('serves the built-in providers by their litellm prefix', () => {
    assert.deepEqual(providerIds().slice(0, 4), ['openai', 'openrouter', 'azure', 'anthropic']);
    for (const id of ['openai', 'openrouter', 'azure', 'anthropic']) assert.equal(getProvider(id)?.id, id);
    assert.equal(getProvider('nope'), undefined);
  });

  test('registerProvider adds a provider (how the in-process mock plugs in)', () => {
    registerProvider({ ...openaiProvider, id: 'spec-extra' });
    assert.equal(getProvider('spec-extra')?.id, 'spec-extra');
    assert.ok(providerIds().includes('spec-extra'));
  });

  test('calls each provider supports', () => {
    assert.deepEqual([...(getProvider('anthropic')?.calls ?? [])], ['chat']);
    assert.deepEqual([...(getProvider('openai')?.calls ?? [])].sort(), ['chat', 'completion', 'embedding', 'speech']);
  });
});
