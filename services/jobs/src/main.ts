import '@tollgate/tracing/register';
import { createLogger, loadConfig, Logger } from '@tollgate/config';
import { shutdownTracing } from '@tollgate/tracing';
import { JobsServiceHandle, migrateJobsDatabase, optionsFromConfig, startJobsService } from './jobs-service';

/** A shutdown that hangs must not outlive the pod's grace period. */
const SHUTDOWN_DEADLINE_MS = 25_000;

async function main(): Promise<void> {
  let logger: Logger = createLogger('jobs', 'info');
  let service: JobsServiceHandle;
  try {
    const config = loadConfig();
    logger = createLogger('jobs', config.env.logLevel);
    if (config.env.migrateOnly) {
      // the Kubernetes migration Job: schema and migrations only, no NATS / Redis, then exit
      await migrateJobsDatabase(optionsFromConfig(config));
      logger.info('jobs migrations applied (TOLLGATE_MIGRATE_ONLY); exiting');
      await shutdownTracing();
      process.exit(0);
    }
    service = await startJobsService({ ...optionsFromConfig(config), logger });
  } catch (e) {
    logger.fatal({ err: e }, 'jobs service failed to start');
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
