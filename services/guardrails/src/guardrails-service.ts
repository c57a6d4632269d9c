import 'reflect-metadata';
import { INestMicroservice } from '@nestjs/common';
import { createLogger, Logger } from '@tollgate/config';
import { HealthReply } from '@tollgate/contracts';
import { natsStrategy } from '@tollgate/messaging';
import { createRpcMicroservice, drainNats, startHealthServer } from '@tollgate/service';
import { AppModule } from './app.module';
import { HttpClient } from './external/http-client';
import { GuardrailsServiceOptions, healthPortOf } from './guardrails.options';
import { HealthService } from './health/health.service';
import { GuardrailRegistry } from './registry/guardrail-registry';
import { GuardrailRunner } from './run/guardrail-runner';

export { GuardrailsServiceOptions, optionsFromConfig } from './guardrails.options';

export interface GuardrailsServiceHandle {
  readonly namespace: string;
  /** the HTTP health port actually bound, or null when none was asked for */
  readonly healthPort: number | null;
  /** Ready when NATS is connected (what /health/ready serves). */
  check(): HealthReply;
  /** Stop the health server, drain NATS (in-flight checks answer), close the HTTP clients. Idempotent. */
  close(): Promise<void>;
}

/** Builds the registry once and drops it: a bad `guardrails:` entry throws, naming the entry. */
export async function validateGuardrailsConfig(options: GuardrailsServiceOptions): Promise<void> {
  const http = new HttpClient();
  try {
    GuardrailRegistry.fromConfig(options.guardrails, { baseDir: options.baseDir ?? process.cwd(), http });
  } finally {
    await http.close();
  }
}

/**
 * Starts the guardrails service in this process: the registry first (a bad config throws before
 * anything listens), then the NATS RPC server, then the HTTP health server.
 */
export async function startGuardrailsService(options: GuardrailsServiceOptions): Promise<GuardrailsServiceHandle> {
  const logger: Logger = options.logger ?? createLogger('guardrails', options.env.logLevel);
  const http = new HttpClient();
  let app: INestMicroservice | undefined;
  let healthServer: { port: number; close(): Promise<void> } | undefined;
  try {
    const registry = GuardrailRegistry.fromConfig(options.guardrails, { baseDir: options.baseDir ?? process.cwd(), http });
    const runner = new GuardrailRunner(registry, logger);
    const strategy = natsStrategy(options.env, 'guardrails');
    const health = new HealthService(strategy.strategy);
    app = await createRpcMicroservice(AppModule.forRoot({ registry, runner, health, server: strategy.strategy }), strategy.strategy, logger);
    await app.listen();
    const port = healthPortOf(options);
    if (port !== null) healthServer = await startHealthServer({ service: 'guardrails', port, host: options.healthHost ?? options.env.host, ready: () => health.check() });
    logger.info({ namespace: options.env.namespace, guardrails: registry.size, health_port: healthServer?.port ?? null }, 'guardrails service started');
    const started = app;
    let closing: Promise<void> | undefined;
    return {
      namespace: options.env.namespace,
      healthPort: healthServer?.port ?? null,
      check: () => health.check(),
      close: () =>
        (closing ??= (async () => {
          logger.info('guardrails service stopping');
          await healthServer?.close();
          // Nest's transport closes its connection outright: drain it first so the checks in hand answer
          await drainNats(strategy.strategy);
          await started.close();
          await http.close();
          logger.info('guardrails service stopped');
        })()),
    };
  } catch (e) {
    await healthServer?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await http.close().catch(() => undefined);
    throw e;
  }
}
