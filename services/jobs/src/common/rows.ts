export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function unixSeconds(v: Date | string | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  return Math.floor((v instanceof Date ? v : new Date(v)).getTime() / 1000);
}

export function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * TypeORM's Postgres `query()` answers an UPDATE / DELETE with `[rows, rowCount]` but an INSERT or
 * SELECT with the rows: this returns the rows either way.
 */
export function returned<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
