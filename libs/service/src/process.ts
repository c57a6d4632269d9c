import { createLogger, loadConfig, Logger, TollgateConfig } from '@tollgate/config';
import type { HealthReply, ServiceName } from '@tollgate/contracts';
import { shutdownTracing } from '@tollgate/tracing';
import { HealthRoute, HealthServerHandle, startHealthServer } from './health-server';

/** Start-up retries while a dependency (NATS, Postgres, Redis) is unreachable: 0.5 s doubling up to this. */
const RETRY_MAX_MS = 10_000;
const RETRY_FIRST_MS = 500;

/** What a service's start function hands back: its readiness and its drain. */
export interface RunningService {
  check(): Promise<HealthReply> | HealthReply;
  /** idempotent */
  close(): Promise<void>;
}

export interface ServiceProcessOptions<S extends RunningService> {
  service: ServiceName;
  /** the probes' port when HEALTH_PORT is unset */
  defaultHealthPort: number;
  /** where the probes' port binds (default: HOST) */
  healthHost?: string;
  /** throws on a bad config, which stops the process (exit 1) instead of being retried forever */
  validate?: (config: TollgateConfig) => unknown;
  /** TOLLGATE_MIGRATE_ONLY=1 runs this and exits (the Kubernetes migration Job); without it the flag is ignored */
  migrate?: (config: TollgateConfig) => Promise<void>;
  /** starts the service without a health port of its own (this process serves the probes); retried with backoff */
  start: (config: TollgateConfig, logger: Logger) => Promise<S>;
  /** more routes on the probes' port; `current()` is the service once started */
  extraRoutes?: (current: () => S | undefined) => Readonly<Record<string, HealthRoute>>;
}

/**
 * A backend service's process, the same for each: config read and validated once (a bad one
 * exits 1), the probes' port opened before anything else, start retried with backoff while a
 * dependency is down, SIGTERM / SIGINT drained within TOLLGATE_SHUTDOWN_GRACE_MS, tracing flushed.
 */
export async function runServiceProcess<S extends RunningService>(opts: ServiceProcessOptions<S>): Promise<void> {
  const { service } = opts;
  const { config, logger } = await loadOrExit(opts);
  if (config.env.migrateOnly && opts.migrate) await migrateAndExit(opts.migrate, config, logger, service);

  const state: { running?: S; starting: Promise<unknown>; stopping: boolean; health?: HealthServerHandle } = { starting: Promise.resolve(), stopping: false };
  const notStarted: HealthReply = { service, ready: false, checks: { started: false } };
  // the probes' port answers from the first moment: live is 200 while dependencies are awaited (no
  // restart storm during an outage), ready is 503 until NATS, the database (and Redis) answer and
  // the migrations ran
  const port = config.env.healthPort || opts.defaultHealthPort;
  try {
    state.health = await startHealthServer({
      port,
      host: opts.healthHost ?? config.env.host,
      service,
      ready: () => (state.running ? state.running.check() : notStarted),
      extraRoutes: opts.extraRoutes?.(() => state.running),
    });
  } catch (e) {
    logger.fatal({ err: e, port }, `${service} health port could not be opened`);
    process.exit(1);
  }

  const stop = (signal: NodeJS.Signals): void => {
    if (state.stopping) return;
    state.stopping = true;
    const graceMs = config.env.shutdownGraceMs;
    logger.info({ signal, grace_ms: graceMs }, 'shutdown requested');
    setTimeout(() => {
      logger.error({ grace_ms: graceMs }, 'shutdown grace period over; exiting');
      process.exit(1);
    }, graceMs).unref();
    (async () => {
      await state.starting.catch(() => undefined);
      await state.running?.close();
      await state.health?.close();
    })().then(
      () => exitAfterTracing(0),
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        return exitAfterTracing(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  for (let attempt = 1, waitMs = RETRY_FIRST_MS; !state.stopping; attempt++, waitMs = Math.min(waitMs * 2, RETRY_MAX_MS)) {
    try {
      const attemptStart = opts.start(config, logger);
      state.starting = attemptStart;
      state.running = await attemptStart;
      return;
    } catch (e) {
      logger.error({ err: e, attempt, retry_in_ms: waitMs }, `${service} service could not start (a dependency unreachable?); retrying`);
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}

async function loadOrExit(opts: Pick<ServiceProcessOptions<RunningService>, 'service' | 'validate'>): Promise<{ config: TollgateConfig; logger: Logger }> {
  let logger: Logger = createLogger(opts.service, 'info');
  try {
    const config = loadConfig();
    logger = createLogger(opts.service, config.env.logLevel);
    // a bad config stops the process (it would never start); unreachable dependencies are waited for
    await opts.validate?.(config);
    return { config, logger };
  } catch (e) {
    logger.fatal({ err: e }, `${opts.service} service failed to start`);
    return exitAfterTracing(1);
  }
}

/** Database, schema and migrations only, no NATS, then exit. */
async function migrateAndExit(migrate: (config: TollgateConfig) => Promise<void>, config: TollgateConfig, logger: Logger, service: ServiceName): Promise<never> {
  try {
    await migrate(config);
    logger.info(`${service} migrations applied (TOLLGATE_MIGRATE_ONLY); exiting`);
  } catch (e) {
    logger.fatal({ err: e }, `${service} migrations failed`);
    return exitAfterTracing(1);
  }
  return exitAfterTracing(0);
}

async function exitAfterTracing(code: number): Promise<never> {
  await shutdownTracing();
  process.exit(code);
}
