import type { Logger, TollgateConfig, TollgateEnv } from '@tollgate/config';

/** Everything the budget service needs, passed explicitly so tests need no process.env. */
export interface BudgetServiceOptions {
  /** namespace, NATS URL, Redis URL and log level come from here */
  env: TollgateEnv;
  databaseUrl: string;
  /** Postgres schema of this service's tables (default `budget`) */
  schema?: string;
  logger?: Logger;
  /** port of the /health/live + /health/ready HTTP server; 0 = any free port, null = none (default 8082) */
  healthPort?: number | null;
  healthHost?: string;
  /** how often the reset job runs (BullMQ job scheduler, one run per tick across replicas); default 10 000 ms */
  resetIntervalMs?: number;
  /** how often the Redis projection is checked for a lost epoch marker (then rebuilt); default 5000 ms */
  projectionCheckMs?: number;
  /** how long a key's attribution (user, team, tier, durations) is cached; default 30 000 ms */
  keyContextTtlMs?: number;
}

export interface ResolvedBudgetOptions {
  namespace: string;
  schema: string;
  redisUrl: string;
  resetIntervalMs: number;
  projectionCheckMs: number;
  keyContextTtlMs: number;
}

export const BUDGET_OPTIONS = Symbol('BUDGET_OPTIONS');
export const LOGGER = Symbol('LOGGER');
export const REDIS = Symbol('REDIS');

export const DEFAULT_SCHEMA = 'budget';
export const DEFAULT_HEALTH_PORT = 8082;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function resolveOptions(opts: BudgetServiceOptions): ResolvedBudgetOptions {
  const schema = opts.schema ?? DEFAULT_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) throw new Error(`budget schema must match ${SCHEMA_NAME} (got "${schema}")`);
  return {
    namespace: opts.env.namespace,
    schema,
    redisUrl: opts.env.redisUrl,
    resetIntervalMs: opts.resetIntervalMs ?? 10_000,
    projectionCheckMs: opts.projectionCheckMs ?? 5000,
    keyContextTtlMs: opts.keyContextTtlMs ?? 30_000,
  };
}

/** What `main.ts` uses: env + config file, read once by libs/config. */
export function optionsFromConfig(config: TollgateConfig): BudgetServiceOptions {
  return {
    env: config.env,
    databaseUrl: config.databaseUrl,
    healthPort: config.env.healthPort || DEFAULT_HEALTH_PORT,
    healthHost: config.env.host,
  };
}
