import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@tollgate/config';
import { refOf } from '../common/deployment-cols';
import { LOGGER } from '../jobs.options';
import { PollOutcome } from '../batches/batch-poller';
import { PollScheduler } from '../pollers/poll-scheduler';
import { ProviderClient } from '../providers/provider-client';
import { DeploymentResolver } from '../routing/deployment-resolver';
import { UsagePublisher } from '../usage/usage-publisher';
import { fineTuneCostEvent } from '../usage/usage-events';
import { FT_TERMINAL } from './fine-tuning.mapping';
import { FineTuningRepository, FineTuningRow } from './fine-tuning.repository';
import { trainingCost } from './training-cost';

/** Updates a fine-tuning job row from the provider's object. */
export async function applyJob(repo: FineTuningRepository, row: FineTuningRow, obj: Record<string, unknown>): Promise<FineTuningRow> {
  const status = typeof obj.status === 'string' ? obj.status : row.status;
  return repo.applyProvider(row.id, {
    status,
    object: obj,
    trainedTokens: typeof obj.trained_tokens === 'number' ? obj.trained_tokens : null,
    fineTunedModel: typeof obj.fine_tuned_model === 'string' ? obj.fine_tuned_model : null,
    terminal: FT_TERMINAL.has(status),
  });
}

/**
 * One poll of one fine-tuning job; once it succeeded with `trained_tokens`, its training cost is
 * published once (`<job id>_ft_cost`, the same outbox guard as batches) and polling stops.
 */
@Injectable()
export class FineTuningPoller {
  constructor(
    private readonly repo: FineTuningRepository,
    private readonly provider: ProviderClient,
    @Inject(DeploymentResolver) private readonly resolver: DeploymentResolver,
    private readonly usage: UsagePublisher,
    private readonly scheduler: PollScheduler,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async poll(id: string): Promise<PollOutcome> {
    let row = await this.repo.find(id);
    if (!row) {
      await this.scheduler.unschedule('ftjob', id);
      return 'gone';
    }
    if (row.cost_state === 'charged' || row.cost_state === 'none') {
      await this.scheduler.unschedule('ftjob', id);
      return row.cost_state === 'charged' ? 'already' : 'nothing';
    }
    if (!FT_TERMINAL.has(row.status)) {
      try {
        const obj = await this.provider.json(this.resolver.target(refOf(row), 'fine_tuning'), 'GET', `/fine_tuning/jobs/${encodeURIComponent(row.provider_job_id)}`);
        row = await applyJob(this.repo, row, obj);
      } catch (e) {
        const failures = await this.repo.pollFailed(id);
        this.logger.warn({ finetuning_job_id: id, failures, err: (e as Error).message }, 'fine-tuning poll failed; retrying with backoff');
        throw e;
      }
      if (!FT_TERMINAL.has(row.status)) return 'open';
    }
    const outcome = await this.charge(row);
    if (outcome !== 'busy') await this.scheduler.unschedule('ftjob', id);
    return outcome;
  }

  private async charge(row: FineTuningRow): Promise<PollOutcome> {
    const tokens = row.trained_tokens === null ? 0 : Number(row.trained_tokens);
    if (row.status !== 'succeeded' || !(tokens > 0)) {
      await this.repo.outbox.none(row.id);
      return 'nothing';
    }
    const { cost, note } = trainingCost(tokens, this.resolver.target(refOf(row), 'fine_tuning').trainingCostPerToken);
    const event = await this.repo.outbox.claim(row.id, fineTuneCostEvent(row, tokens, cost, note));
    if (!event) {
      const now = await this.repo.find(row.id);
      return now?.cost_state === 'charged' ? 'already' : now?.cost_state === 'charging' ? 'busy' : 'nothing';
    }
    try {
      await this.usage.publishNow(event);
      await this.repo.outbox.charged(row.id, event.response_cost);
      return 'charged';
    } catch (e) {
      await this.repo.outbox.release(row.id).catch(() => undefined);
      throw e;
    }
  }
}
