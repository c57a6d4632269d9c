import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { returned } from '../common/rows';
import { JobsCaller } from '@tollgate/contracts';
import { Owner, visibleSql } from '../access/ownership';
import { DeploymentCols, insertParts } from '../common/deployment-cols';
import { Tables } from '../common/tables';
import { CostOutbox } from '../usage/cost-outbox';
import { CostState } from '../batches/batches.repository';

export interface FineTuningRow extends Owner, DeploymentCols {
  id: string;
  provider_job_id: string;
  base_model: string;
  training_file_id: string;
  validation_file_id: string | null;
  status: string;
  trained_tokens: string | null;
  fine_tuned_model: string | null;
  object: Record<string, unknown>;
  created_at: Date;
  finished_at: Date | null;
  cost_state: CostState;
  response_cost: string | null;
  trace: Record<string, string>;
}

export type NewFineTuning = Pick<FineTuningRow, 'id' | 'provider_job_id' | 'base_model' | 'training_file_id' | 'validation_file_id' | 'status' | 'object' | 'trace'> & Owner & DeploymentCols;

/** Every query against `fine_tuning_jobs`. */
@Injectable()
export class FineTuningRepository {
  readonly outbox: CostOutbox;

  constructor(private readonly ds: DataSource, private readonly t: Tables) {
    this.outbox = new CostOutbox(ds, t.fineTuningJobs);
  }

  async insert(j: NewFineTuning): Promise<FineTuningRow> {
    const p = insertParts({ ...j });
    const rows: FineTuningRow[] = await this.ds.query(`INSERT INTO ${this.t.fineTuningJobs} (${p.names}) VALUES (${p.placeholders}) RETURNING *`, p.values);
    return rows[0]!;
  }

  async find(id: string): Promise<FineTuningRow | null> {
    const rows: FineTuningRow[] = await this.ds.query(`SELECT * FROM ${this.t.fineTuningJobs} WHERE "id" = $1`, [id]);
    return rows[0] ?? null;
  }

  async list(c: JobsCaller, f: { limit: number; after?: string; provider?: string }): Promise<FineTuningRow[]> {
    const params: unknown[] = [];
    const where = [visibleSql(c, params)];
    if (f.provider) {
      params.push(f.provider);
      where.push(`"custom_llm_provider" = $${params.length}`);
    }
    if (f.after) {
      params.push(f.after);
      where.push(`("created_at", "id") < (SELECT "created_at", "id" FROM ${this.t.fineTuningJobs} WHERE "id" = $${params.length})`);
    }
    params.push(f.limit + 1);
    return this.ds.query(`SELECT * FROM ${this.t.fineTuningJobs} WHERE ${where.join(' AND ')} ORDER BY "created_at" DESC, "id" DESC LIMIT $${params.length}`, params);
  }

  async applyProvider(id: string, u: { status: string; object: Record<string, unknown>; trainedTokens: number | null; fineTunedModel: string | null; terminal: boolean }): Promise<FineTuningRow> {
    const rows = returned<FineTuningRow>(await this.ds.query(
      `UPDATE ${this.t.fineTuningJobs}
          SET "status" = $2, "object" = $3, "trained_tokens" = COALESCE($4, "trained_tokens"), "fine_tuned_model" = COALESCE($5, "fine_tuned_model"),
              "finished_at" = CASE WHEN $6 THEN COALESCE("finished_at", now()) ELSE NULL END,
              "poll_errors" = 0, "last_polled_at" = now(), "updated_at" = now()
        WHERE "id" = $1 RETURNING *`,
      [id, u.status, JSON.stringify(u.object), u.trainedTokens, u.fineTunedModel, u.terminal],
    ));
    return rows[0]!;
  }

  async pollFailed(id: string): Promise<number> {
    const rows = returned<{ poll_errors: number }>(await this.ds.query(
      `UPDATE ${this.t.fineTuningJobs} SET "poll_errors" = "poll_errors" + 1, "last_polled_at" = now() WHERE "id" = $1 RETURNING "poll_errors"`,
      [id],
    ));
    return rows[0]?.poll_errors ?? 0;
  }

  async open(): Promise<{ id: string; trace: Record<string, string> }[]> {
    return this.ds.query(`SELECT "id", "trace" FROM ${this.t.fineTuningJobs} WHERE "cost_state" IN ('pending', 'charging')`);
  }
}
