import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LOGGING_OPTIONS, ResolvedLoggingOptions } from '../logging.options';
import { JSONB_COLUMNS, SPEND_LOG_COLUMNS, SpendLogEntity, SpendLogInsert } from './spend-log.entity';
import { SpendLogsFilter } from './spend-logs.query';

/** Every query against `spend_logs`. */
@Injectable()
export class SpendLogsRepository {
  private readonly table: string;

  constructor(private readonly ds: DataSource, @Inject(LOGGING_OPTIONS) opts: ResolvedLoggingOptions) {
    this.table = `${quoteIdent(opts.schema)}."spend_logs"`;
  }

  /**
   * One multi-row INSERT for the whole batch. ON CONFLICT (request_id) DO NOTHING makes a
   * redelivered event a no-op, so the consumer can ack after a retry without doubling a row.
   * Returns how many rows were new.
   */
  async insertIgnoringDuplicates(rows: readonly SpendLogInsert[]): Promise<number> {
    if (rows.length === 0) return 0;
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
    const sql = `INSERT INTO ${this.table} (${columns}) VALUES ${tuples.join(', ')} ON CONFLICT ("request_id") DO NOTHING RETURNING "request_id"`;
    const inserted: unknown[] = await this.ds.query(sql, params);
    return inserted.length;
  }

  /** Newest first; every filter combination is served by the primary key or a (column, start_time) index. */
  async find(filter: SpendLogsFilter): Promise<SpendLogEntity[]> {
    const qb = this.ds.getRepository(SpendLogEntity).createQueryBuilder('l');
    if (filter.requestId !== undefined) qb.andWhere('l.request_id = :requestId', { requestId: filter.requestId });
    if (filter.apiKey !== undefined) qb.andWhere('l.api_key = :apiKey', { apiKey: filter.apiKey });
    if (filter.userId !== undefined) qb.andWhere('l.user = :userId', { userId: filter.userId });
    if (filter.teamId !== undefined) qb.andWhere('l.team_id = :teamId', { teamId: filter.teamId });
    if (filter.from !== undefined) qb.andWhere('l.start_time >= :from', { from: filter.from });
    if (filter.to !== undefined) {
      qb.andWhere(filter.to.inclusive ? 'l.start_time <= :to' : 'l.start_time < :to', { to: filter.to.at });
    }
    return qb
      .orderBy('l.start_time', 'DESC')
      .addOrderBy('l.request_id', 'DESC')
      .limit(filter.limit)
      .offset(filter.offset)
      .getMany();
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

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
