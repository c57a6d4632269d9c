/**
 * LiteLLM's duration strings (`30s`, `30m`, `1h`, `1d`, `7d`, `2w`, `1mo`; a bare number is seconds)
 * and `get_next_standardized_reset_time`: when a `budget_duration` next resets. All times are UTC.
 */
export interface Duration {
  value: number;
  unit: 's' | 'm' | 'h' | 'd' | 'w' | 'mo';
}

const DURATION = /^(\d{1,6})(mo|[smhdw])?$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DAY_MS = 86_400_000;

/** null when the text is not a duration */
export function parseDuration(text: string | null | undefined): Duration | null {
  if (typeof text !== 'string') return null;
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  return { value: Number(m[1]), unit: (m[2] ?? 's') as Duration['unit'] };
}

/** Approximate length in ms (a month counts as 30 days): for window sizes, never for reset times. */
export function durationMs(d: Duration): number {
  return d.unit === 'mo' ? d.value * 30 * DAY_MS : d.value * UNIT_MS[d.unit];
}

function midnight(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

function firstOfMonth(now: Date, monthsAhead: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + monthsAhead, 1));
}

/** the first `base + k·step·unit` strictly after now */
function nextBoundary(base: number, now: Date, step: number, unitMs: number): Date {
  const k = Math.floor(Math.floor((now.getTime() - base) / unitMs) / step) + 1;
  return new Date(base + k * step * unitMs);
}

/**
 * `budget_reset_at` for a duration starting now, on LiteLLM's standardized boundaries: `1d` next
 * midnight, `7d`/`1w` next Monday, `30d`/`1mo` the 1st of next month, other `Nd` midnight + N days,
 * `Nh`/`Nm`/`Ns` the next hour / minute / second boundary divisible by N.
 */
export function nextResetAt(d: Duration, now: Date): Date {
  const days = d.unit === 'w' ? d.value * 7 : d.unit === 'd' ? d.value : null;
  if (days !== null) {
    if (days === 0) return now;
    if (days === 1) return new Date(midnight(now) + DAY_MS);
    if (days === 7) return new Date(midnight(now) + (((8 - now.getUTCDay()) % 7) || 7) * DAY_MS);
    if (days === 30) return firstOfMonth(now, 1);
    return new Date(midnight(now) + days * DAY_MS);
  }
  if (d.value === 0) return now;
  switch (d.unit) {
    case 'mo':
      return firstOfMonth(now, d.value);
    case 'h':
      return nextBoundary(midnight(now), now, d.value, UNIT_MS.h);
    case 'm':
      return nextBoundary(now.getTime() - (now.getTime() % UNIT_MS.h), now, d.value, UNIT_MS.m);
    default:
      return nextBoundary(now.getTime() - (now.getTime() % UNIT_MS.m), now, d.value, UNIT_MS.s);
  }
}

