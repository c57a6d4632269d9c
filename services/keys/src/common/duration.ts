/**
 * LiteLLM's duration strings: `30s`, `30m`, `30h`, `30d`, `2w`, `1mo` (a bare number is seconds),
 * as `duration_in_seconds` / `get_next_standardized_reset_time` read them. All times are UTC.
 */
export interface Duration {
  value: number;
  unit: 's' | 'm' | 'h' | 'd' | 'w' | 'mo';
}

const DURATION = /^(\d{1,6})(mo|[smhdw])?$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;

/** null when the string is not a duration */
export function parseDuration(text: string): Duration | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  return { value: Number(m[1]), unit: (m[2] ?? 's') as Duration['unit'] };
}

/** `expires` for a key created or updated now with this duration. */
export function addDuration(d: Duration, now: Date): Date {
  if (d.unit === 'mo') {
    const t = new Date(now.getTime());
    t.setUTCMonth(t.getUTCMonth() + d.value);
    return t;
  }
  return new Date(now.getTime() + d.value * UNIT_SECONDS[d.unit] * 1000);
}

const DAY_MS = 86_400_000;

function midnight(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

function firstOfNextMonth(now: Date, months = 1): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, 1));
}

/** the first multiple of `step` (in `unitMs` after `base`) strictly after `now` */
function nextBoundary(base: number, now: Date, step: number, unitMs: number): Date {
  const elapsed = Math.floor((now.getTime() - base) / unitMs);
  const k = Math.floor(elapsed / step) + 1;
  return new Date(base + k * step * unitMs);
}

/**
 * `budget_reset_at` for a budget_duration, on LiteLLM's standardized boundaries: `1d` next midnight,
 * `7d`/`1w` next Monday, `30d`/`1mo` the 1st of next month, other `Nd` today's midnight + N days,
 * `Nh`/`Nm`/`Ns` the next hour/minute/second boundary divisible by N.
 */
export function nextResetAt(d: Duration, now: Date): Date {
  const days = d.unit === 'w' ? d.value * 7 : d.unit === 'd' ? d.value : null;
  if (days !== null) {
    if (days === 0) return now;
    if (days === 1) return new Date(midnight(now) + DAY_MS);
    if (days === 7) {
      const untilMonday = ((8 - now.getUTCDay()) % 7) || 7;
      return new Date(midnight(now) + untilMonday * DAY_MS);
    }
    if (days === 30) return firstOfNextMonth(now);
    return new Date(midnight(now) + days * DAY_MS);
  }
  if (d.value === 0) return now;
  switch (d.unit) {
    case 'mo':
      return firstOfNextMonth(now, d.value);
    case 'h':
      return nextBoundary(midnight(now), now, d.value, 3_600_000);
    case 'm':
      return nextBoundary(now.getTime() - (now.getTime() % 3_600_000), now, d.value, 60_000);
    case 's':
      return nextBoundary(now.getTime() - (now.getTime() % 60_000), now, d.value, 1000);
    default:
      return now;
  }
}
