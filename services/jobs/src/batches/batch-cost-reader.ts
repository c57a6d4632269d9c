import { Inject, Injectable } from '@nestjs/common';
import { createInterface } from 'node:readline';
import { effectivePrice, ModelPrice, PriceTable } from '@tollgate/pricing';
import { refOf } from '../common/deployment-cols';
import { ProviderClient } from '../providers/provider-client';
import { DeploymentResolver, ProviderTarget } from '../routing/deployment-resolver';
import { BatchCostAccumulator, BatchCostResult } from './batch-cost';
import { BatchRow } from './batches.repository';

/** Reads a finished batch's output (and error) file line by line from the provider and prices it. */
@Injectable()
export class BatchCostReader {
  constructor(
    private readonly provider: ProviderClient,
    @Inject(DeploymentResolver) private readonly resolver: DeploymentResolver,
    @Inject(PriceTable) private readonly prices: PriceTable,
  ) {}

  async compute(row: BatchRow): Promise<BatchCostResult> {
    const target = this.resolver.target(refOf(row));
    const cache = new Map<string, ModelPrice | undefined>();
    const priceOf = (model: string): ModelPrice | undefined => {
      if (!cache.has(model)) cache.set(model, this.priceFor(model, target));
      return cache.get(model);
    };
    const acc = new BatchCostAccumulator(priceOf, target.upstreamModel ?? row.model_name ?? '');
    const output = row.object.output_file_id;
    const errors = row.object.error_file_id;
    if (typeof output === 'string' && output) await this.eachLine(target, output, (l) => acc.addOutputLine(l));
    if (typeof errors === 'string' && errors) await this.eachLine(target, errors, (l) => acc.addErrorLine(l));
    return acc.result();
  }

  /** The deployment's own prices (litellm_params) over the map's entry for the line's model. */
  private priceFor(model: string, target: ProviderTarget): ModelPrice | undefined {
    const match = this.prices.lookup(model, target.provider) ?? (target.provider === 'azure' ? this.prices.lookup(model) : undefined);
    return effectivePrice(match?.price, target.params);
  }

  private async eachLine(target: ProviderTarget, providerFileId: string, onLine: (line: string) => void): Promise<void> {
    const content = await this.provider.content(target, providerFileId);
    const lines = createInterface({ input: content.body, crlfDelay: Infinity });
    for await (const line of lines) onLine(line);
  }
}
