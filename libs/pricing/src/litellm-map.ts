import { PRICE_FIELDS, type ModelPrice, type PriceField } from './types';

/*
 * Two sources of ModelPrice: a LiteLLM-format map (loaded by operators at run time) and Tollgate's
 * compact table written by scripts/generate-pricing.js. Both must agree; generated.spec.ts checks it.
 */

const SKIPPED_KEYS = new Set(['sample_spec']);

/** Order of the compact table's arrays; scripts/generate-pricing.js writes the same order. */
export const COMPACT_FIELDS = ['litellm_provider', 'mode', ...PRICE_FIELDS] as const;

export interface CompactTable {
  readonly meta: { readonly fields: readonly string[]; readonly [k: string]: unknown };
  readonly models: Readonly<Record<string, readonly (string | number | null)[]>>;
}

function isPrice(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The priced fields of one map entry, or undefined when it has no price Tollgate uses. */
export function priceFromEntry(entry: unknown): ModelPrice | undefined {
  if (!isRecord(entry)) return undefined;
  const out: { -readonly [K in keyof ModelPrice]: ModelPrice[K] } = {};
  let priced = false;
  for (const field of PRICE_FIELDS) {
    const v = entry[field];
    if (isPrice(v)) {
      out[field] = v;
      priced = true;
    }
  }
  if (!priced) return undefined;
  if (typeof entry.litellm_provider === 'string') out.litellm_provider = entry.litellm_provider;
  if (typeof entry.mode === 'string') out.mode = entry.mode;
  return out;
}

/** Every priced entry of a map in LiteLLM's model_prices_and_context_window.json format. */
export function pricesFromLiteLLMMap(map: object): Map<string, ModelPrice> {
  if (!isRecord(map)) throw new TypeError('a LiteLLM price map must be a JSON object keyed by model');
  const out = new Map<string, ModelPrice>();
  for (const [key, entry] of Object.entries(map)) {
    if (SKIPPED_KEYS.has(key)) continue;
    const price = priceFromEntry(entry);
    if (price) out.set(key, price);
  }
  return out;
}

/** Decodes the generated compact table. */
export function pricesFromCompact(table: CompactTable): Map<string, ModelPrice> {
  const fields = table.meta.fields;
  if (fields.length !== COMPACT_FIELDS.length || fields.some((f, i) => f !== COMPACT_FIELDS[i])) {
    throw new Error('price-table.json was written with a different field order: rerun scripts/generate-pricing.js');
  }
  const out = new Map<string, ModelPrice>();
  for (const [key, row] of Object.entries(table.models)) {
    const entry: Record<string, unknown> = {};
    row.forEach((v, i) => {
      if (v !== null) entry[COMPACT_FIELDS[i] as string] = v;
    });
    const price = priceFromEntry(entry);
    if (price) out.set(key, price);
  }
  return out;
}

/** Field-level merge: defined fields of `over` replace those of `base`. */
export function mergePrice(base: ModelPrice | undefined, over: ModelPrice): ModelPrice {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) if (v !== undefined) out[k] = v;
  return out as ModelPrice;
}

/** True when two prices charge the same for everything (provider and mode ignored). */
export function samePrice(a: ModelPrice, b: ModelPrice): boolean {
  return PRICE_FIELDS.every((f: PriceField) => a[f] === b[f]);
}
