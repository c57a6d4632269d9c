/** A LiteLLM duration ("30s", "10m", "12h", "30d", "2w", "1mo", "1y"). */
export interface Duration {
  amount: number;
  unit: 's' | 'm' | 'h' | 'd' | 'w' | 'mo' | 'y';
  /** length in ms; months as 30 days and years as 365, for intervals only */
  approxMs: number;
}

const FORMAT = /^(\d+)\s*(s|m|h|d|w|mo|y)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, mo: 30 * 86_400_000, y: 365 * 86_400_000 } as const;

export function parseDuration(raw: string, field: string): Duration {
  const m = FORMAT.exec(raw.trim().toLowerCase());
  if (!m || Number(m[1]) <= 0) throw new Error(`${field} must be a positive duration like "30d", "7d", "12h" or "1mo" (got "${raw}")`);
  const amount = Number(m[1]);
  const unit = m[2] as Duration['unit'];
  return { amount, unit, approxMs: amount * UNIT_MS[unit] };
}

/** The instant `d` before `now`; months and years are calendar ones (UTC), as LiteLLM counts them. */
export function subtractDuration(now: Date, d: Duration): Date {
  if (d.unit === 'mo' || d.unit === 'y') {
    const months = d.unit === 'mo' ? d.amount : d.amount * 12;
    const out = new Date(now.getTime());
    const day = out.getUTCDate();
    out.setUTCDate(1);
    out.setUTCMonth(out.getUTCMonth() - months);
    // 31 March minus one month is the last day of February, not 3 March
    const last = new Date(Date.UTC(out.getUTCFullYear(), out.getUTCMonth() + 1, 0)).getUTCDate();
    out.setUTCDate(Math.min(day, last));
    return out;
  }
  return new Date(now.getTime() - d.approxMs);
}
