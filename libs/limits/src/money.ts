/*
 * Money in the limits layer is integer pico-dollars (1e-12 $). In Redis it is a decimal integer
 * string and the admission script compares those strings exactly (never as Lua doubles, which
 * lose whole pico-dollars past ~9,007 $); in TypeScript it is a bigint; in Postgres NUMERIC.
 */

const DECIMAL = /^(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;
const PICO_DIGITS = 12;

/** Dollars (as the API edge carries them, a JS number) to pico-dollars, exactly, rounded half up. */
export function dollarsToPico(dollars: number): bigint {
  if (!Number.isFinite(dollars)) throw new RangeError(`not an amount of money: ${dollars}`);
  if (dollars < 0) return -dollarsToPico(-dollars);
  const m = DECIMAL.exec(String(dollars));
  if (!m) throw new RangeError(`not an amount of money: ${dollars}`);
  const fraction = m[2] ?? '';
  const mantissa = BigInt(m[1] + fraction);
  const shift = Number(m[3] ?? 0) - fraction.length + PICO_DIGITS;
  if (shift >= 0) return mantissa * 10n ** BigInt(shift);
  const div = 10n ** BigInt(-shift);
  return (mantissa + div / 2n) / div;
}

/** Pico-dollars to the LiteLLM-compatible float. */
export function picoToDollars(pico: bigint | string): number {
  const p = typeof pico === 'string' ? BigInt(pico) : pico;
  const whole = p / 1_000_000_000_000n;
  const frac = p % 1_000_000_000_000n;
  return Number(whole) + Number(frac) / 1e12;
}

/**
 * A float as Python's `str()` prints it (LiteLLM's messages are Python f-strings):
 * `15.0`, `15.2`, `1e-07`, `1.5e+16`.
 */
export function pyFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : n < 0 ? '-inf' : 'nan';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const sign = n < 0 ? '-' : '';
  const [mant, expText] = Math.abs(n).toExponential().split('e');
  const digits = mant.replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${body}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fracPart = digits.slice(exp + 1);
  return `${sign}${intPart}.${fracPart || '0'}`;
}
