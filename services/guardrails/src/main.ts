import '@tollgate/tracing/register';
import { createLogger, loadConfig, Logger } from '@tollgate/config';
import { shutdownTracing } from '@tollgate/tracing';
import { GuardrailsServiceHandle, optionsFromConfig, startGuardrailsService } from './guardrails-service';

/** In-flight checks are bounded by their timeouts; a stuck shutdown must still end within the grace period. */
const SHUTDOWN_DEADLINE_MS = 15_000;

async function main(): Promise<void> {
  let logger: Logger = createLogger('guardrails', 'info');
  let service: GuardrailsServiceHandle;
  try {
    const config = loadConfig();
    logger = createLogger('guardrails', config.env.logLevel);
    service = await startGuardrailsService({ ...optionsFromConfig(config), logger });
  } catch (e) {
    logger.fatal({ err: e }, 'guardrails service failed to start');
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
