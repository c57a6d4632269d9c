import { computeCost } from './cost';
import { effectivePrice, type DeploymentPriceParams } from './deployment';
import { PriceTable } from './price-table';
import type { CostBreakdown, CostInput } from './types';

export interface CostRequest extends Omit<CostInput, 'price'> {
  readonly model: string;
  readonly provider?: string;
  /** The deployment's litellm_params (or just their price fields). */
  readonly deployment?: DeploymentPriceParams;
}

export interface CostResult extends CostBreakdown {
  /** The table key that priced the request; absent when only the deployment's prices did, or none. */
  readonly price_key?: string;
}

export type UnknownPriceWarn = (message: string, context: { model: string; provider?: string }) => void;

export interface CostCalculatorOptions {
  readonly table?: PriceTable;
  /** Called once per unknown model (default: console.warn). Services pass their pino logger here. */
  readonly warn?: UnknownPriceWarn;
}

// Model names come from requests; cap the memory spent remembering which ones were reported.
const MAX_REMEMBERED = 10_000;

/**
 * Looks a request's model up, applies the deployment's prices and computes the cost. Never throws
 * for an unknown model: it costs 0 and is reported once per (provider, model) per calculator.
 */
export class CostCalculator {
  private readonly table: PriceTable;
  private readonly warn: UnknownPriceWarn;
  private readonly reported = new Set<string>();

  constructor(options: CostCalculatorOptions = {}) {
    this.table = options.table ?? PriceTable.builtIn();
    this.warn = options.warn ?? ((message) => console.warn(message));
  }

  cost(request: CostRequest): CostResult {
    const { model, provider, deployment, ...rest } = request;
    const match = this.table.lookup(model, provider);
    const price = effectivePrice(match?.price, deployment);
    if (!price) {
      this.reportUnknown(model, provider);
      return computeCost({ ...rest, price: undefined });
    }
    const breakdown = computeCost({ ...rest, price });
    return match ? { ...breakdown, price_key: match.key } : breakdown;
  }

  private reportUnknown(model: string, provider: string | undefined): void {
    const id = provider ? `${provider}\u0000${model}` : model;
    if (this.reported.has(id)) return;
    if (this.reported.size >= MAX_REMEMBERED) this.reported.clear();
    this.reported.add(id);
    const name = provider ? `${provider}/${model}` : model;
    this.warn(`no price known for model ${name}: its requests are recorded at cost 0`, { model, ...(provider ? { provider } : {}) });
  }
}
