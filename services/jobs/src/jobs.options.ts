import type { Deployment, Logger, TollgateConfig, TollgateEnv } from '@tollgate/config';
import type { PriceTable } from '@tollgate/pricing';
import { ProviderSettings, readProviderSettings } from './routing/provider-settings';

/** Everything the jobs service needs, passed explicitly so tests need no process.env. */
export interface JobsServiceOptions {
  /** namespace, NATS URL, Redis URL, poll interval and log level come from here */
  env: TollgateEnv;
  databaseUrl: string;
  /** model_list deployments (model-based routing of files, batches and fine-tuning jobs) */
  deployments: readonly Deployment[];
  /** LiteLLM's `files_settings` and `finetune_settings` (custom_llm_provider-based routing) */
  filesSettings?: readonly ProviderSettings[];
  finetuneSettings?: readonly ProviderSettings[];
  /** Postgres schema (default `jobs`) */
  schema?: string;
  logger?: Logger;
  /** /health/live + /health/ready port; 0 = any free port, null = none (default 8084) */
  healthPort?: number | null;
  healthHost?: string;
  /** the internal upload / download listener; 0 = any free port, null = none (default env.jobsInternalPort) */
  internalPort?: number | null;
  internalHost?: string;
  /** shared secret the gateway signs the caller header with (default env.jobsInternalSecret) */
  internalSecret?: string;
  /** ms between polls of an open batch / fine-tuning job (default env.batchPollIntervalS × 1000) */
  pollIntervalMs?: number;
  /** each job's first poll is delayed by a random 0..jitter ms, so polls spread out (default 30 s, as LiteLLM) */
  pollJitterMs?: number;
  /** run the BullMQ workers in this process (default true) */
  workers?: boolean;
  prices?: PriceTable;
}

export interface ResolvedJobsOptions {
  namespace: string;
  schema: string;
  pollIntervalMs: number;
  pollJitterMs: number;
}

export const JOBS_OPTIONS = Symbol('JOBS_OPTIONS');
export const LOGGER = Symbol('LOGGER');

export const DEFAULT_SCHEMA = 'jobs';
export const DEFAULT_HEALTH_PORT = 8084;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function resolveOptions(opts: JobsServiceOptions): ResolvedJobsOptions {
  const schema = opts.schema ?? DEFAULT_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) throw new Error(`jobs schema must match ${SCHEMA_NAME} (got "${schema}")`);
  return {
    namespace: opts.env.namespace,
    schema,
    pollIntervalMs: Math.max(opts.pollIntervalMs ?? opts.env.batchPollIntervalS * 1000, 100),
    pollJitterMs: opts.pollJitterMs ?? 30_000,
  };
}

/** What `main.ts` uses: env + config file, read once by libs/config. */
export function optionsFromConfig(config: TollgateConfig): JobsServiceOptions {
  const file = config.file as Record<string, unknown>;
  return {
    env: config.env,
    databaseUrl: config.databaseUrl,
    deployments: config.deployments,
    filesSettings: readProviderSettings(file.files_settings, 'files_settings'),
    finetuneSettings: readProviderSettings(file.finetune_settings, 'finetune_settings'),
    healthPort: config.env.healthPort || DEFAULT_HEALTH_PORT,
    healthHost: config.env.host,
    internalPort: config.env.jobsInternalPort,
    internalHost: config.env.jobsInternalHost,
    internalSecret: config.env.jobsInternalSecret,
  };
}
