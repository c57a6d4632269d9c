import '@tollgate/tracing/register';
import { createLogger, loadConfig, Logger } from '@tollgate/config';
import { shutdownTracing } from '@tollgate/tracing';
import { BudgetServiceHandle, optionsFromConfig, startBudgetService } from './budget-service';

/** A shutdown that hangs must not outlive the pod's grace period. */
const SHUTDOWN_DEADLINE_MS = 25_000;

async function main(): Promise<void> {
  let logger: Logger = createLogger('budget', 'info');
  let service: BudgetServiceHandle;
  try {
    const config = loadConfig();
    logger = createLogger('budget', config.env.logLevel);
    service = await startBudgetService({ ...optionsFromConfig(config), logger });
  } catch (e) {
    logger.fatal({ err: e }, 'budget service failed to start');
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
