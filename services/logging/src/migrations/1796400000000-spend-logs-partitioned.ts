import { MigrationInterface, QueryRunner } from 'typeorm';
import { createMonthPartitionSql, DEFAULT_PARTITION, monthStart, addMonths } from '../partitions/partition-sql';

/**
 * `spend_logs` becomes a table partitioned by month on start_time, with a default partition for
 * rows outside every month partition. A unique key of a partitioned table must hold the partition
 * key, so the primary key is (request_id, start_time): a redelivered event has the same start time,
 * so INSERT ... ON CONFLICT DO NOTHING stays idempotent. Adds `session_id` and
 * `requester_ip_address`. Existing rows are copied into their month partitions, then the old
 * table is dropped; on an empty table only the structure changes. Runs in one transaction.
 */
export class SpendLogsPartitioned1796400000000 implements MigrationInterface {
  name = 'SpendLogsPartitioned1796400000000';

  async up(q: QueryRunner): Promise<void> {
    const schema = q.connection.driver.schema ?? 'public';
    const s = `"${schema.replace(/"/g, '""')}"`;
    // index and constraint names are per schema: move the old ones out of the way first
    await q.query(`ALTER TABLE ${s}."spend_logs" RENAME TO "spend_logs_unpartitioned"`);
    await q.query(`ALTER TABLE ${s}."spend_logs_unpartitioned" RENAME CONSTRAINT "spend_logs_pkey" TO "spend_logs_unpartitioned_pkey"`);
    for (const idx of ['start_time', 'api_key_start_time', 'user_start_time', 'team_id_start_time', 'model_group']) {
      await q.query(`ALTER INDEX ${s}."spend_logs_${idx}_idx" RENAME TO "spend_logs_unpartitioned_${idx}_idx"`);
    }
    await q.query(`
      CREATE TABLE ${s}."spend_logs" (
        "request_id" text NOT NULL,
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
        "trace_id" text NULL,
        "session_id" text NOT NULL DEFAULT '',
        "requester_ip_address" text NOT NULL DEFAULT '',
        CONSTRAINT "spend_logs_pkey" PRIMARY KEY ("request_id", "start_time")
      ) PARTITION BY RANGE ("start_time")`);
    await q.query(`CREATE TABLE ${s}."${DEFAULT_PARTITION}" PARTITION OF ${s}."spend_logs" DEFAULT`);
    // on the parent, so every partition (present and future) gets them
    await q.query(`CREATE INDEX "spend_logs_start_time_idx" ON ${s}."spend_logs" ("start_time")`);
    await q.query(`CREATE INDEX "spend_logs_api_key_start_time_idx" ON ${s}."spend_logs" ("api_key", "start_time")`);
    await q.query(`CREATE INDEX "spend_logs_user_start_time_idx" ON ${s}."spend_logs" ("user", "start_time")`);
    await q.query(`CREATE INDEX "spend_logs_team_id_start_time_idx" ON ${s}."spend_logs" ("team_id", "start_time")`);
    await q.query(`CREATE INDEX "spend_logs_end_user_start_time_idx" ON ${s}."spend_logs" ("end_user", "start_time")`);
    await q.query(`CREATE INDEX "spend_logs_model_group_start_time_idx" ON ${s}."spend_logs" ("model_group", "start_time")`);

    // one partition per month the old rows touch, plus this month and the next two
    const found: { month: Date }[] = await q.query(
      `SELECT DISTINCT date_trunc('month', "start_time" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS month FROM ${s}."spend_logs_unpartitioned"`,
    );
    const now = monthStart(new Date());
    const months = new Map<number, Date>();
    for (const m of [...found.map((r) => monthStart(new Date(r.month))), now, addMonths(now, 1), addMonths(now, 2)]) months.set(m.getTime(), m);
    for (const month of [...months.values()].sort((a, b) => a.getTime() - b.getTime())) {
      for (const sql of createMonthPartitionSql(schema, month)) await q.query(sql);
    }
    const cols = `"request_id", "call_type", "api_key", "spend", "total_tokens", "prompt_tokens", "completion_tokens", "start_time",
      "end_time", "completion_start_time", "model", "model_id", "model_group", "api_base", "custom_llm_provider", "user",
      "team_id", "end_user", "metadata", "request_tags", "status", "messages", "response", "trace_id"`;
    await q.query(`INSERT INTO ${s}."spend_logs" (${cols}) SELECT ${cols} FROM ${s}."spend_logs_unpartitioned"`);
    await q.query(`DROP TABLE ${s}."spend_logs_unpartitioned"`);
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = q.connection.driver.schema ?? 'public';
    const s = `"${schema.replace(/"/g, '""')}"`;
    await q.query(`ALTER TABLE ${s}."spend_logs" RENAME TO "spend_logs_partitioned"`);
    await q.query(`ALTER TABLE ${s}."spend_logs_partitioned" RENAME CONSTRAINT "spend_logs_pkey" TO "spend_logs_partitioned_pkey"`);
    for (const idx of ['start_time', 'api_key_start_time', 'user_start_time', 'team_id_start_time', 'end_user_start_time', 'model_group_start_time']) {
      await q.query(`ALTER INDEX ${s}."spend_logs_${idx}_idx" RENAME TO "spend_logs_partitioned_${idx}_idx"`);
    }
    await q.query(`
      CREATE TABLE ${s}."spend_logs" (LIKE ${s}."spend_logs_partitioned" INCLUDING DEFAULTS,
        CONSTRAINT "spend_logs_pkey" PRIMARY KEY ("request_id"))`);
    await q.query(`ALTER TABLE ${s}."spend_logs" DROP COLUMN "session_id", DROP COLUMN "requester_ip_address"`);
    await q.query(`
      INSERT INTO ${s}."spend_logs" SELECT DISTINCT ON ("request_id") "request_id", "call_type", "api_key", "spend", "total_tokens",
        "prompt_tokens", "completion_tokens", "start_time", "end_time", "completion_start_time", "model", "model_id", "model_group",
        "api_base", "custom_llm_provider", "user", "team_id", "end_user", "metadata", "request_tags", "status", "messages",
        "response", "trace_id" FROM ${s}."spend_logs_partitioned" ORDER BY "request_id", "start_time"`);
    await q.query(`DROP TABLE ${s}."spend_logs_partitioned"`);
    await q.query(`CREATE INDEX "spend_logs_start_time_idx" ON ${s}."spend_logs" ("start_time")`);
    await q.query(`CREATE INDEX "spend_logs_api_key_start_time_idx" ON ${s}."spend_logs" ("api_key", "start_time")`);
    await q.query(`CREATE INDEX "spend_logs_user_start_time_idx" ON ${s}."spend_logs" ("user", "start_time")`);
    await q.query(`CREATE INDEX "spend_logs_team_id_start_time_idx" ON ${s}."spend_logs" ("team_id", "start_time")`);
    await q.query(`CREATE INDEX "spend_logs_model_group_idx" ON ${s}."spend_logs" ("model_group")`);
  }
}
