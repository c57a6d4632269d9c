import { Deployment } from '@tollgate/config';
import { computeCost, effectivePrice, ModelPrice, PriceTable } from '@tollgate/pricing';
import { ProviderCall, ProviderUsage } from '../providers/provider';

const ZERO_USAGE: ProviderUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

/**
 * Prices calls from Tollgate's price table. A deployment's price is resolved once (its own
 * `litellm_params` prices win, then `provider/model`, then the bare name) and kept, so a request
 * pays for one multiplication, not a table lookup. An unknown model costs 0 and is warned once.
 */
export class CostService {
  private readonly prices = new Map<string, ModelPrice | null>();

  constructor(private readonly table: PriceTable, private readonly warn: (msg: string) => void) {}

  priceOf(d: Deployment): ModelPrice | null {
    let price = this.prices.get(d.id);
    if (price === undefined) {
      // the built-in mock model is priced as the real model it imitates
      const match = this.table.lookup(d.upstreamModel, d.provider === 'mock' ? undefined : d.provider);
      price = effectivePrice(match?.price, d.params) ?? null;
      if (!price) this.warn(`no price known for ${d.litellmModel} (deployment ${d.id}): its calls are costed at 0; set input_cost_per_token / output_cost_per_token in its litellm_params`);
      this.prices.set(d.id, price);
    }
    return price;
  }

  cost(d: Deployment, call: ProviderCall, usage: ProviderUsage | undefined, characters?: number): number {
    const price = this.priceOf(d);
    if (!price) return 0;
    return computeCost({ callType: call, price, usage: usage ?? ZERO_USAGE, characters }).total_cost;
  }
}
