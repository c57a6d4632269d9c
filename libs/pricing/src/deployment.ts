import { mergePrice } from './litellm-map';
import type { ModelPrice } from './types';

/**
 * The price fields a deployment's `litellm_params` may set. A whole litellm_params object can be
 * passed: other keys are ignored.
 */
export interface DeploymentPriceParams {
  readonly input_cost_per_token?: unknown;
  readonly output_cost_per_token?: unknown;
  readonly input_cost_per_character?: unknown;
  readonly output_cost_per_character?: unknown;
  readonly cache_read_input_token_cost?: unknown;
}

const DEPLOYMENT_FIELDS = [
  'input_cost_per_token',
  'output_cost_per_token',
  'input_cost_per_character',
  'output_cost_per_character',
  'cache_read_input_token_cost',
] as const;

/** Map prices that are derived from a base price and go stale when a deployment replaces it. */
const DERIVED: Readonly<Record<string, readonly (keyof ModelPrice)[]>> = {
  input_cost_per_token: ['input_cost_per_token_batches', 'cache_read_input_token_cost'],
  output_cost_per_token: ['output_cost_per_token_batches', 'output_cost_per_reasoning_token'],
};

function asPrice(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * The price a deployment actually charges: its own litellm_params prices over the table's entry
 * (or alone, for a model the table does not know). A deployment's input or output token price also
 * drops the map's batch, cache-read and reasoning prices derived from it, unless the deployment sets
 * them too: a map discount relative to a price the operator replaced would be a made-up number, so
 * those tokens fall back to the deployment's price (and batch to its 50%).
 * Returns `base` unchanged when the params set no valid price.
 */
export function effectivePrice(base: ModelPrice | undefined, params: DeploymentPriceParams | undefined): ModelPrice | undefined {
  if (!params) return base;
  const set: Record<string, number> = {};
  for (const field of DEPLOYMENT_FIELDS) {
    const v = asPrice(params[field]);
    if (v !== undefined) set[field] = v;
  }
  if (Object.keys(set).length === 0) return base;
  const kept: Record<string, unknown> = { ...base };
  for (const field of Object.keys(set)) for (const derived of DERIVED[field] ?? []) delete kept[derived];
  return mergePrice(kept as ModelPrice, set);
}
