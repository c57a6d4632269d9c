import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobsCaller } from '@tollgate/contracts';
import { Owner, visibleSql } from '../access/ownership';
import { DeploymentCols, insertParts } from '../common/deployment-cols';
import { Tables } from '../common/tables';

export interface FileRow extends Owner, DeploymentCols {
  id: string;
  provider_file_id: string;
  purpose: string;
  filename: string;
  bytes: string;
  status: string;
  source: 'upload' | 'batch_output';
  object: Record<string, unknown>;
  created_at: Date;
  deleted_at: Date | null;
}

export type NewFile = Omit<FileRow, 'created_at' | 'deleted_at' | 'bytes'> & { bytes: number };

/** Every query against `files`. */
@Injectable()
export class FilesRepository {
  constructor(private readonly ds: DataSource, private readonly t: Tables) {}

  /** Inserts, or returns the row that already maps this provider file (a batch output seen twice). */
  async insert(f: NewFile): Promise<FileRow> {
    const p = insertParts({ ...f });
    const rows: FileRow[] = await this.ds.query(
      `INSERT INTO ${this.t.files} (${p.names}) VALUES (${p.placeholders})
       ON CONFLICT ("deployment_kind", "deployment_ref", "provider_file_id") DO NOTHING RETURNING *`,
      p.values,
    );
    if (rows[0]) return rows[0];
    const existing: FileRow[] = await this.ds.query(
      `SELECT * FROM ${this.t.files} WHERE "deployment_kind" = $1 AND "deployment_ref" = $2 AND "provider_file_id" = $3`,
      [f.deployment_kind, f.deployment_ref, f.provider_file_id],
    );
    return existing[0]!;
  }

  async find(id: string): Promise<FileRow | null> {
    const rows: FileRow[] = await this.ds.query(`SELECT * FROM ${this.t.files} WHERE "id" = $1 AND "deleted_at" IS NULL`, [id]);
    return rows[0] ?? null;
  }

  async list(c: JobsCaller, f: { purpose?: string; provider?: string; limit: number; after?: string }): Promise<FileRow[]> {
    const params: unknown[] = [];
    const where = ['"deleted_at" IS NULL', visibleSql(c, params)];
    if (f.purpose) {
      params.push(f.purpose);
      where.push(`"purpose" = $${params.length}`);
    }
    if (f.provider) {
      params.push(f.provider);
      where.push(`"custom_llm_provider" = $${params.length}`);
    }
    if (f.after) {
      params.push(f.after);
      where.push(`("created_at", "id") < (SELECT "created_at", "id" FROM ${this.t.files} WHERE "id" = $${params.length})`);
    }
    params.push(f.limit + 1);
    return this.ds.query(`SELECT * FROM ${this.t.files} WHERE ${where.join(' AND ')} ORDER BY "created_at" DESC, "id" DESC LIMIT $${params.length}`, params);
  }

  async refresh(id: string, object: Record<string, unknown>, bytes: number, status: string): Promise<void> {
    await this.ds.query(`UPDATE ${this.t.files} SET "object" = $2, "bytes" = $3, "status" = $4, "updated_at" = now() WHERE "id" = $1`, [id, JSON.stringify(object), bytes, status]);
  }

  async markDeleted(id: string): Promise<void> {
    await this.ds.query(`UPDATE ${this.t.files} SET "deleted_at" = now(), "status" = 'deleted', "updated_at" = now() WHERE "id" = $1`, [id]);
  }

  async ping(timeoutMs: number): Promise<boolean> {
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    return Promise.race([this.ds.query('SELECT 1').then(() => true, () => false), timeout]);
  }
}
