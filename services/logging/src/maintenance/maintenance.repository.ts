import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LOGGING_OPTIONS, ResolvedLoggingOptions } from '../logging.options';
import { createMonthPartitionSql, DEFAULT_PARTITION, partitionMonth, quoteIdent } from '../partitions/partition-sql';

export interface PartitionInfo {
  name: string;
  /** first instant of the month it holds; null for the default partition */
  month: Date | null;
}

/** Lock waits of maintenance DDL stay short: better to retry next run than to stall inserts behind it. */
const LOCK_TIMEOUT = "SET LOCAL lock_timeout = '5s'";

/** Every query of the partition and retention maintenance. */
@Injectable()
export class MaintenanceRepository {
  private readonly schema: string;
  private readonly s: string;

  constructor(private readonly ds: DataSource, @Inject(LOGGING_OPTIONS) opts: ResolvedLoggingOptions) {
    this.schema = opts.schema;
    this.s = quoteIdent(opts.schema);
  }

  async listPartitions(): Promise<PartitionInfo[]> {
    const rows: { name: string }[] = await this.ds.query(
      `SELECT c.relname AS name FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent
         JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE n.nspname = $1 AND p.relname = 'spend_logs'
        ORDER BY c.relname`,
      [this.schema],
    );
    return rows.map((r) => ({ name: r.name, month: partitionMonth(r.name) }));
  }

  /** Months that rows in the default partition belong to (rows that arrived before their partition existed). */
  async monthsInDefault(): Promise<Date[]> {
    const rows: { month: Date }[] = await this.ds.query(
      `SELECT DISTINCT date_trunc('month', "start_time" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS month
         FROM ${this.s}."${DEFAULT_PARTITION}" LIMIT 240`,
    );
    return rows.map((r) => new Date(r.month));
  }

  /** false when another replica created it first */
  async createMonthPartition(month: Date): Promise<boolean> {
    try {
      await this.ds.transaction(async (m) => {
        await m.query(LOCK_TIMEOUT);
        for (const sql of createMonthPartitionSql(this.schema, month)) await m.query(sql);
      });
      return true;
    } catch (e) {
      if ((e as { code?: string }).code === '42P07') return false;
      throw e;
    }
  }

  /** Detach and drop a whole partition: no row-by-row delete, no bloat. */
  async dropPartition(name: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query(LOCK_TIMEOUT);
      await m.query(`ALTER TABLE ${this.s}."spend_logs" DETACH PARTITION ${this.s}.${quoteIdent(name)}`);
      await m.query(`DROP TABLE ${this.s}.${quoteIdent(name)}`);
    });
  }

  /** Deletes at most `limit` rows older than `cutoff` (found through the start_time index); returns how many. */
  async deleteBatchOlderThan(cutoff: Date, limit: number): Promise<number> {
    const res: unknown = await this.ds.query(
      `WITH doomed AS (
         SELECT "request_id", "start_time" FROM ${this.s}."spend_logs" WHERE "start_time" < $1 LIMIT $2
       )
       DELETE FROM ${this.s}."spend_logs" l USING doomed d
        WHERE l."request_id" = d."request_id" AND l."start_time" = d."start_time" AND l."start_time" < $1
       RETURNING 1`,
      [cutoff, limit],
    );
    // TypeORM's postgres driver answers a DELETE with [rows, rowCount]
    if (Array.isArray(res) && res.length === 2 && typeof res[1] === 'number') return res[1];
    return Array.isArray(res) ? res.length : 0;
  }
}
