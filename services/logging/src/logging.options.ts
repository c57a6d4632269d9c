import { TollgateConfig, TollgateEnv } from '@tollgate/config';
import type { Logger } from '@tollgate/config';
import { CallbackQueueOptions, DEFAULT_CALLBACK_QUEUE } from './callbacks/callback-queue';
import { CallbackSettings, callbackSettingsFrom, NO_CALLBACKS } from './callbacks/callback-settings';
import { parseDuration } from './maintenance/duration';

/** Everything the logging service needs, passed in explicitly so tests need no process.env. */
export interface LoggingServiceOptions {
  /** namespace, NATS URL, Redis URL, log level and the callbacks' endpoints come from here */
  env: TollgateEnv;
  databaseUrl: string;
  /** the Postgres schema holding this service's tables and migration history (default `logs`) */
  schema?: string;
  /** `general_settings.store_prompts_in_spend_logs`: keep messages / response in the row */
  storePrompts?: boolean;
  logger?: Logger;
  /** pull-consumer tuning: messages per batch (max 1000) and how long one pull waits */
  batch?: { maxMessages?: number; expiresMs?: number };
  /** `litellm_settings` callbacks (see callbackSettingsFrom); none by default */
  callbacks?: CallbackSettings;
  callbackQueue?: Partial<CallbackQueueOptions>;
  /** `general_settings.maximum_spend_logs_retention_period` ("30d", "1mo"); unset = keep forever */
  retentionPeriod?: string;
  /** `general_settings.maximum_spend_logs_retention_interval`: how often retention runs (default "1d") */
  retentionInterval?: string;
  /** HTTP /health/live, /health/ready, /metrics: null = off, 0 = any free port; default env.healthPort || 8085 */
  healthPort?: number | null;
  healthHost?: string;
  /** month partitions kept ahead of the current one (default 2) */
  partitionMonthsAhead?: number;
  /** how often the consumer's JetStream lag is sampled for /metrics (default 5000 ms; 0 = off) */
  lagSampleMs?: number;
  /** false: no BullMQ maintenance worker / schedulers (partitions are still ensured at start) */
  maintenance?: boolean;
}

/** Options after defaults are applied; what the Nest providers receive. */
export interface ResolvedLoggingOptions {
  env: TollgateEnv;
  namespace: string;
  schema: string;
  storePrompts: boolean;
  maxMessages: number;
  expiresMs: number;
  callbacks: CallbackSettings;
  callbackQueue: CallbackQueueOptions;
  /** null: retention is off */
  retentionPeriod: string | null;
  retentionIntervalMs: number;
  partitionMonthsAhead: number;
  lagSampleMs: number;
  maintenance: boolean;
}

export const LOGGING_OPTIONS = Symbol('LOGGING_OPTIONS');
export const LOGGER = Symbol('LOGGER');

export const DEFAULT_SCHEMA = 'logs';
export const DEFAULT_HEALTH_PORT = 8085;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const DAY_MS = 24 * 3600 * 1000;

export function resolveOptions(opts: LoggingServiceOptions): ResolvedLoggingOptions {
  const schema = opts.schema ?? DEFAULT_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) throw new Error(`logging schema must match ${SCHEMA_NAME} (got "${schema}")`);
  // One batch is one INSERT: 1000 rows x 26 columns stays well under Postgres's 65535 parameters.
  const maxMessages = Math.min(Math.max(opts.batch?.maxMessages ?? 500, 1), 1000);
  // nats.js refuses a pull that expires in under a second.
  const expiresMs = Math.max(opts.batch?.expiresMs ?? 1000, 1000);
  const retentionPeriod = opts.retentionPeriod?.trim() || null;
  // validated now: a typo must stop the start, not silently keep (or delete) everything
  if (retentionPeriod !== null) parseDuration(retentionPeriod, 'maximum_spend_logs_retention_period');
  const retentionIntervalMs = opts.retentionInterval
    ? parseDuration(opts.retentionInterval, 'maximum_spend_logs_retention_interval').approxMs
    : DAY_MS;
  return {
    env: opts.env,
    namespace: opts.env.namespace,
    schema,
    storePrompts: opts.storePrompts ?? false,
    maxMessages,
    expiresMs,
    callbacks: opts.callbacks ?? NO_CALLBACKS,
    callbackQueue: { ...DEFAULT_CALLBACK_QUEUE, ...opts.callbackQueue },
    retentionPeriod,
    retentionIntervalMs: Math.max(retentionIntervalMs, 1000),
    partitionMonthsAhead: Math.min(Math.max(opts.partitionMonthsAhead ?? 2, 1), 24),
    lagSampleMs: opts.lagSampleMs ?? 5000,
    maintenance: opts.maintenance ?? true,
  };
}

export function healthPortOf(opts: LoggingServiceOptions): number | null {
  if (opts.healthPort !== undefined) return opts.healthPort;
  return opts.env.healthPort || DEFAULT_HEALTH_PORT;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Error(`config general_settings.${field} must be a string like "30d"`);
  return value;
}

/** The options `main.ts` uses: env + config file, read once by libs/config. */
export function optionsFromConfig(config: TollgateConfig): LoggingServiceOptions {
  const general = config.file.general_settings as Readonly<Record<string, unknown>>;
  return {
    env: config.env,
    databaseUrl: config.databaseUrl,
    storePrompts: config.file.general_settings.store_prompts_in_spend_logs === true,
    callbacks: callbackSettingsFrom(config.file.litellm_settings as Readonly<Record<string, unknown>>),
    retentionPeriod: optionalString(general.maximum_spend_logs_retention_period, 'maximum_spend_logs_retention_period'),
    retentionInterval: optionalString(general.maximum_spend_logs_retention_interval, 'maximum_spend_logs_retention_interval'),
  };
}
