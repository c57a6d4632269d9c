import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { SoftBudgetCrossedPayload } from '@tollgate/contracts';
import type { EntityRef, EntityType } from '@tollgate/limits';
import { returnedRows } from '../common/returning';
import { Tables } from '../common/tables';

export interface TotalRow {
  entity_type: EntityType;
  entity_id: string;
  spend_pico: string;
  version: string;
  budget_duration: string | null;
  budget_reset_at: Date | null;
  soft_budget_alerted: boolean;
  period_start: Date;
  resets: number;
}

export interface Increment {
  type: EntityType;
  id: string;
  deltaPico: bigint;
  budgetId: string | null;
}

export interface ScheduleUpdate {
  type: EntityType;
  id: string;
  duration: string | null;
  resetAt: Date | null;
}

const RETURNING = `"entity_type", "entity_id", "spend_pico"::text AS "spend_pico", "version"::text AS "version", "budget_duration",
  "budget_reset_at", "soft_budget_alerted", "period_start", "resets"`;

/** Every query against spend_totals, processed_events and alerts. */
@Injectable()
export class SpendRepository {
  constructor(private readonly ds: DataSource, private readonly t: Tables) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  /** Records events as processed; returns the ids that were new (a redelivered event is not). */
  async markProcessed(m: EntityManager, events: { requestId: string; costPico: bigint; entities: EntityRef[] }[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const rows: { request_id: string }[] = await m.query(
      `INSERT INTO ${this.t.processed} ("request_id", "cost_pico", "entities")
       SELECT x.r, x.c, x.e::jsonb FROM unnest($1::text[], $2::numeric[], $3::text[]) AS x(r, c, e)
       ON CONFLICT ("request_id") DO NOTHING RETURNING "request_id"`,
      [events.map((e) => e.requestId), events.map((e) => e.costPico.toString()), events.map((e) => JSON.stringify(e.entities))],
    );
    return new Set(rows.map((r) => r.request_id));
  }

  /** Adds the deltas (rows locked in a fixed order, so concurrent replicas do not deadlock each other). */
  async increment(m: EntityManager, inc: Increment[]): Promise<TotalRow[]> {
    if (inc.length === 0) return [];
    const sorted = [...inc].sort((a, b) => (a.type === b.type ? (a.id < b.id ? -1 : 1) : a.type < b.type ? -1 : 1));
    return m.query(
      `INSERT INTO ${this.t.totals} AS t ("entity_type", "entity_id", "spend_pico", "version", "budget_id")
       SELECT x.ty, x.id, x.d, 1, x.b FROM unnest($1::text[], $2::text[], $3::numeric[], $4::text[]) WITH ORDINALITY AS x(ty, id, d, b, n) ORDER BY x.n
       ON CONFLICT ("entity_type", "entity_id") DO UPDATE
         SET "spend_pico" = t."spend_pico" + EXCLUDED."spend_pico", "version" = t."version" + 1,
             "budget_id" = COALESCE(EXCLUDED."budget_id", t."budget_id"), "updated_at" = now()
       RETURNING ${RETURNING}`,
      [sorted.map((i) => i.type), sorted.map((i) => i.id), sorted.map((i) => i.deltaPico.toString()), sorted.map((i) => i.budgetId)],
    );
  }

  /** A new or changed budget_duration starts its schedule; an unchanged one keeps its reset time. */
  async setSchedules(m: EntityManager, s: ScheduleUpdate[]): Promise<void> {
    if (s.length === 0) return;
    await m.query(
      `UPDATE ${this.t.totals} AS t SET "budget_duration" = x.d, "budget_reset_at" = x.r
         FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS x(ty, id, d, r)
        WHERE t."entity_type" = x.ty AND t."entity_id" = x.id
          AND (t."budget_duration" IS DISTINCT FROM x.d OR (x.d IS NOT NULL AND t."budget_reset_at" IS NULL))`,
      [s.map((x) => x.type), s.map((x) => x.id), s.map((x) => x.duration), s.map((x) => x.resetAt)],
    );
  }

  async markSoftAlerted(m: EntityManager, refs: EntityRef[], alerts: { id: string; payload: SoftBudgetCrossedPayload }[]): Promise<void> {
    if (refs.length === 0) return;
    await m.query(
      `UPDATE ${this.t.totals} AS t SET "soft_budget_alerted" = true FROM unnest($1::text[], $2::text[]) AS x(ty, id)
        WHERE t."entity_type" = x.ty AND t."entity_id" = x.id`,
      [refs.map((r) => r.type), refs.map((r) => r.id)],
    );
    await m.query(
      `INSERT INTO ${this.t.alerts} ("alert_id", "payload") SELECT x.a, x.p::jsonb FROM unnest($1::text[], $2::text[]) AS x(a, p)
       ON CONFLICT ("alert_id") DO NOTHING`,
      [alerts.map((a) => a.id), alerts.map((a) => JSON.stringify(a.payload))],
    );
  }

  /** The entities recorded for these events (for replays: what Postgres already applied). */
  async processedEntities(requestIds: string[]): Promise<EntityRef[]> {
    if (requestIds.length === 0) return [];
    const rows: { entities: EntityRef[] }[] = await this.ds.query(`SELECT "entities" FROM ${this.t.processed} WHERE "request_id" = ANY($1)`, [requestIds]);
    return rows.flatMap((r) => r.entities);
  }

  async totals(refs: EntityRef[]): Promise<TotalRow[]> {
    if (refs.length === 0) return [];
    return this.ds.query(
      `SELECT ${RETURNING} FROM ${this.t.totals} AS t JOIN unnest($1::text[], $2::text[]) AS x(ty, id) ON t."entity_type" = x.ty AND t."entity_id" = x.id`,
      [refs.map((r) => r.type), refs.map((r) => r.id)],
    );
  }

  /** One page of every total, in key order (for rebuilding Redis). */
  async page(after: { type: string; id: string } | null, limit: number): Promise<TotalRow[]> {
    return this.ds.query(
      `SELECT ${RETURNING} FROM ${this.t.totals} WHERE ($1::text IS NULL OR ("entity_type", "entity_id") > ($1, $2))
        ORDER BY "entity_type", "entity_id" LIMIT $3`,
      [after?.type ?? null, after?.id ?? '', limit],
    );
  }

  /** Zeroes every total whose period ended; each row once (SKIP LOCKED + the due condition). */
  async resetDue(m: EntityManager, now: Date, next: (duration: string, now: Date) => Date | null, limit = 5000): Promise<TotalRow[]> {
    const due: { entity_type: string; entity_id: string; budget_duration: string }[] = await m.query(
      `SELECT "entity_type", "entity_id", "budget_duration" FROM ${this.t.totals}
        WHERE "budget_reset_at" <= $1 AND "budget_duration" IS NOT NULL
        ORDER BY "entity_type", "entity_id" LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    if (due.length === 0) return [];
    const result: unknown = await m.query(
      `UPDATE ${this.t.totals} AS t SET "spend_pico" = 0, "version" = t."version" + 1, "budget_reset_at" = x.r, "period_start" = $4,
              "resets" = t."resets" + 1, "soft_budget_alerted" = false, "updated_at" = now()
         FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS x(ty, id, r)
        WHERE t."entity_type" = x.ty AND t."entity_id" = x.id
       RETURNING ${RETURNING}`,
      [due.map((d) => d.entity_type), due.map((d) => d.entity_id), due.map((d) => next(d.budget_duration, now)), now],
    );
    return returnedRows<TotalRow>(result);
  }

  async pruneProcessed(m: EntityManager, olderThan: Date): Promise<void> {
    await m.query(`DELETE FROM ${this.t.processed} WHERE "processed_at" < $1`, [olderThan]);
  }

  async pendingAlerts(): Promise<{ alert_id: string; payload: SoftBudgetCrossedPayload }[]> {
    return this.ds.query(`SELECT "alert_id", "payload" FROM ${this.t.alerts} WHERE "published_at" IS NULL ORDER BY "created_at" LIMIT 500`);
  }

  async alertPublished(id: string): Promise<void> {
    await this.ds.query(`UPDATE ${this.t.alerts} SET "published_at" = now() WHERE "alert_id" = $1`, [id]);
  }
}
