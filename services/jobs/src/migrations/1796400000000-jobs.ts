import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The jobs service's tables, in the data source's own schema. Every row records its owner (key
 * hash, alias, user, team: the ownership rules and the usage event need them), the deployment it
 * lives on (a model_list id or a custom_llm_provider; never a credential), the provider's id and
 * the last object the provider returned. Batches and fine-tuning jobs carry the cost outbox:
 * `cost_state` pending → charging (claimed, event stored) → charged, or none.
 */
export class Jobs1796400000000 implements MigrationInterface {
  name = 'Jobs1796400000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    const owner = `
        "owner_key_hash" text NOT NULL,
        "owner_key_alias" text NULL,
        "owner_user_id" text NULL,
        "owner_team_id" text NULL,
        "owner_team_alias" text NULL`;
    const deployment = `
        "custom_llm_provider" text NOT NULL,
        "deployment_kind" text NOT NULL CHECK ("deployment_kind" IN ('model', 'settings')),
        "deployment_ref" text NOT NULL,
        "model_name" text NULL`;
    const cost = `
        "cost_state" text NOT NULL DEFAULT 'pending' CHECK ("cost_state" IN ('pending', 'charging', 'charged', 'none')),
        "cost_claimed_at" timestamptz NULL,
        "cost_event" jsonb NULL,
        "response_cost" numeric(20, 12) NULL,
        "charged_at" timestamptz NULL,
        "poll_errors" integer NOT NULL DEFAULT 0,
        "last_polled_at" timestamptz NULL,
        "trace" jsonb NOT NULL DEFAULT '{}'`;
    await q.query(`
      CREATE TABLE ${s}."files" (
        "id" text PRIMARY KEY,
        "provider_file_id" text NOT NULL,${deployment},
        "purpose" text NOT NULL,
        "filename" text NOT NULL,
        "bytes" bigint NOT NULL DEFAULT 0,
        "status" text NOT NULL,
        "source" text NOT NULL DEFAULT 'upload' CHECK ("source" IN ('upload', 'batch_output')),${owner},
        "object" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "deleted_at" timestamptz NULL,
        UNIQUE ("deployment_kind", "deployment_ref", "provider_file_id")
      )`);
    await q.query(`
      CREATE TABLE ${s}."batches" (
        "id" text PRIMARY KEY,
        "provider_batch_id" text NOT NULL,${deployment},
        "endpoint" text NOT NULL,
        "input_file_id" text NOT NULL,
        "output_file_id" text NULL,
        "error_file_id" text NULL,
        "status" text NOT NULL,${owner},
        "object" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "finished_at" timestamptz NULL,${cost},
        UNIQUE ("deployment_kind", "deployment_ref", "provider_batch_id")
      )`);
    await q.query(`
      CREATE TABLE ${s}."fine_tuning_jobs" (
        "id" text PRIMARY KEY,
        "provider_job_id" text NOT NULL,${deployment},
        "base_model" text NOT NULL,
        "training_file_id" text NOT NULL,
        "validation_file_id" text NULL,
        "status" text NOT NULL,
        "trained_tokens" bigint NULL,
        "fine_tuned_model" text NULL,${owner},
        "object" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "finished_at" timestamptz NULL,${cost},
        UNIQUE ("deployment_kind", "deployment_ref", "provider_job_id")
      )`);
    for (const t of ['files', 'batches', 'fine_tuning_jobs']) {
      await q.query(`CREATE INDEX "${t}_team_idx" ON ${s}."${t}" ("owner_team_id", "created_at" DESC)`);
      await q.query(`CREATE INDEX "${t}_key_idx" ON ${s}."${t}" ("owner_key_hash", "created_at" DESC)`);
      await q.query(`CREATE INDEX "${t}_created_idx" ON ${s}."${t}" ("created_at" DESC, "id" DESC)`);
    }
    await q.query(`CREATE INDEX "batches_open_idx" ON ${s}."batches" ("cost_state") WHERE "cost_state" IN ('pending', 'charging')`);
    await q.query(`CREATE INDEX "fine_tuning_jobs_open_idx" ON ${s}."fine_tuning_jobs" ("cost_state") WHERE "cost_state" IN ('pending', 'charging')`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    for (const t of ['fine_tuning_jobs', 'batches', 'files']) await q.query(`DROP TABLE ${s}."${t}"`);
  }
}

function schemaOf(q: QueryRunner): string {
  const name = (q.connection.options as { schema?: string }).schema ?? 'public';
  return `"${name.replace(/"/g, '""')}"`;
}
