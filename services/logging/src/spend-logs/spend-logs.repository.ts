import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LOGGING_OPTIONS, ResolvedLoggingOptions } from '../logging.options';
import { JSONB_COLUMNS, SPEND_LOG_COLUMNS, SpendLogEntity, SpendLogInsert } from './spend-log.entity';
import { SpendLogsFilter } from './spend-logs.query';
import { findSpendLogsSql, quoteIdent, spendLogsTable, SqlQuery } from './spend-logs.sql';

/** Every query against `spend_logs` rows. */
@Injectable()
export class SpendLogsRepository {
  private readonly table: string;

  constructor(private readonly ds: DataSource, @Inject(LOGGING_OPTIONS) private readonly opts: ResolvedLoggingOptions) {
    this.table = spendLogsTable(opts.schema);
  }

  /**
   * One multi-row INSERT for the whole batch. ON CONFLICT (request_id, start_time) DO NOTHING
   * makes a redelivered event (same id, same start time) a no-op, so the consumer can ack after a
   * retry without doubling a row. Returns the request ids that were new.
   */
  async insertIgnoringDuplicates(rows: readonly SpendLogInsert[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const params: unknown[] = [];
    const tuples = rows.map((row) => {
      const slots = SPEND_LOG_COLUMNS.map((col) => {
        const value = row[col];
        params.push(JSONB_COLUMNS.has(col) ? JSON.stringify(value) : value);
        return `$${params.length}`;
      });
      return `(${slots.join(', ')})`;
    });
    const columns = SPEND_LOG_COLUMNS.map(quoteIdent).join(', ');
    const sql = `INSERT INTO ${this.table} (${columns}) VALUES ${tuples.join(', ')} ON CONFLICT ("request_id", "start_time") DO NOTHING RETURNING "request_id"`;
    const inserted: { request_id: string }[] = await this.ds.query(sql, params);
    return inserted.map((r) => r.request_id);
  }

  /** Newest first; see findSpendLogsSql for the index behind each filter. */
  find(filter: SpendLogsFilter): Promise<SpendLogEntity[]> {
    return this.run<SpendLogEntity>(findSpendLogsSql(this.opts.schema, filter));
  }

  run<T>(q: SqlQuery): Promise<T[]> {
    return this.ds.query(q.sql, q.params);
  }

  /** true when Postgres answers within the timeout */
  async ping(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.ds.query('SELECT 1').then(() => true, () => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
