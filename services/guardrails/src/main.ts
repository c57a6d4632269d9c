import '@tollgate/tracing/register';
import { createLogger, loadConfig, Logger, TollgateConfig } from '@tollgate/config';
import { HealthReply } from '@tollgate/contracts';
import { shutdownTracing } from '@tollgate/tracing';
import { HttpClient } from './external/http-client';
import { healthPortOf } from './guardrails.options';
import { GuardrailsServiceHandle, optionsFromConfig, startGuardrailsService } from './guardrails-service';
import { startHealthServer } from './health/health-server';
import { GuardrailRegistry } from './registry/guardrail-registry';

/** Start-up retries while a dependency (NATS, Postgres, Redis) is unreachable: 0.5 s doubling up to this. */
const RETRY_MAX_MS = 10_000;

async function main(): Promise<void> {
  let logger: Logger = createLogger('guardrails', 'info');
  let config: TollgateConfig;
  try {
    config = loadConfig();
    logger = createLogger('guardrails', config.env.logLevel);
    // a bad config stops the process (it would never start); unreachable dependencies are waited for
    const http = new HttpClient();
    try {
      const o = optionsFromConfig(config);
      GuardrailRegistry.fromConfig(o.guardrails, { baseDir: o.baseDir ?? process.cwd(), http });
    } finally {
      await http.close();
    }
  } catch (e) {
    logger.fatal({ err: e }, 'guardrails service failed to start');
    await shutdownTracing();
    process.exit(1);
  }
  const options = optionsFromConfig(config);

  let service: GuardrailsServiceHandle | undefined;
  let starting: Promise<unknown> = Promise.resolve();
  let stopping = false;
  const notStarted: HealthReply = { service: 'guardrails', ready: false, checks: { started: false } };
  // the probes' port answers from the first moment: live is 200 while dependencies are awaited (no
  // restart storm during an outage), ready is 503 until NATS, the database (and Redis) answer and
  // the migrations ran
  const port = healthPortOf(options);
  let health: { close(): Promise<void> } | undefined;
  try {
    health = port === null ? undefined : await startHealthServer({ check: () => (service ? service.check() : notStarted) }, options.healthHost ?? options.env.host, port);
  } catch (e) {
    logger.fatal({ err: e, port }, 'guardrails health port could not be opened');
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
      const attemptStart = startGuardrailsService({ ...options, healthPort: null, logger });
      starting = attemptStart;
      service = await attemptStart;
      return;
    } catch (e) {
      logger.error({ err: e, attempt, retry_in_ms: waitMs }, 'guardrails service could not start (a dependency unreachable?); retrying');
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}

void main();
