import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { returned } from '../common/rows';
import { JobsCaller } from '@tollgate/contracts';
import { Owner, visibleSql } from '../access/ownership';
import { DeploymentCols, insertParts } from '../common/deployment-cols';
import { Tables } from '../common/tables';
import { CostOutbox } from '../usage/cost-outbox';

export type CostState = 'pending' | 'charging' | 'charged' | 'none';

export interface BatchRow extends Owner, DeploymentCols {
  id: string;
  provider_batch_id: string;
  endpoint: string;
  input_file_id: string;
  output_file_id: string | null;
  error_file_id: string | null;
  status: string;
  object: Record<string, unknown>;
  created_at: Date;
  finished_at: Date | null;
  cost_state: CostState;
  response_cost: string | null;
  trace: Record<string, string>;
}

export type NewBatch = Pick<BatchRow, 'id' | 'provider_batch_id' | 'endpoint' | 'input_file_id' | 'status' | 'object' | 'trace'> & Owner & DeploymentCols;

/** Every query against `batches`. */
@Injectable()
export class BatchesRepository {
  readonly outbox: CostOutbox;

  constructor(private readonly ds: DataSource, private readonly t: Tables) {
    this.outbox = new CostOutbox(ds, t.batches);
  }

  async insert(b: NewBatch): Promise<BatchRow> {
    const p = insertParts({ ...b });
    const rows: BatchRow[] = await this.ds.query(`INSERT INTO ${this.t.batches} (${p.names}) VALUES (${p.placeholders}) RETURNING *`, p.values);
    return rows[0]!;
  }

  async find(id: string): Promise<BatchRow | null> {
    const rows: BatchRow[] = await this.ds.query(`SELECT * FROM ${this.t.batches} WHERE "id" = $1`, [id]);
    return rows[0] ?? null;
  }

  async list(c: JobsCaller, f: { limit: number; after?: string }): Promise<BatchRow[]> {
    const params: unknown[] = [];
    const where = [visibleSql(c, params)];
    if (f.after) {
      params.push(f.after);
      where.push(`("created_at", "id") < (SELECT "created_at", "id" FROM ${this.t.batches} WHERE "id" = $${params.length})`);
    }
    params.push(f.limit + 1);
    return this.ds.query(`SELECT * FROM ${this.t.batches} WHERE ${where.join(' AND ')} ORDER BY "created_at" DESC, "id" DESC LIMIT $${params.length}`, params);
  }

  /** Stores what the provider said; output / error file ids only ever go from null to a value. */
  async applyProvider(id: string, u: { status: string; object: Record<string, unknown>; outputFileId: string | null; errorFileId: string | null; terminal: boolean }): Promise<BatchRow> {
    const rows = returned<BatchRow>(await this.ds.query(
      `UPDATE ${this.t.batches}
          SET "status" = $2, "object" = $3, "output_file_id" = COALESCE("output_file_id", $4), "error_file_id" = COALESCE("error_file_id", $5),
              "finished_at" = CASE WHEN $6 THEN COALESCE("finished_at", now()) ELSE NULL END,
              "poll_errors" = 0, "last_polled_at" = now(), "updated_at" = now()
        WHERE "id" = $1 RETURNING *`,
      [id, u.status, JSON.stringify(u.object), u.outputFileId, u.errorFileId, u.terminal],
    ));
    return rows[0]!;
  }

  async pollFailed(id: string): Promise<number> {
    const rows = returned<{ poll_errors: number }>(await this.ds.query(
      `UPDATE ${this.t.batches} SET "poll_errors" = "poll_errors" + 1, "last_polled_at" = now() WHERE "id" = $1 RETURNING "poll_errors"`,
      [id],
    ));
    return rows[0]?.poll_errors ?? 0;
  }

  /** Rows that still need a poller: not finished, or finished but not yet charged. */
  async open(): Promise<{ id: string; trace: Record<string, string> }[]> {
    return this.ds.query(`SELECT "id", "trace" FROM ${this.t.batches} WHERE "cost_state" IN ('pending', 'charging')`);
  }
}
