import { computeCost } from '@tollgate/pricing';

/**
 * trained tokens × the configured $ per training token (`training_cost_per_token` on the
 * deployment's litellm_params or the finetune_settings entry), exact in pico-dollars. LiteLLM's
 * price map has no training prices, so without one the cost is 0 and the note says why.
 */
export function trainingCost(trainedTokens: number, pricePerToken: number | undefined): { cost: number; note: string | null } {
  if (pricePerToken === undefined) {
    return { cost: 0, note: 'no training price known: set training_cost_per_token on the deployment or finetune_settings entry' };
  }
  const c = computeCost({ callType: 'chat', price: { input_cost_per_token: pricePerToken }, usage: { prompt_tokens: trainedTokens } });
  return { cost: c.total_cost, note: null };
}
