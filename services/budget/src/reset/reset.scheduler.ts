import { Inject, Injectable } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { BUDGET_RESET_QUEUE, BUDGET_RESET_SCHEDULER_ID, nsKey } from '@tollgate/contracts';
import type { Logger } from '@tollgate/config';
import { BUDGET_OPTIONS, LOGGER, ResolvedBudgetOptions } from '../budget.options';
import { ResetService } from './reset.service';

/** BullMQ prefix of this namespace, hash-tagged so each queue's keys share one Cluster slot. */
export function bullPrefix(namespace: string): string {
  return `{${nsKey(namespace, 'bull')}}`;
}

/**
 * One job scheduler (upserted by every replica, so there is one) fires the reset every interval;
 * BullMQ hands each run to exactly one worker among the replicas.
 */
@Injectable()
export class ResetScheduler {
  private queue: Queue | null = null;
  private worker: Worker | null = null;
  private readonly connections: Redis[] = [];

  constructor(
    private readonly reset: ResetService,
    @Inject(BUDGET_OPTIONS) private readonly opts: ResolvedBudgetOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const connection = (): Redis => {
      const c = new Redis(this.opts.redisUrl, { maxRetriesPerRequest: null });
      c.on('error', () => undefined);
      this.connections.push(c);
      return c;
    };
    const prefix = bullPrefix(this.opts.namespace);
    this.queue = new Queue(BUDGET_RESET_QUEUE, { connection: connection(), prefix });
    await this.queue.upsertJobScheduler(
      BUDGET_RESET_SCHEDULER_ID,
      { every: this.opts.resetIntervalMs },
      { name: 'reset', data: {}, opts: { removeOnComplete: 50, removeOnFail: 50 } },
    );
    this.worker = new Worker(BUDGET_RESET_QUEUE, async () => ({ reset: await this.reset.runOnce(new Date()) }), {
      connection: connection(),
      prefix,
      concurrency: 1,
    });
    this.worker.on('failed', (_job, err) => this.logger.warn({ err }, 'budget reset run failed; the next run retries'));
    this.worker.on('error', (err) => this.logger.warn({ err }, 'budget reset worker error'));
  }

  async stop(): Promise<void> {
    await this.worker?.close().catch(() => undefined);
    await this.queue?.close().catch(() => undefined);
    for (const c of this.connections) c.disconnect();
  }
}
