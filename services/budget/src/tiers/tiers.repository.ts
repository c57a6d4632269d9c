import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BudgetRow, ModelMaxBudgetEntry } from '@tollgate/contracts';
import { returnedRows } from '../common/returning';
import { Tables } from '../common/tables';

interface TierDbRow {
  budget_id: string;
  max_budget: string | null;
  soft_budget: string | null;
  max_parallel_requests: number | null;
  tpm_limit: string | null;
  rpm_limit: string | null;
  model_max_budget: Record<string, ModelMaxBudgetEntry> | null;
  budget_duration: string | null;
  budget_reset_at: Date | null;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  updated_by: string | null;
}

/** What a write sets (numbers go to NUMERIC / BIGINT columns as they are). */
export interface TierColumns {
  budget_id?: string;
  max_budget?: number | null;
  soft_budget?: number | null;
  max_parallel_requests?: number | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  model_max_budget?: Record<string, ModelMaxBudgetEntry> | null;
  budget_duration?: string | null;
  budget_reset_at?: Date | null;
  created_by?: string | null;
  updated_by?: string | null;
}

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));
const iso = (d: Date | null): string | null => (d === null ? null : new Date(d).toISOString());

export function toBudgetRow(r: TierDbRow): BudgetRow {
  return {
    budget_id: r.budget_id,
    max_budget: num(r.max_budget),
    soft_budget: num(r.soft_budget),
    max_parallel_requests: r.max_parallel_requests,
    tpm_limit: num(r.tpm_limit),
    rpm_limit: num(r.rpm_limit),
    model_max_budget: r.model_max_budget,
    budget_duration: r.budget_duration,
    budget_reset_at: iso(r.budget_reset_at),
    created_at: new Date(r.created_at).toISOString(),
    created_by: r.created_by,
    updated_at: new Date(r.updated_at).toISOString(),
    updated_by: r.updated_by,
  };
}

const COLUMNS = ['budget_id', 'max_budget', 'soft_budget', 'max_parallel_requests', 'tpm_limit', 'rpm_limit', 'model_max_budget', 'budget_duration', 'budget_reset_at', 'created_by', 'updated_by'] as const;

/** Every query against `budgets`. */
@Injectable()
export class TiersRepository {
  constructor(private readonly ds: DataSource, private readonly t: Tables) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  /** null when the id is taken */
  async insert(m: EntityManager, c: TierColumns): Promise<BudgetRow | null> {
    const cols = COLUMNS.filter((k) => c[k] !== undefined);
    const values = cols.map((k) => (k === 'model_max_budget' && c[k] !== null ? JSON.stringify(c[k]) : c[k]));
    const rows: TierDbRow[] = await m.query(
      `INSERT INTO ${this.t.budgets} (${cols.map((k) => `"${k}"`).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})
       ON CONFLICT ("budget_id") DO NOTHING RETURNING *`,
      values,
    );
    return rows[0] ? toBudgetRow(rows[0]) : null;
  }

  async update(m: EntityManager, id: string, c: TierColumns): Promise<BudgetRow | null> {
    const cols = COLUMNS.filter((k) => k !== 'budget_id' && k !== 'created_by' && c[k] !== undefined);
    const values = cols.map((k) => (k === 'model_max_budget' && c[k] !== null ? JSON.stringify(c[k]) : c[k]));
    const sets = [...cols.map((k, i) => `"${k}" = $${i + 2}`), `"updated_at" = now()`];
    const rows = returnedRows<TierDbRow>(await m.query(`UPDATE ${this.t.budgets} SET ${sets.join(', ')} WHERE "budget_id" = $1 RETURNING *`, [id, ...values]));
    return rows[0] ? toBudgetRow(rows[0]) : null;
  }

  async lock(m: EntityManager, id: string): Promise<BudgetRow | null> {
    const rows: TierDbRow[] = await m.query(`SELECT * FROM ${this.t.budgets} WHERE "budget_id" = $1 FOR UPDATE`, [id]);
    return rows[0] ? toBudgetRow(rows[0]) : null;
  }

  async delete(m: EntityManager, id: string): Promise<BudgetRow | null> {
    const rows = returnedRows<TierDbRow>(await m.query(`DELETE FROM ${this.t.budgets} WHERE "budget_id" = $1 RETURNING *`, [id]));
    return rows[0] ? toBudgetRow(rows[0]) : null;
  }

  async find(ids: string[]): Promise<BudgetRow[]> {
    const rows: TierDbRow[] = await this.ds.query(`SELECT * FROM ${this.t.budgets} WHERE "budget_id" = ANY($1) ORDER BY "budget_id"`, [ids]);
    return rows.map(toBudgetRow);
  }

  async all(): Promise<BudgetRow[]> {
    const rows: TierDbRow[] = await this.ds.query(`SELECT * FROM ${this.t.budgets} ORDER BY "created_at", "budget_id"`);
    return rows.map(toBudgetRow);
  }

  /** Tiers whose period ended: their budget_reset_at moves on (the spend itself lives in spend_totals). */
  async advanceResets(m: EntityManager, now: Date, next: (duration: string, now: Date) => Date | null): Promise<string[]> {
    const due: { budget_id: string; budget_duration: string }[] = await m.query(
      `SELECT "budget_id", "budget_duration" FROM ${this.t.budgets}
        WHERE "budget_reset_at" <= $1 AND "budget_duration" IS NOT NULL FOR UPDATE SKIP LOCKED`,
      [now],
    );
    for (const d of due) {
      await m.query(`UPDATE ${this.t.budgets} SET "budget_reset_at" = $2 WHERE "budget_id" = $1`, [d.budget_id, next(d.budget_duration, now)]);
    }
    return due.map((d) => d.budget_id);
  }

  async ping(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.ds.query('SELECT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs))),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
