import { Inject, Injectable } from '@nestjs/common';
import { nsSubject, SpendLogRow, StandardLoggingPayload, UsageFailed } from '@tollgate/contracts';
import type { Logger } from '@tollgate/config';
import type { ConsumedEvent } from '@tollgate/messaging';
import { CallbacksService } from '../callbacks/callbacks.service';
import { LOGGER, LOGGING_OPTIONS, ResolvedLoggingOptions } from '../logging.options';
import { LoggingMetrics } from '../metrics/logging-metrics';
import { SpendLogInsert } from './spend-log.entity';
import { InvalidUsageEventError, toSpendLogInsert, toSpendLogRow } from './spend-logs.mapping';
import { SpendLogsFilter } from './spend-logs.query';
import { SpendLogsRepository } from './spend-logs.repository';

/** Postgres SQLSTATE class 22 (data exception): retrying the same row can never succeed. */
function isDataError(e: unknown): boolean {
  const code = (e as { code?: unknown; driverError?: { code?: unknown } })?.driverError?.code ?? (e as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('22');
}

export interface RecordResult {
  received: number;
  inserted: number;
  /** events that can never become a row: logged, then acked */
  rejected: number;
}

@Injectable()
export class SpendLogsService {
  private readonly failedSubject: string;

  constructor(
    private readonly repo: SpendLogsRepository,
    @Inject(LOGGING_OPTIONS) private readonly opts: ResolvedLoggingOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: LoggingMetrics,
    private readonly callbacks: CallbacksService,
  ) {
    this.failedSubject = nsSubject(opts.namespace, UsageFailed.subject);
  }

  /**
   * Writes one consumed batch. Resolves only once the rows are committed (the caller acks then);
   * throws on a transient failure so the batch is redelivered. A redelivery is harmless: the
   * insert ignores request ids already stored.
   */
  async record(events: readonly ConsumedEvent<StandardLoggingPayload>[]): Promise<RecordResult> {
    const rows = new Map<string, { row: SpendLogInsert; payload: StandardLoggingPayload }>();
    let rejected = 0;
    for (const event of events) {
      try {
        const row = toSpendLogInsert(event.payload, event.subject === this.failedSubject, this.opts.storePrompts);
        if (!rows.has(row.request_id)) rows.set(row.request_id, { row, payload: event.payload });
      } catch (e) {
        if (!(e instanceof InvalidUsageEventError)) throw e;
        rejected++;
        this.logger.error({ subject: event.subject, msg_id: event.msgId, reason: e.message }, 'usage event rejected: cannot become a spend log row');
      }
    }
    const batch = [...rows.values()].map((r) => r.row);
    const timer = this.metrics.insertBatchSeconds.startTimer();
    let insertedIds: string[];
    try {
      insertedIds = await this.repo.insertIgnoringDuplicates(batch);
    } catch (e) {
      if (!isDataError(e)) {
        this.metrics.insertBatchFailures.inc();
        throw e;
      }
      ({ insertedIds, rejected } = await this.insertOneByOne(batch, rejected));
    } finally {
      timer();
    }
    const inserted = insertedIds.length;
    this.metrics.eventsConsumed.inc({ outcome: 'inserted' }, inserted);
    this.metrics.eventsConsumed.inc({ outcome: 'rejected' }, rejected);
    this.metrics.eventsConsumed.inc({ outcome: 'duplicate' }, Math.max(events.length - inserted - rejected, 0));
    // committed: now the callbacks, once per new row (a redelivery is not sent twice); never awaited
    for (const id of insertedIds) {
      const entry = rows.get(id);
      if (entry) this.callbacks.dispatch(entry.payload, entry.row.status === 'failure');
    }
    this.logger.debug({ received: events.length, inserted, rejected }, 'spend log batch written');
    return { received: events.length, inserted, rejected };
  }

  /** After a data error in the batch: find the bad row(s), write the rest. */
  private async insertOneByOne(batch: SpendLogInsert[], rejectedBefore: number): Promise<{ insertedIds: string[]; rejected: number }> {
    const insertedIds: string[] = [];
    let rejected = rejectedBefore;
    for (const row of batch) {
      try {
        insertedIds.push(...(await this.repo.insertIgnoringDuplicates([row])));
      } catch (e) {
        if (!isDataError(e)) throw e;
        rejected++;
        this.logger.error({ request_id: row.request_id, reason: (e as Error).message }, 'spend log row rejected by Postgres');
      }
    }
    return { insertedIds, rejected };
  }

  /** Rows matching a validated filter, newest first, in LiteLLM's SpendLogs shape. */
  async find(filter: SpendLogsFilter): Promise<SpendLogRow[]> {
    const rows = await this.repo.find(filter);
    return rows.map(toSpendLogRow);
  }
}
