import 'reflect-metadata';
import { INestMicroservice } from '@nestjs/common';
import Redis from 'ioredis';
import { BudgetSpendConsumer, HealthReply, UsageRecorded } from '@tollgate/contracts';
import { createLogger, Logger } from '@tollgate/config';
import { createServiceDataSource, ensureDatabase, initializeDataSource, migrateServiceDatabase } from '@tollgate/db';
import { consumeBatches, ConsumerHandle, natsStrategy } from '@tollgate/messaging';
import { createRpcMicroservice, startHealthServer } from '@tollgate/service';
import { AlertsPublisher } from './alerts/alerts.publisher';
import { AppModule } from './app.module';
import { BudgetServiceOptions, DEFAULT_HEALTH_PORT, resolveOptions } from './budget.options';
import { HealthService } from './health/health.service';
import { Budget1796400000000 } from './migrations/1796400000000-budget';
import { RedisProjection } from './projection/redis-projection';
import { ResetScheduler } from './reset/reset.scheduler';
import { KeyContextResolver } from './spend/key-context.resolver';
import { SpendService } from './spend/spend.service';

export { BudgetServiceOptions, optionsFromConfig } from './budget.options';
export { bullPrefix } from './reset/reset.scheduler';

export interface BudgetServiceHandle {
  readonly namespace: string;
  readonly schema: string;
  readonly healthPort: number | null;
  /** Ready when NATS is connected and Postgres and Redis answer (what /health/ready serves). */
  check(): Promise<HealthReply>;
  /** Stop consuming (the batch in hand finishes and is acked), the reset worker, NATS, Redis, Postgres. Idempotent. */
  close(): Promise<void>;
}

/** `TOLLGATE_MIGRATE_ONLY`: create the database and schema, run pending migrations, no NATS or Redis. */
export async function migrateBudgetDatabase(options: Pick<BudgetServiceOptions, 'databaseUrl' | 'schema' | 'env'>): Promise<void> {
  const opts = resolveOptions({ ...options });
  await migrateServiceDatabase({ url: options.databaseUrl, schema: opts.schema, entities: [], migrations: [Budget1796400000000] });
}

/**
 * Starts the budget service in this process: database and migrations, Redis rebuilt from Postgres,
 * the /budget/* RPCs, the usage consumer, the reset job scheduler and the health port.
 */
export async function startBudgetService(options: BudgetServiceOptions): Promise<BudgetServiceHandle> {
  const opts = resolveOptions(options);
  const logger: Logger = options.logger ?? createLogger('budget', options.env.logLevel);
  await ensureDatabase(options.databaseUrl);
  const dataSource = createServiceDataSource({ url: options.databaseUrl, schema: opts.schema, entities: [], migrations: [Budget1796400000000] });
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 5000 });
  redis.on('error', (e: Error) => logger.debug({ err: e }, 'redis connection error'));
  let app: INestMicroservice | undefined;
  let health: { port: number; close(): Promise<void> } | undefined;
  let consumer: ConsumerHandle | undefined;
  const started: { stop(): Promise<void> | void }[] = [];
  try {
    await initializeDataSource(dataSource, opts.schema);
    const strategy = natsStrategy(options.env, 'budget');
    app = await createRpcMicroservice(AppModule.forRoot({ options: opts, dataSource, logger, server: strategy.strategy, redis }), strategy.strategy, logger);
    await app.listen();

    const projection = app.get(RedisProjection);
    const rebuilt = await projection.rebuild();
    const alerts = app.get(AlertsPublisher);
    await alerts.start();
    projection.start(opts.projectionCheckMs, () => alerts.publishPending());
    started.push(projection);
    const resolver = app.get(KeyContextResolver);
    resolver.start();
    started.push(resolver);
    const scheduler = app.get(ResetScheduler);
    await scheduler.start();
    started.push(scheduler);
    const spend = app.get(SpendService);
    const nc = strategy.strategy.connection;
    if (!nc) throw new Error('NATS connection missing after listen');
    consumer = await consumeBatches(nc, opts.namespace, BudgetSpendConsumer, UsageRecorded, (events) => spend.applyBatch(events.map((e) => e.payload)), {
      maxMessages: 500,
      onError: (e) => logger.warn({ err: e }, 'usage batch not applied; it will be redelivered'),
    });

    const port = options.healthPort === undefined ? DEFAULT_HEALTH_PORT : options.healthPort;
    if (port !== null) {
      const checks = app.get(HealthService);
      health = await startHealthServer({ service: 'budget', port, host: options.healthHost ?? '0.0.0.0', ready: () => checks.check() });
    }
    logger.info({ namespace: opts.namespace, schema: opts.schema, totals_projected: rebuilt, health_port: health?.port ?? null }, 'budget service started');
    const nest = app;
    const checks = app.get(HealthService);
    let closing: Promise<void> | undefined;
    return {
      namespace: opts.namespace,
      schema: opts.schema,
      healthPort: health?.port ?? null,
      check: () => checks.check(),
      close: () =>
        (closing ??= (async () => {
          logger.info('budget service stopping');
          await health?.close();
          await consumer?.stop();
          for (const s of started.reverse()) await s.stop();
          if (!nc.isClosed()) await nc.drain().catch(() => undefined);
          await nest.close();
          redis.disconnect();
          if (dataSource.isInitialized) await dataSource.destroy();
          logger.info('budget service stopped');
        })()),
    };
  } catch (e) {
    await consumer?.stop().catch(() => undefined);
    for (const s of started.reverse()) await Promise.resolve(s.stop()).catch(() => undefined);
    await health?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    redis.disconnect();
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw e;
  }
}
