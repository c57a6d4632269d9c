import '@tollgate/tracing/register';
import { createLogger, loadConfig, Logger } from '@tollgate/config';
import { shutdownTracing } from '@tollgate/tracing';
import { LoggingServiceHandle, migrateLoggingDatabase, optionsFromConfig, startLoggingService } from './logging-service';

/** A shutdown that hangs (e.g. Postgres unreachable mid-batch) must not outlive the pod's grace period. */
const SHUTDOWN_DEADLINE_MS = 25_000;

async function main(): Promise<void> {
  let logger: Logger = createLogger('logging', 'info');
  let service: LoggingServiceHandle;
  try {
    const config = loadConfig();
    logger = createLogger('logging', config.env.logLevel);
    if (config.env.migrateOnly) {
      // the Kubernetes migration Job: schema and migrations only, no NATS, then exit
      await migrateLoggingDatabase(optionsFromConfig(config));
      logger.info('logging migrations applied (TOLLGATE_MIGRATE_ONLY); exiting');
      await shutdownTracing();
      process.exit(0);
    }
    service = await startLoggingService({ ...optionsFromConfig(config), logger });
  } catch (e) {
    logger.fatal({ err: e }, 'logging service failed to start');
    await shutdownTracing();
    process.exit(1);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutdown requested');
    setTimeout(() => {
      logger.error({ deadline_ms: SHUTDOWN_DEADLINE_MS }, 'shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    service.close().then(
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
}

void main();
