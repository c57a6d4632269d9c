import { Inject, Injectable } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { Redis as IORedis } from 'ioredis';
import type { Logger } from '@tollgate/config';
import { SpendLogsMaintenanceQueue } from '@tollgate/contracts';
import { LOGGER, LOGGING_OPTIONS, ResolvedLoggingOptions } from '../logging.options';
import { LoggingMetrics } from '../metrics/logging-metrics';
import { SpendLogMaintenanceService } from './spend-log-maintenance.service';

const DAY_MS = 24 * 3600 * 1000;
type MaintenanceJob = (typeof SpendLogsMaintenanceQueue.jobs)[keyof typeof SpendLogsMaintenanceQueue.jobs];

/**
 * The BullMQ side of maintenance: job schedulers (one job per period, whichever replica's worker
 * takes it) for retention (every `maximum_spend_logs_retention_interval`) and partitions (daily).
 * Queue keys live under the namespace prefix, so deployments and test runs never share jobs.
 */
@Injectable()
export class MaintenanceQueue {
  private redis: IORedis | null = null;
  private queue: Queue | null = null;
  private worker: Worker | null = null;

  constructor(
    private readonly maintenance: SpendLogMaintenanceService,
    private readonly metrics: LoggingMetrics,
    @Inject(LOGGING_OPTIONS) private readonly opts: ResolvedLoggingOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.queue) return;
    const prefix = SpendLogsMaintenanceQueue.prefix(this.opts.namespace);
    // a Worker blocks on Redis: BullMQ requires maxRetriesPerRequest null
    this.redis = new IORedis(this.opts.env.redisUrl, { maxRetriesPerRequest: null, connectTimeout: 5000 });
    this.redis.on('error', (e) => this.logger.warn({ err: e.message }, 'maintenance queue: redis error'));
    this.queue = new Queue(SpendLogsMaintenanceQueue.name, { connection: this.redis, prefix });
    const { schedulers, jobs } = SpendLogsMaintenanceQueue;
    const keep = { removeOnComplete: 20, removeOnFail: 50 };
    await this.queue.upsertJobScheduler(schedulers.partitions, { every: DAY_MS }, { name: jobs.partitions, opts: keep });
    if (this.opts.retentionPeriod !== null) {
      await this.queue.upsertJobScheduler(schedulers.retention, { every: this.opts.retentionIntervalMs }, { name: jobs.retention, opts: keep });
    } else {
      await this.queue.removeJobScheduler(schedulers.retention);
    }
    this.worker = new Worker(SpendLogsMaintenanceQueue.name, (job: Job) => this.process(job.name as MaintenanceJob), {
      connection: this.redis,
      prefix,
      concurrency: 1,
      // a retention run over a big backlog takes a while; keep the lock alive meanwhile
      lockDuration: 60_000,
    });
    this.worker.on('error', (e) => this.logger.warn({ err: e.message }, 'maintenance worker error'));
  }

  /** Runs a maintenance job now through the queue (any replica's worker may take it). */
  async enqueue(job: MaintenanceJob): Promise<Job> {
    if (!this.queue) throw new Error('maintenance queue not started');
    return this.queue.add(job, {}, { removeOnComplete: 20, removeOnFail: 50 });
  }

  async schedulers(): Promise<{ id: string; every: number | null; name: string }[]> {
    if (!this.queue) return [];
    const list = await this.queue.getJobSchedulers();
    return list.map((s) => ({ id: s.key, every: s.every ? Number(s.every) : null, name: s.name }));
  }

  async close(): Promise<void> {
    this.maintenance.stop();
    await this.worker?.close().catch(() => undefined);
    await this.queue?.close().catch(() => undefined);
    if (this.redis && this.redis.status !== 'end') await this.redis.quit().catch(() => undefined);
    this.worker = null;
    this.queue = null;
    this.redis = null;
  }

  private async process(job: MaintenanceJob): Promise<unknown> {
    try {
      const result = job === 'retention' ? await this.maintenance.runRetention() : await this.maintenance.ensurePartitions();
      this.metrics.maintenanceRuns.inc({ job, outcome: 'success' });
      return result;
    } catch (e) {
      this.metrics.maintenanceRuns.inc({ job, outcome: 'failure' });
      this.logger.error({ job, err: (e as Error).message }, 'spend log maintenance failed');
      throw e;
    }
  }
}
