import { readFileSync } from 'node:fs';
import generated from './generated/price-table.json';
import {
  mergePrice,
  pricesFromCompact,
  pricesFromLiteLLMMap,
  samePrice,
  type CompactTable,
} from './litellm-map';
import { KNOWN_GAPS } from './overrides';
import { providerFamily, sameProvider } from './provider';
import type { ModelPrice, PriceMatch } from './types';

export type PriceEntries = PriceTable | ReadonlyMap<string, ModelPrice> | Readonly<Record<string, ModelPrice>>;

export interface MapLoadOptions {
  /** Fill the hand-kept known gaps (overrides.ts) under the map's own entries. Default true. */
  readonly knownGaps?: boolean;
}

let builtIn: PriceTable | undefined;

/**
 * An immutable table of model prices keyed as in LiteLLM's map, with a lookup that accepts the
 * names callers actually send. Derive new tables with merge/withDefaults; never mutated, so one
 * instance can be shared by every request.
 */
export class PriceTable {
  private readonly entries: ReadonlyMap<string, ModelPrice>;
  /** "model" and "ns/model" tails of slashed keys → the keys ending in them; built on first miss. */
  private suffixes: Map<string, string[]> | undefined;

  private constructor(entries: ReadonlyMap<string, ModelPrice>) {
    this.entries = entries;
  }

  /** Tollgate's shipped table (generated from LiteLLM's map) with the known gaps filled; loaded once. */
  static builtIn(): PriceTable {
    builtIn ??= new PriceTable(pricesFromCompact(generated as unknown as CompactTable)).withDefaults(KNOWN_GAPS);
    return builtIn;
  }

  /** A table from a parsed map in LiteLLM's model_prices_and_context_window.json format. */
  static fromLiteLLMMap(json: object, options: MapLoadOptions = {}): PriceTable {
    const table = new PriceTable(pricesFromLiteLLMMap(json));
    return options.knownGaps === false ? table : table.withDefaults(KNOWN_GAPS);
  }

  /** Reads a LiteLLM-format map from disk (synchronously: this is start-up or reload work). */
  static fromFile(path: string, options: MapLoadOptions = {}): PriceTable {
    const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (json === null || typeof json !== 'object') throw new TypeError(`${path}: not a JSON object`);
    return PriceTable.fromLiteLLMMap(json, options);
  }

  static fromEntries(entries: PriceEntries): PriceTable {
    return new PriceTable(new Map(toPairs(entries)));
  }

  get size(): number {
    return this.entries.size;
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** The entry stored under exactly this key. */
  get(key: string): ModelPrice | undefined {
    return this.entries.get(key);
  }

  /** A new table where the given entries win, field by field (a price not given is kept). */
  merge(overrides: PriceEntries): PriceTable {
    const next = new Map(this.entries);
    for (const [key, price] of toPairs(overrides)) next.set(key, mergePrice(next.get(key), price));
    return new PriceTable(next);
  }

  /** A new table with the given entries added only where this table has no such key. */
  withDefaults(defaults: PriceEntries): PriceTable {
    const next = new Map(this.entries);
    for (const [key, price] of toPairs(defaults)) if (!next.has(key)) next.set(key, price);
    return new PriceTable(next);
  }

  /**
   * Finds the price for a model, most specific form first:
   *  1. `provider/model` (and the provider's family, e.g. `vertex_ai/` for `vertex_ai_beta`);
   *  2. `model` as a key, if its litellm_provider is of the same family as `provider` (a bare
   *     `gpt-4o` is OpenAI's price, not Azure's); without a provider, any entry;
   *  3. without a provider, `a/b` is read as provider `a`, model `b`, and steps 1-2 repeat;
   *  4. Vertex's `name@version` also as `name-version`;
   *  5. a key that ends in `/model` (e.g. `mistral-large@2411` → `vertex_ai/mistral-large@2411`),
   *     if every such key of the provider's family charges the same.
   * A provider mismatch is a miss, as in LiteLLM: a wrong price is worse than a reported unknown.
   */
  lookup(model: string, provider?: string): PriceMatch | undefined {
    const name = model.trim();
    if (!name) return undefined;
    const given = provider?.trim() || undefined;
    const direct = this.find(name, given);
    if (direct) return direct;
    const [p, m] = given ? [given, stripPrefix(name, given)] : splitProvider(name);
    if (m.includes('@')) {
      const dashed = this.find(m.replace('@', '-'), p);
      if (dashed) return dashed;
    }
    return this.bySuffix(m, p);
  }

  private find(model: string, provider: string | undefined): PriceMatch | undefined {
    if (provider === undefined) {
      const exact = this.hit(model);
      if (exact) return exact;
      const [p, m] = splitProvider(model);
      return p === undefined ? undefined : this.find(m, p);
    }
    const bare = stripPrefix(model, provider);
    for (const prefix of new Set([provider, providerFamily(provider)])) {
      const prefixed = this.hit(`${prefix}/${bare}`);
      if (prefixed) return prefixed;
    }
    const exact = this.hit(bare);
    return exact && sameProvider(exact.price.litellm_provider, provider) ? exact : undefined;
  }

  private hit(key: string): PriceMatch | undefined {
    const price = this.entries.get(key);
    return price ? { key, price } : undefined;
  }

  private bySuffix(model: string, provider: string | undefined): PriceMatch | undefined {
    const keys = (this.suffixes ??= this.buildSuffixes()).get(model) ?? [];
    const matches = keys
      .map((key) => ({ key, price: this.entries.get(key)! }))
      .filter((m) => provider === undefined || sameProvider(m.price.litellm_provider, provider));
    const first = matches[0];
    return first && matches.every((m) => samePrice(m.price, first.price)) ? first : undefined;
  }

  private buildSuffixes(): Map<string, string[]> {
    const index = new Map<string, string[]>();
    for (const key of [...this.entries.keys()].sort()) {
      for (let i = key.indexOf('/'); i !== -1; i = key.indexOf('/', i + 1)) {
        const tail = key.slice(i + 1);
        const list = index.get(tail);
        if (list) list.push(key);
        else index.set(tail, [key]);
      }
    }
    return index;
  }
}

function toPairs(entries: PriceEntries): Iterable<[string, ModelPrice]> {
  if (entries instanceof PriceTable) return [...entries.keys()].map((k) => [k, entries.get(k)!]);
  if (entries instanceof Map) return entries.entries();
  return Object.entries(entries as Readonly<Record<string, ModelPrice>>);
}

function stripPrefix(model: string, provider: string): string {
  return model.startsWith(`${provider}/`) ? model.slice(provider.length + 1) : model;
}

function splitProvider(model: string): [string | undefined, string] {
  const slash = model.indexOf('/');
  return slash > 0 ? [model.slice(0, slash), model.slice(slash + 1)] : [undefined, model];
}
