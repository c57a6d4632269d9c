import type { ModelPrice } from './types';

/*
 * Known gaps in LiteLLM's map, filled by hand. They are defaults, not corrections: where a map
 * (the shipped one or one an operator loads) has the key, the map's price wins, so a newer map is
 * never overruled by a stale number here. To correct a map price, use PriceTable#merge.
 */

const VERTEX_MISTRAL = 'vertex_ai-mistral_models';

const mistralLarge: ModelPrice = {
  litellm_provider: VERTEX_MISTRAL,
  mode: 'chat',
  input_cost_per_token: 2e-6,
  output_cost_per_token: 6e-6,
};

const codestral: ModelPrice = {
  litellm_provider: VERTEX_MISTRAL,
  mode: 'chat',
  input_cost_per_token: 2e-7,
  output_cost_per_token: 6e-7,
};

export const KNOWN_GAPS: Readonly<Record<string, ModelPrice>> = Object.freeze({
  'openrouter/openai/o1': {
    litellm_provider: 'openrouter',
    mode: 'chat',
    input_cost_per_token: 1.5e-5,
    output_cost_per_token: 6e-5,
    cache_read_input_token_cost: 7.5e-6,
  },
  // The seed's name; the map has since renamed it to @2411-001 and -2411, at the same prices.
  'vertex_ai/mistral-large@2411': mistralLarge,
  'vertex_ai/mistral-large@2411-001': mistralLarge,
  'vertex_ai/mistral-large-2411': mistralLarge,
  'vertex_ai/mistral-large@latest': mistralLarge,
  'vertex_ai/mistral-large@2407': mistralLarge,
  'vertex_ai/mistral-nemo@latest': {
    litellm_provider: VERTEX_MISTRAL,
    mode: 'chat',
    input_cost_per_token: 1.5e-7,
    output_cost_per_token: 1.5e-7,
  },
  'vertex_ai/codestral@latest': codestral,
  'vertex_ai/codestral@2405': codestral,
});
