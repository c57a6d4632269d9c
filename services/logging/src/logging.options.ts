import { TollgateConfig, TollgateEnv } from '@tollgate/config';
import type { Logger } from '@tollgate/config';

/** Everything the logging service needs, passed in explicitly so tests need no process.env. */
export interface LoggingServiceOptions {
  /** namespace, NATS URL and log level come from here */
  env: TollgateEnv;
  databaseUrl: string;
  /** the Postgres schema holding this service's tables and migration history (default `logs`) */
  schema?: string;
  /** `general_settings.store_prompts_in_spend_logs`: keep messages / response in the row */
  storePrompts?: boolean;
  logger?: Logger;
  /** pull-consumer tuning: messages per batch (max 1000) and how long one pull waits */
  batch?: { maxMessages?: number; expiresMs?: number };
}

/** Options after defaults are applied; what the Nest providers receive. */
export interface ResolvedLoggingOptions {
  namespace: string;
  schema: string;
  storePrompts: boolean;
  maxMessages: number;
  expiresMs: number;
}

export const LOGGING_OPTIONS = Symbol('LOGGING_OPTIONS');
export const LOGGER = Symbol('LOGGER');

export const DEFAULT_SCHEMA = 'logs';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function resolveOptions(opts: LoggingServiceOptions): ResolvedLoggingOptions {
  const schema = opts.schema ?? DEFAULT_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) throw new Error(`logging schema must match ${SCHEMA_NAME} (got "${schema}")`);
  // One batch is one INSERT: 1000 rows x 24 columns stays well under Postgres's 65535 parameters.
  const maxMessages = Math.min(Math.max(opts.batch?.maxMessages ?? 500, 1), 1000);
  // nats.js refuses a pull that expires in under a second.
  const expiresMs = Math.max(opts.batch?.expiresMs ?? 1000, 1000);
  return { namespace: opts.env.namespace, schema, storePrompts: opts.storePrompts ?? false, maxMessages, expiresMs };
}

/** The options `main.ts` uses: env + config file, read once by libs/config. */
export function optionsFromConfig(config: TollgateConfig): LoggingServiceOptions {
  return {
    env: config.env,
    databaseUrl: config.databaseUrl,
    storePrompts: config.file.general_settings.store_prompts_in_spend_logs === true,
  };
}
