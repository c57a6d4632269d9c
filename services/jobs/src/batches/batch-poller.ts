import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@tollgate/config';
import { refOf } from '../common/deployment-cols';
import { LOGGER } from '../jobs.options';
import { PollScheduler } from '../pollers/poll-scheduler';
import { ProviderClient } from '../providers/provider-client';
import { DeploymentResolver } from '../routing/deployment-resolver';
import { UsagePublisher } from '../usage/usage-publisher';
import { batchCostEvent } from '../usage/usage-events';
import { BATCH_TERMINAL } from './batch.mapping';
import { BatchCostReader } from './batch-cost-reader';
import { BatchSync } from './batch-sync';
import { BatchesRepository, BatchRow } from './batches.repository';

/** `busy`: another worker holds the cost claim (the BullMQ job retries, then finds it charged). */
export type PollOutcome = 'open' | 'charged' | 'already' | 'busy' | 'nothing' | 'gone';

/**
 * One poll of one batch: refresh its status from the provider; once it has ended, charge its cost
 * exactly once (state guard in SQL + Nats-Msg-Id `<batch id>_batch_cost`), then stop polling.
 * Charged when an output file exists: completed, and also cancelled / expired batches with partial
 * output, which the provider bills too. Failed batches and batches without output charge nothing.
 */
@Injectable()
export class BatchPoller {
  constructor(
    private readonly repo: BatchesRepository,
    private readonly sync: BatchSync,
    private readonly costs: BatchCostReader,
    private readonly provider: ProviderClient,
    @Inject(DeploymentResolver) private readonly resolver: DeploymentResolver,
    private readonly usage: UsagePublisher,
    private readonly scheduler: PollScheduler,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async poll(id: string): Promise<PollOutcome> {
    let row = await this.repo.find(id);
    if (!row) {
      await this.scheduler.unschedule('batch', id);
      return 'gone';
    }
    if (row.cost_state === 'charged' || row.cost_state === 'none') {
      await this.scheduler.unschedule('batch', id);
      return row.cost_state === 'charged' ? 'already' : 'nothing';
    }
    if (!BATCH_TERMINAL.has(row.status)) {
      try {
        const obj = await this.provider.json(this.resolver.target(refOf(row)), 'GET', `/batches/${encodeURIComponent(row.provider_batch_id)}`);
        row = await this.sync.apply(row, obj);
      } catch (e) {
        const failures = await this.repo.pollFailed(id);
        this.logger.warn({ batch_id: id, failures, err: (e as Error).message }, 'batch poll failed; retrying with backoff');
        throw e;
      }
      if (!BATCH_TERMINAL.has(row.status)) return 'open';
    }
    const outcome = await this.charge(row);
    if (outcome !== 'busy') await this.scheduler.unschedule('batch', id);
    return outcome;
  }

  private async charge(row: BatchRow): Promise<PollOutcome> {
    if (typeof row.object.output_file_id !== 'string' || !row.object.output_file_id) {
      await this.repo.outbox.none(row.id);
      return 'nothing';
    }
    const result = await this.costs.compute(row);
    const event = await this.repo.outbox.claim(row.id, batchCostEvent(row, result));
    if (!event) {
      const now = await this.repo.find(row.id);
      return now?.cost_state === 'charged' ? 'already' : now?.cost_state === 'charging' ? 'busy' : 'nothing';
    }
    try {
      const ack = await this.usage.publishNow(event);
      await this.repo.outbox.charged(row.id, event.response_cost);
      this.logger.info({ batch_id: row.id, cost: event.response_cost, duplicate: ack.duplicate, successful: result.successful, failed: result.failed }, 'batch cost charged');
      return 'charged';
    } catch (e) {
      await this.repo.outbox.release(row.id).catch(() => undefined);
      throw e;
    }
  }
}
