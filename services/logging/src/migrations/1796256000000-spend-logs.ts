import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `spend_logs` in the data source's own schema (read from the driver, so a test's throwaway schema
 * works). Indexes follow what `/spend/logs` filters on: request_id (the primary key), key / user /
 * team each with start_time (they are always combined with a date range and ordered by it),
 * start_time alone (date-only queries), and model_group (per-model reports).
 * The primary key is request_id alone: that is what makes the consumer's
 * INSERT ... ON CONFLICT (request_id) DO NOTHING idempotent.
 */
export class SpendLogs1796256000000 implements MigrationInterface {
  name = 'SpendLogs1796256000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}."spend_logs" (
        "request_id" text PRIMARY KEY,
        "call_type" text NOT NULL DEFAULT '',
        "api_key" text NOT NULL DEFAULT '',
        "spend" numeric(20, 12) NOT NULL DEFAULT 0,
        "total_tokens" bigint NOT NULL DEFAULT 0,
        "prompt_tokens" bigint NOT NULL DEFAULT 0,
        "completion_tokens" bigint NOT NULL DEFAULT 0,
        "start_time" timestamptz NOT NULL,
        "end_time" timestamptz NOT NULL,
        "completion_start_time" timestamptz NULL,
        "model" text NOT NULL DEFAULT '',
        "model_id" text NOT NULL DEFAULT '',
        "model_group" text NOT NULL DEFAULT '',
        "api_base" text NOT NULL DEFAULT '',
        "custom_llm_provider" text NOT NULL DEFAULT '',
        "user" text NOT NULL DEFAULT '',
        "team_id" text NOT NULL DEFAULT '',
        "end_user" text NOT NULL DEFAULT '',
        "metadata" jsonb NOT NULL DEFAULT '{}',
        "request_tags" jsonb NOT NULL DEFAULT '[]',
        "status" text NOT NULL,
        "messages" jsonb NOT NULL DEFAULT '{}',
        "response" jsonb NOT NULL DEFAULT '{}',
        "trace_id" text NULL
      )`);
    await queryRunner.query(`CREATE INDEX "spend_logs_start_time_idx" ON ${s}."spend_logs" ("start_time")`);
    await queryRunner.query(`CREATE INDEX "spend_logs_api_key_start_time_idx" ON ${s}."spend_logs" ("api_key", "start_time")`);
    await queryRunner.query(`CREATE INDEX "spend_logs_user_start_time_idx" ON ${s}."spend_logs" ("user", "start_time")`);
    await queryRunner.query(`CREATE INDEX "spend_logs_team_id_start_time_idx" ON ${s}."spend_logs" ("team_id", "start_time")`);
    await queryRunner.query(`CREATE INDEX "spend_logs_model_group_idx" ON ${s}."spend_logs" ("model_group")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaOf(queryRunner)}."spend_logs"`);
  }
}

function schemaOf(queryRunner: QueryRunner): string {
  const name = queryRunner.connection.driver.schema ?? 'public';
  return `"${name.replace(/"/g, '""')}"`;
}
