import type { Logger, TollgateConfig, TollgateEnv } from '@tollgate/config';

/** Everything the keys service needs, passed explicitly so tests need no process.env. */
export interface KeysServiceOptions {
  /** namespace, NATS URL and log level come from here */
  env: TollgateEnv;
  databaseUrl: string;
  /** Postgres schema of this service's tables and migration history (default `keys`) */
  schema?: string;
  logger?: Logger;
  /** port of the /health/live + /health/ready HTTP server; 0 = any free port, null = no server (default 8081) */
  healthPort?: number | null;
  healthHost?: string;
}

export interface ResolvedKeysOptions {
  namespace: string;
  schema: string;
}

export const KEYS_OPTIONS = Symbol('KEYS_OPTIONS');
export const LOGGER = Symbol('LOGGER');

export const DEFAULT_SCHEMA = 'keys';
export const DEFAULT_HEALTH_PORT = 8081;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function resolveOptions(opts: KeysServiceOptions): ResolvedKeysOptions {
  const schema = opts.schema ?? DEFAULT_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) throw new Error(`keys schema must match ${SCHEMA_NAME} (got "${schema}")`);
  return { namespace: opts.env.namespace, schema };
}

/** What `main.ts` uses: env + config file, read once by libs/config. */
export function optionsFromConfig(config: TollgateConfig): KeysServiceOptions {
  return {
    env: config.env,
    databaseUrl: config.databaseUrl,
    // HEALTH_PORT unset reads as 0 in libs/config: each service has its own default
    healthPort: config.env.healthPort || DEFAULT_HEALTH_PORT,
    healthHost: config.env.host,
  };
}
