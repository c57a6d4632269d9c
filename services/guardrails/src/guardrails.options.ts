import { dirname } from 'node:path';
import { TollgateConfig, TollgateEnv } from '@tollgate/config';
import type { Logger } from '@tollgate/config';

export const DEFAULT_HEALTH_PORT = 8083;

/** Everything the guardrails service needs, passed in explicitly so tests need no process.env. */
export interface GuardrailsServiceOptions {
  /** namespace, NATS URL, host and log level come from here */
  env: TollgateEnv;
  /** the config's `guardrails:` list (env references already resolved by libs/config) */
  guardrails: readonly unknown[];
  /** folder custom module paths are relative to (default: the config file's folder, else the cwd) */
  baseDir?: string;
  logger?: Logger;
  /** HTTP health port: a number (0 = any free port), null = no HTTP health server; default env HEALTH_PORT or 8083 */
  healthPort?: number | null;
  /** default env.host */
  healthHost?: string;
}

/** The options `main.ts` uses: env + config file, read once by libs/config. */
export function optionsFromConfig(config: TollgateConfig): GuardrailsServiceOptions {
  return {
    env: config.env,
    guardrails: config.file.guardrails,
    baseDir: config.env.configPath ? dirname(config.env.configPath) : process.cwd(),
  };
}

export function healthPortOf(opts: GuardrailsServiceOptions): number | null {
  if (opts.healthPort !== undefined) return opts.healthPort;
  return opts.env.healthPort || DEFAULT_HEALTH_PORT;
}
