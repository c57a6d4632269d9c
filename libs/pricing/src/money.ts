/*
 * Money as integer pico-dollars (1e-12 $), held in a bigint.
 *
 * Why pico: a cheap request costs ~1e-7 $ and per-token prices go down to ~1e-10 $, so micro-dollars
 * would round most requests to 0; at pico resolution every price in the map is a whole number.
 * Why bigint rather than a safe-integer number: one request fits easily under 2^53 pico (~9,007 $),
 * but spend is summed over millions of requests per key, team and month, and a running total past
 * 9,007 $ would silently lose whole pico-dollars as a float. bigint sums are exact at any size, and
 * map 1:1 onto SQL numeric / int8 columns.
 * Why not multiply floats: 1e-7 added a million times as a float is not 0.1. Prices are parsed from
 * their shortest decimal form into an exact mantissa × 10^exponent, so count × price is exact and only
 * the final conversion to pico-dollars rounds (half up, at most 0.5 pico per component).
 */

const PICO_EXPONENT = 12;

/** An exact non-negative decimal: value = mantissa × 10^exponent. */
export interface Decimal {
  readonly mantissa: bigint;
  readonly exponent: number;
}

const DECIMAL_RE = /^(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/** The exact decimal a JS number prints as (its shortest round-tripping form). */
export function toDecimal(value: number): Decimal {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`not a price: ${value}`);
  const match = DECIMAL_RE.exec(String(value));
  if (!match) throw new RangeError(`not a price: ${value}`);
  const fraction = match[2] ?? '';
  return {
    mantissa: BigInt(match[1] + fraction),
    exponent: Number(match[3] ?? 0) - fraction.length,
  };
}

/** Half of a decimal, exactly (x / 2 = 5x / 10). */
export function halve(d: Decimal): Decimal {
  return { mantissa: d.mantissa * 5n, exponent: d.exponent - 1 };
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** count × price, in pico-dollars, rounded half up. Negative or non-finite counts count as 0. */
export function picoFor(count: number, price: Decimal | undefined): bigint {
  if (price === undefined || !Number.isFinite(count) || count <= 0) return 0n;
  const raw = BigInt(Math.round(count)) * price.mantissa;
  const shift = price.exponent + PICO_EXPONENT;
  if (shift >= 0) return raw * pow10(shift);
  const divisor = pow10(-shift);
  return (raw + divisor / 2n) / divisor;
}

/** Dollars as a float, for the LiteLLM-compatible API edge. Exact below 2^53 pico (~9,007 $). */
export function picoToDollars(pico: bigint): number {
  return Number(pico) / 1e12;
}

/** A dollar amount (e.g. a configured budget) as pico-dollars, rounded half up. */
export function dollarsToPico(dollars: number): bigint {
  return picoFor(1, toDecimal(dollars));
}
