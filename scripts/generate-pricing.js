#!/usr/bin/env node
// Generates libs/pricing/src/generated/price-table.json, Tollgate's compact price table, from a map
// in LiteLLM's model_prices_and_context_window.json format (MIT, BerriAI/litellm).
// Usage: node scripts/generate-pricing.js [path-to-map]
//   default map: ../shared/data/model_prices_and_context_window.json, relative to the repo root.
// The output keeps only the fields Tollgate prices with, one model per line so a price change
// shows up as a one-line diff. libs/pricing/src/generated.spec.ts regenerates the table in memory
// with buildPriceTable() and fails if the committed file has drifted from this script.
'use strict';
const { readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const { resolve, dirname, basename } = require('node:path');

const ROOT = resolve(__dirname, '..');
const DEFAULT_MAP = resolve(ROOT, '..', 'shared', 'data', 'model_prices_and_context_window.json');
const OUTPUT = resolve(ROOT, 'libs', 'pricing', 'src', 'generated', 'price-table.json');

// Position in each model's array. libs/pricing/src/compact.ts reads the same order: change both.
const FIELDS = [
  'litellm_provider',
  'mode',
  'input_cost_per_token',
  'output_cost_per_token',
  'cache_read_input_token_cost',
  'output_cost_per_reasoning_token',
  'input_cost_per_token_batches',
  'output_cost_per_token_batches',
  'input_cost_per_character',
  'output_cost_per_character',
];
const PRICE_FIELDS = FIELDS.slice(2);
const SKIPPED_KEYS = new Set(['sample_spec']);

function isPrice(v) {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/** One map entry as a compact array, or null when it carries no price Tollgate uses. */
function compactEntry(entry) {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return null;
  if (!PRICE_FIELDS.some((f) => isPrice(entry[f]))) return null;
  const row = FIELDS.map((f) => {
    const v = entry[f];
    if (f === 'litellm_provider' || f === 'mode') return typeof v === 'string' ? v : null;
    return isPrice(v) ? v : null;
  });
  while (row.length > 0 && row[row.length - 1] === null) row.pop();
  return row;
}

/**
 * Builds the table object from a parsed map. Pure: the caller supplies the date so the spec can
 * compare a regenerated table with the committed one.
 */
function buildPriceTable(map, options) {
  const opts = options || {};
  const models = {};
  for (const key of Object.keys(map).sort()) {
    if (SKIPPED_KEYS.has(key)) continue;
    const row = compactEntry(map[key]);
    if (row) models[key] = row;
  }
  return {
    meta: {
      source: 'LiteLLM model_prices_and_context_window.json (MIT licence, BerriAI/litellm)',
      source_file: opts.sourceFile || 'model_prices_and_context_window.json',
      source_last_updated: typeof map.last_updated === 'string' ? map.last_updated : null,
      generated: opts.generated || new Date().toISOString().slice(0, 10),
      generator: 'scripts/generate-pricing.js',
      entries: Object.keys(models).length,
      fields: FIELDS,
    },
    models,
  };
}

/** Stable text form: meta on one line, then one model per line. */
function serializePriceTable(table) {
  const lines = Object.keys(table.models).map(
    (key) => `    ${JSON.stringify(key)}: ${JSON.stringify(table.models[key])}`,
  );
  return `{\n  "meta": ${JSON.stringify(table.meta)},\n  "models": {\n${lines.join(',\n')}\n  }\n}\n`;
}

function main() {
  const mapPath = resolve(process.argv[2] || DEFAULT_MAP);
  const map = JSON.parse(readFileSync(mapPath, 'utf8'));
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    throw new Error(`${mapPath}: expected a JSON object keyed by model name`);
  }
  const table = buildPriceTable(map, { sourceFile: basename(mapPath) });
  const text = serializePriceTable(table);
  mkdirSync(dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, text);
  const kb = (Buffer.byteLength(text) / 1024).toFixed(1);
  console.log(`wrote ${OUTPUT}: ${table.meta.entries} priced models of ${Object.keys(map).length} keys, ${kb} KiB`);
}

module.exports = { FIELDS, buildPriceTable, serializePriceTable, compactEntry };

if (require.main === module) main();
