import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KNOWN_GAPS, PriceTable } from './index';
import { HAS_SHARED_MAP, readSharedMap, repoRoot, SHARED_MAP_PATH } from '../test/support';

interface GeneratedTable {
  meta: { generated: string; entries: number; [k: string]: unknown };
  models: Record<string, unknown[]>;
}
interface Generator {
  buildPriceTable(map: object, options?: { generated?: string; sourceFile?: string }): GeneratedTable;
  serializePriceTable(table: GeneratedTable): string;
}

const root = repoRoot();
const committedPath = join(root, 'libs', 'pricing', 'src', 'generated', 'price-table.json');
// The generator is plain CommonJS outside this project, so it is required, not imported.
const generator = require(join(root, 'scripts', 'generate-pricing.js')) as Generator;

test('the committed table is what the generator makes of the shared map (apart from the date)', { skip: !HAS_SHARED_MAP && 'no shared map' }, () => {
  const committedText = readFileSync(committedPath, 'utf8');
  const committed = JSON.parse(committedText) as GeneratedTable;
  const regenerated = generator.buildPriceTable(readSharedMap(), { generated: committed.meta.generated });
  assert.deepEqual(regenerated, committed);
  assert.equal(generator.serializePriceTable(regenerated), committedText, 'same bytes: rerun npm run pricing:generate');
});

test('the committed table is compact and has its metadata', () => {
  const text = readFileSync(committedPath, 'utf8');
  assert.ok(Buffer.byteLength(text) < 512 * 1024, `${Buffer.byteLength(text)} bytes`);
  const table = JSON.parse(text) as GeneratedTable;
  assert.match(String(table.meta.source), /LiteLLM/);
  assert.match(table.meta.generated, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(table.meta.entries, Object.keys(table.models).length);
  assert.equal(table.models['sample_spec'], undefined);
});

test('the generator skips unpriced entries, sample_spec and non-objects', () => {
  const t = generator.buildPriceTable({
    sample_spec: { input_cost_per_token: 0, litellm_provider: 'x' },
    last_updated: '2026-01-01',
    'image-only': { output_cost_per_image: 0.04, litellm_provider: 'openai', mode: 'image_generation' },
    'free-model': { input_cost_per_token: 0, output_cost_per_token: 0, litellm_provider: 'gemini', mode: 'chat' },
    'x/m': { input_cost_per_token: 1e-6, input_cost_per_character: 2e-6, litellm_provider: 'x', max_tokens: 10 },
  }, { generated: '2026-01-01' });
  assert.deepEqual(t.models, {
    'free-model': ['gemini', 'chat', 0, 0],
    'x/m': ['x', null, 1e-6, null, null, null, null, null, 2e-6],
  });
  assert.equal(t.meta.entries, 2);
  assert.equal(t.meta['source_last_updated'], '2026-01-01');
});

test('loading the shared map at run time gives the built-in table', { skip: !HAS_SHARED_MAP && 'no shared map' }, () => {
  const runtime = PriceTable.fromFile(SHARED_MAP_PATH);
  const builtIn = PriceTable.builtIn();
  assert.deepEqual(new Set(runtime.keys()), new Set(builtIn.keys()));
  for (const key of builtIn.keys()) assert.deepEqual(runtime.get(key), builtIn.get(key), key);
});

test('a newer map loaded at run time wins over the built-in prices, and known gaps are still filled', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-pricing-'));
  try {
    const file = join(dir, 'map.json');
    writeFileSync(file, JSON.stringify({
      sample_spec: { input_cost_per_token: 0 },
      'gpt-4o': { litellm_provider: 'openai', mode: 'chat', input_cost_per_token: 1e-6, output_cost_per_token: 4e-6 },
      'vertex_ai/mistral-large@2411': { litellm_provider: 'vertex_ai-mistral_models', input_cost_per_token: 3e-6, output_cost_per_token: 9e-6 },
    }));
    const t = PriceTable.fromFile(file);
    assert.equal(t.lookup('gpt-4o')?.price.input_cost_per_token, 1e-6);
    assert.equal(t.lookup('mistral-large@2411', 'vertex_ai')?.price.input_cost_per_token, 3e-6, 'the map beats a known-gap default');
    assert.equal(t.lookup('codestral@latest', 'vertex_ai')?.price.input_cost_per_token, 2e-7, 'gaps filled');
    assert.equal(t.get('sample_spec'), undefined);
    assert.equal(PriceTable.fromFile(file, { knownGaps: false }).size, 2);
    assert.equal(t.size, 2 + Object.keys(KNOWN_GAPS).length - 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('loading a broken map fails loudly at load time', () => {
  assert.throws(() => PriceTable.fromLiteLLMMap([] as unknown as object), TypeError);
});
