import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The budget service's tables, in the data source's own schema. Money is NUMERIC: tiers in dollars
 * (LiteLLM's budget table), spend in whole pico-dollars (numeric(40,0): exact at any total).
 * `processed_events` is the exactly-once ledger: one row per usage event whose cost was applied,
 * inserted in the same transaction as the spend increments it caused.
 */
export class Budget1796400000000 implements MigrationInterface {
  name = 'Budget1796400000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`
      CREATE TABLE ${s}."budgets" (
        "budget_id" text PRIMARY KEY,
        "max_budget" numeric NULL,
        "soft_budget" numeric NULL,
        "max_parallel_requests" integer NULL,
        "tpm_limit" bigint NULL,
        "rpm_limit" bigint NULL,
        "model_max_budget" jsonb NULL,
        "budget_duration" text NULL,
        "budget_reset_at" timestamptz NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "created_by" text NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "updated_by" text NULL
      )`);
    await q.query(`
      CREATE TABLE ${s}."spend_totals" (
        "entity_type" text NOT NULL CHECK ("entity_type" IN ('key', 'user', 'team', 'member', 'keymodel', 'tier')),
        "entity_id" text NOT NULL,
        "spend_pico" numeric(40, 0) NOT NULL DEFAULT 0,
        "version" bigint NOT NULL DEFAULT 0,
        "budget_id" text NULL,
        "budget_duration" text NULL,
        "budget_reset_at" timestamptz NULL,
        "period_start" timestamptz NOT NULL DEFAULT now(),
        "resets" integer NOT NULL DEFAULT 0,
        "soft_budget_alerted" boolean NOT NULL DEFAULT false,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("entity_type", "entity_id")
      )`);
    await q.query(`CREATE INDEX "spend_totals_reset_idx" ON ${s}."spend_totals" ("budget_reset_at") WHERE "budget_reset_at" IS NOT NULL`);
    await q.query(`
      CREATE TABLE ${s}."processed_events" (
        "request_id" text PRIMARY KEY,
        "cost_pico" numeric(40, 0) NOT NULL,
        "entities" jsonb NOT NULL,
        "processed_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "processed_events_at_idx" ON ${s}."processed_events" ("processed_at")`);
    await q.query(`
      CREATE TABLE ${s}."alerts" (
        "alert_id" text PRIMARY KEY,
        "payload" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "published_at" timestamptz NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    for (const t of ['alerts', 'processed_events', 'spend_totals', 'budgets']) await q.query(`DROP TABLE ${s}."${t}"`);
  }
}

function schemaOf(q: QueryRunner): string {
  const name = q.connection.driver.schema ?? 'public';
  return `"${name.replace(/"/g, '""')}"`;
}
