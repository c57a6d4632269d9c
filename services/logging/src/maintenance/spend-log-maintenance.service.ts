import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@tollgate/config';
import { LOGGER, LOGGING_OPTIONS, ResolvedLoggingOptions } from '../logging.options';
import { LoggingMetrics } from '../metrics/logging-metrics';
import { addMonths, monthStart, partitionName } from '../partitions/partition-sql';
import { parseDuration, subtractDuration } from './duration';
import { MaintenanceRepository } from './maintenance.repository';

export interface RetentionResult {
  cutoff: string | null;
  droppedPartitions: string[];
  deletedRows: number;
}

/** Rows per DELETE: small enough that each statement is short and never holds many locks. */
export const RETENTION_BATCH = 5000;

/** Partitions ahead of time, and spend-log retention (whole partitions when possible, else batches). */
@Injectable()
export class SpendLogMaintenanceService {
  private stopping = false;

  constructor(
    private readonly repo: MaintenanceRepository,
    private readonly metrics: LoggingMetrics,
    @Inject(LOGGING_OPTIONS) private readonly opts: ResolvedLoggingOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  stop(): void {
    this.stopping = true;
  }

  /**
   * This month and the next `partitionMonthsAhead` get a partition; so does any month whose rows
   * landed in the default partition. Idempotent and safe to run on every replica at once.
   */
  async ensurePartitions(now = new Date()): Promise<string[]> {
    const existing = new Set((await this.repo.listPartitions()).map((p) => p.name));
    const wanted = new Map<string, Date>();
    const current = monthStart(now);
    for (let i = 0; i <= this.opts.partitionMonthsAhead; i++) wanted.set(partitionName(addMonths(current, i)), addMonths(current, i));
    for (const m of await this.repo.monthsInDefault()) wanted.set(partitionName(m), monthStart(m));
    const created: string[] = [];
    for (const [name, month] of wanted) {
      if (existing.has(name)) continue;
      if (await this.repo.createMonthPartition(month)) created.push(name);
    }
    if (created.length) this.logger.info({ partitions: created }, 'spend log partitions created');
    return created;
  }

  /**
   * Removes rows older than `maximum_spend_logs_retention_period`: partitions whose whole month is
   * older are dropped; the rest is deleted in batches of RETENTION_BATCH, never one giant DELETE.
   */
  async runRetention(now = new Date()): Promise<RetentionResult> {
    if (this.opts.retentionPeriod === null) return { cutoff: null, droppedPartitions: [], deletedRows: 0 };
    const cutoff = subtractDuration(now, parseDuration(this.opts.retentionPeriod, 'maximum_spend_logs_retention_period'));
    const droppedPartitions: string[] = [];
    for (const p of await this.repo.listPartitions()) {
      if (p.month === null || addMonths(p.month, 1).getTime() > cutoff.getTime()) continue;
      await this.repo.dropPartition(p.name);
      droppedPartitions.push(p.name);
      this.metrics.retentionDroppedPartitions.inc();
    }
    let deletedRows = 0;
    while (!this.stopping) {
      const n = await this.repo.deleteBatchOlderThan(cutoff, RETENTION_BATCH);
      deletedRows += n;
      this.metrics.retentionDeletedRows.inc(n);
      if (n < RETENTION_BATCH) break;
      // let the consumer's inserts and the queries through between batches
      await new Promise((r) => setTimeout(r, 20));
    }
    this.logger.info({ cutoff: cutoff.toISOString(), dropped_partitions: droppedPartitions, deleted_rows: deletedRows }, 'spend log retention ran');
    return { cutoff: cutoff.toISOString(), droppedPartitions, deletedRows };
  }
}
