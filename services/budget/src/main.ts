import '@tollgate/tracing/register';
import { createLogger, loadConfig, Logger, TollgateConfig } from '@tollgate/config';
import { HealthReply } from '@tollgate/contracts';
import { shutdownTracing } from '@tollgate/tracing';
import { BudgetServiceHandle, migrateBudgetDatabase, optionsFromConfig, startBudgetService } from './budget-service';
import { resolveOptions } from './budget.options';
import { startHealthServer } from './health/health.http';

/** Start-up retries while a dependency (NATS, Postgres, Redis) is unreachable: 0.5 s doubling up to this. */
const RETRY_MAX_MS = 10_000;

async function main(): Promise<void> {
  let logger: Logger = createLogger('budget', 'info');
  let config: TollgateConfig;
  try {
    config = loadConfig();
    logger = createLogger('budget', config.env.logLevel);
    // a bad config stops the process (it would never start); unreachable dependencies are waited for
    resolveOptions(optionsFromConfig(config));
  } catch (e) {
    logger.fatal({ err: e }, 'budget service failed to start');
    await shutdownTracing();
    process.exit(1);
  }
  const options = optionsFromConfig(config);
  if (config.env.migrateOnly) {
    // the Kubernetes migration Job: database, schema and migrations only, no NATS, then exit
    try {
      await migrateBudgetDatabase(options);
      logger.info('budget migrations applied (TOLLGATE_MIGRATE_ONLY); exiting');
      await shutdownTracing();
      process.exit(0);
    } catch (e) {
      logger.fatal({ err: e }, 'budget migrations failed');
      await shutdownTracing();
      process.exit(1);
    }
  }
  let service: BudgetServiceHandle | undefined;
  let starting: Promise<unknown> = Promise.resolve();
  let stopping = false;
  const notStarted: HealthReply = { service: 'budget', ready: false, checks: { started: false } };
  // the probes' port answers from the first moment: live is 200 while dependencies are awaited (no
  // restart storm during an outage), ready is 503 until NATS, the database (and Redis) answer and
  // the migrations ran
  const port = options.healthPort ?? null;
  let health: { close(): Promise<void> } | undefined;
  try {
    health = port === null ? undefined : await startHealthServer(() => (service ? service.check() : Promise.resolve(notStarted)), port, options.healthHost ?? '0.0.0.0');
  } catch (e) {
    logger.fatal({ err: e, port }, 'budget health port could not be opened');
    process.exit(1);
  }

  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    const graceMs = config.env.shutdownGraceMs;
    logger.info({ signal, grace_ms: graceMs }, 'shutdown requested');
    setTimeout(() => {
      logger.error({ grace_ms: graceMs }, 'shutdown grace period over; exiting');
      process.exit(1);
    }, graceMs).unref();
    (async () => {
      await starting.catch(() => undefined);
      await service?.close();
      await health?.close();
    })().then(
      async () => {
        await shutdownTracing();
        process.exit(0);
      },
      async (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        await shutdownTracing();
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  for (let attempt = 1, waitMs = 500; !stopping; attempt++, waitMs = Math.min(waitMs * 2, RETRY_MAX_MS)) {
    try {
      const attemptStart = startBudgetService({ ...options, healthPort: null, logger });
      starting = attemptStart;
      service = await attemptStart;
      return;
    } catch (e) {
      logger.error({ err: e, attempt, retry_in_ms: waitMs }, 'budget service could not start (a dependency unreachable?); retrying');
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}

void main();
