/**
 * The prices Tollgate charges with, named as in LiteLLM's model map so a map entry, a per-deployment
 * `litellm_params` override and a hand-written override all read the same. Every price is in
 * dollars per unit (token or character); an absent field means "the map does not say".
 */
export interface ModelPrice {
  readonly litellm_provider?: string;
  readonly mode?: string;
  readonly input_cost_per_token?: number;
  readonly output_cost_per_token?: number;
  readonly cache_read_input_token_cost?: number;
  readonly output_cost_per_reasoning_token?: number;
  readonly input_cost_per_token_batches?: number;
  readonly output_cost_per_token_batches?: number;
  readonly input_cost_per_character?: number;
  readonly output_cost_per_character?: number;
}

/** The numeric fields of {@link ModelPrice}, in one place for loaders and mergers. */
export const PRICE_FIELDS = [
  'input_cost_per_token',
  'output_cost_per_token',
  'cache_read_input_token_cost',
  'output_cost_per_reasoning_token',
  'input_cost_per_token_batches',
  'output_cost_per_token_batches',
  'input_cost_per_character',
  'output_cost_per_character',
] as const;

export type PriceField = (typeof PRICE_FIELDS)[number];

/** What `lookup` found: the map key that matched (useful in logs and spend rows) and its price. */
export interface PriceMatch {
  readonly key: string;
  readonly price: ModelPrice;
}

export type CallType = 'chat' | 'completion' | 'embedding' | 'speech';

/** OpenAI-style usage. `cached_tokens` are part of `prompt_tokens`, `reasoning_tokens` of `completion_tokens`. */
export interface TokenUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens?: number;
  readonly cached_tokens?: number;
  readonly reasoning_tokens?: number;
}

export interface CharacterCounts {
  readonly input?: number;
  readonly output?: number;
}

export interface CostInput {
  readonly callType: CallType;
  /** `undefined` when the model has no known price: the cost is then 0. */
  readonly price: ModelPrice | undefined;
  readonly usage: TokenUsage;
  /** Characters of input (a number) or of input and output; used where the price is per character. */
  readonly characters?: number | CharacterCounts;
  /** Priced with the *_batches prices, or half the normal price where the map has none. */
  readonly batch?: boolean;
}

export interface CostBreakdown {
  /** Dollars, as LiteLLM reports them (floats, derived from the exact pico-dollar amounts). */
  readonly input_cost: number;
  readonly output_cost: number;
  readonly cache_read_cost: number;
  readonly total_cost: number;
  /** The total in integer pico-dollars (1e-12 $): the amount to store and sum. See money.ts. */
  readonly total_pico: bigint;
  /** False when no price was known, so a 0 cost means "unpriced", not "free". */
  readonly priced: boolean;
}
