/** NUMERIC and BIGINT columns come back from pg as strings; the API shows LiteLLM's floats / ints. */
export function num(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  return Number(v);
}

export function num0(v: string | number | null | undefined): number {
  return v === null || v === undefined ? 0 : Number(v);
}

export function iso(v: Date | string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return (v instanceof Date ? v : new Date(v)).toISOString();
}

export function isoNow(v: Date | string): string {
  return (v instanceof Date ? v : new Date(v)).toISOString();
}

export function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function asStringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function asNumberRecord(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(asRecord(v))) if (typeof x === 'number') out[k] = x;
  return out;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * TypeORM's deep-partial type cannot take `Record<string, unknown>` for a jsonb column, although
 * it writes one fine (JSON.stringify); this one cast keeps the repositories free of `any`.
 */
export function writable<T>(cols: T): never {
  return cols as never;
}
