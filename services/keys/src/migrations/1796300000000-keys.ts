import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The keys service's tables, in the data source's own schema (read from the driver, so a test's
 * throwaway schema works). Money is NUMERIC (never a float in SQL); JSON fields are JSONB.
 * `keys.token` is the sha256 hex of the raw key: the raw key is never written anywhere.
 */
export class Keys1796300000000 implements MigrationInterface {
  name = 'Keys1796300000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`
      CREATE TABLE ${s}."users" (
        "user_id" text PRIMARY KEY,
        "user_email" text NULL,
        "user_alias" text NULL,
        "user_role" text NOT NULL DEFAULT 'internal_user'
          CHECK ("user_role" IN ('proxy_admin', 'proxy_admin_viewer', 'internal_user', 'internal_user_viewer')),
        "spend" numeric NOT NULL DEFAULT 0,
        "max_budget" numeric NULL,
        "models" jsonb NOT NULL DEFAULT '[]',
        "tpm_limit" bigint NULL,
        "rpm_limit" bigint NULL,
        "max_parallel_requests" integer NULL,
        "budget_duration" text NULL,
        "budget_reset_at" timestamptz NULL,
        "metadata" jsonb NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "created_by" text NULL,
        "updated_by" text NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX "users_email_lower_key" ON ${s}."users" (lower("user_email")) WHERE "user_email" IS NOT NULL`);

    await q.query(`
      CREATE TABLE ${s}."teams" (
        "team_id" text PRIMARY KEY,
        "team_alias" text NULL,
        "organization_id" text NULL,
        "spend" numeric NOT NULL DEFAULT 0,
        "max_budget" numeric NULL,
        "models" jsonb NOT NULL DEFAULT '[]',
        "tpm_limit" bigint NULL,
        "rpm_limit" bigint NULL,
        "max_parallel_requests" integer NULL,
        "budget_duration" text NULL,
        "budget_reset_at" timestamptz NULL,
        "blocked" boolean NOT NULL DEFAULT false,
        "metadata" jsonb NOT NULL DEFAULT '{}',
        "team_member_permissions" jsonb NULL,
        "model_aliases" jsonb NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "created_by" text NULL,
        "updated_by" text NULL
      )`);

    await q.query(`
      CREATE TABLE ${s}."team_members" (
        "team_id" text NOT NULL REFERENCES ${s}."teams" ("team_id") ON DELETE CASCADE,
        "user_id" text NOT NULL REFERENCES ${s}."users" ("user_id") ON DELETE CASCADE,
        "role" text NOT NULL CHECK ("role" IN ('admin', 'user')),
        "spend" numeric NOT NULL DEFAULT 0,
        "max_budget_in_team" numeric NULL,
        "tpm_limit" bigint NULL,
        "rpm_limit" bigint NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("team_id", "user_id")
      )`);
    await q.query(`CREATE INDEX "team_members_user_idx" ON ${s}."team_members" ("user_id")`);

    await q.query(`
      CREATE TABLE ${s}."keys" (
        "token" text PRIMARY KEY CHECK ("token" ~ '^[0-9a-f]{64}$'),
        "key_name" text NULL,
        "key_alias" text NULL,
        "spend" numeric NOT NULL DEFAULT 0,
        "max_budget" numeric NULL,
        "expires" timestamptz NULL,
        "models" jsonb NOT NULL DEFAULT '[]',
        "aliases" jsonb NOT NULL DEFAULT '{}',
        "config" jsonb NOT NULL DEFAULT '{}',
        "user_id" text NULL,
        "team_id" text NULL REFERENCES ${s}."teams" ("team_id"),
        "organization_id" text NULL,
        "max_parallel_requests" integer NULL,
        "tpm_limit" bigint NULL,
        "rpm_limit" bigint NULL,
        "budget_duration" text NULL,
        "budget_reset_at" timestamptz NULL,
        "budget_id" text NULL,
        "metadata" jsonb NOT NULL DEFAULT '{}',
        "allowed_cache_controls" jsonb NOT NULL DEFAULT '[]',
        "allowed_routes" jsonb NOT NULL DEFAULT '[]',
        "permissions" jsonb NOT NULL DEFAULT '{}',
        "model_spend" jsonb NOT NULL DEFAULT '{}',
        "model_max_budget" jsonb NOT NULL DEFAULT '{}',
        "soft_budget_cooldown" boolean NOT NULL DEFAULT false,
        "blocked" boolean NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "created_by" text NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "updated_by" text NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX "keys_key_alias_key" ON ${s}."keys" ("key_alias") WHERE "key_alias" IS NOT NULL`);
    await q.query(`CREATE INDEX "keys_user_id_idx" ON ${s}."keys" ("user_id")`);
    await q.query(`CREATE INDEX "keys_team_id_idx" ON ${s}."keys" ("team_id")`);
    await q.query(`CREATE INDEX "keys_created_at_idx" ON ${s}."keys" ("created_at" DESC, "token" DESC)`);

    await q.query(`
      CREATE TABLE ${s}."deleted_keys" (
        "id" bigserial PRIMARY KEY,
        "token" text NOT NULL,
        "key_alias" text NULL,
        "user_id" text NULL,
        "team_id" text NULL,
        "row" jsonb NOT NULL,
        "reason" text NOT NULL,
        "deleted_at" timestamptz NOT NULL DEFAULT now(),
        "deleted_by" text NULL,
        "deleted_by_api_key" text NULL
      )`);
    await q.query(`CREATE INDEX "deleted_keys_token_idx" ON ${s}."deleted_keys" ("token")`);

    await q.query(`
      CREATE TABLE ${s}."team_models" (
        "model_id" text PRIMARY KEY,
        "model_name" text NOT NULL UNIQUE,
        "team_id" text NOT NULL REFERENCES ${s}."teams" ("team_id") ON DELETE CASCADE,
        "public_model_name" text NOT NULL,
        "litellm_params" jsonb NOT NULL,
        "model_info" jsonb NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "created_by" text NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "updated_by" text NULL,
        UNIQUE ("team_id", "public_model_name")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    for (const t of ['team_models', 'deleted_keys', 'keys', 'team_members', 'teams', 'users']) await q.query(`DROP TABLE ${s}."${t}"`);
  }
}

function schemaOf(q: QueryRunner): string {
  const name = q.connection.driver.schema ?? 'public';
  return `"${name.replace(/"/g, '""')}"`;
}
