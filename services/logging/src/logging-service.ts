import 'reflect-metadata';
import { INestMicroservice } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createLogger, Logger } from '@tollgate/config';
import { HealthReply } from '@tollgate/contracts';
import { createServiceDataSource, ensureDatabase, initializeDataSource, migrateServiceDatabase } from '@tollgate/db';
import { natsStrategy } from '@tollgate/messaging';
import { createRpcMicroservice, HealthServerHandle, startHealthServer } from '@tollgate/service';
import { AppModule } from './app.module';
import { CallbacksService } from './callbacks/callbacks.service';
import { redactUrl } from './common/redact-url';
import { metricsRoute } from './health/metrics.route';
import { HealthService } from './health/health.service';
import { healthPortOf, LoggingServiceOptions, resolveOptions } from './logging.options';
import { MaintenanceQueue } from './maintenance/maintenance.queue';
import { SpendLogMaintenanceService } from './maintenance/spend-log-maintenance.service';
import { LoggingMetrics } from './metrics/logging-metrics';
import { SpendLogs1796256000000 } from './migrations/1796256000000-spend-logs';
import { SpendLogsPartitioned1796400000000 } from './migrations/1796400000000-spend-logs-partitioned';
import { SpendLogEntity } from './spend-logs/spend-log.entity';
import { SpendLogsEvents } from './spend-logs/spend-logs.events';

/** In order; a new migration is appended, an applied one is never edited. */
export const LOGGING_MIGRATIONS = [SpendLogs1796256000000, SpendLogsPartitioned1796400000000];

/** How long shutdown gives the callbacks to send what they hold. */
const CALLBACK_DRAIN_MS = 3000;

export interface LoggingServiceHandle {
  readonly namespace: string;
  readonly schema: string;
  /** the health / metrics HTTP server's port, null when it is off */
  readonly healthPort: number | null;
  readonly metrics: LoggingMetrics;
  readonly maintenance: SpendLogMaintenanceService;
  readonly maintenanceQueue: MaintenanceQueue;
  readonly callbacks: CallbacksService;
  /** Ready when NATS is connected, Postgres (and Redis, for the maintenance queue) answer and the consumer runs. */
  check(): Promise<HealthReply>;
  /** Stop consuming (the batch in hand is written and acked), stop serving RPCs, close Postgres. */
  close(): Promise<void>;
}

export { LoggingServiceOptions, optionsFromConfig } from './logging.options';

function dataSourceFor(databaseUrl: string, schema: string): DataSource {
  return createServiceDataSource({ url: databaseUrl, schema, entities: [SpendLogEntity], migrations: LOGGING_MIGRATIONS });
}

/** `TOLLGATE_MIGRATE_ONLY`: create the database and schema, run pending migrations, no NATS. */
export async function migrateLoggingDatabase(options: Pick<LoggingServiceOptions, 'databaseUrl' | 'schema' | 'env'>): Promise<void> {
  const opts = resolveOptions({ ...options });
  await migrateServiceDatabase({ url: options.databaseUrl, schema: opts.schema, entities: [SpendLogEntity], migrations: LOGGING_MIGRATIONS });
}

/**
 * Starts the logging service in this process: database and migrations first, partitions, then
 * the RPC server, the usage consumer on the server's NATS connection (one connection per process;
 * it exists only once the server listens), the maintenance queue and the health / metrics port.
 */
export async function startLoggingService(options: LoggingServiceOptions): Promise<LoggingServiceHandle> {
  const opts = resolveOptions(options);
  const logger: Logger = options.logger ?? createLogger('logging', options.env.logLevel);

  await ensureDatabase(options.databaseUrl);
  const dataSource = dataSourceFor(options.databaseUrl, opts.schema);
  let app: INestMicroservice | undefined;
  let health: HealthServerHandle | undefined;
  try {
    await initializeDataSource(dataSource, opts.schema);
    const strategy = natsStrategy(options.env, 'logging');
    app = await createRpcMicroservice(AppModule.forRoot({ options: opts, dataSource, logger, server: strategy.strategy }), strategy.strategy, logger);
    const maintenance = app.get(SpendLogMaintenanceService);
    // before the first insert: rows of this month must not land in the default partition
    await maintenance.ensurePartitions();
    await app.listen();
    const nc = strategy.strategy.connection;
    if (!nc) throw new Error('NATS server started without a connection');
    const events = app.get(SpendLogsEvents);
    await events.start(nc);
    const maintenanceQueue = app.get(MaintenanceQueue);
    if (opts.maintenance) await maintenanceQueue.start();
    const metrics = app.get(LoggingMetrics);
    const port = healthPortOf(options);
    if (port !== null) {
      const checks = app.get(HealthService);
      health = await startHealthServer({
        service: 'logging',
        port,
        host: options.healthHost ?? '0.0.0.0',
        ready: () => checks.check(),
        extraRoutes: { '/metrics': metricsRoute(() => metrics.registry) },
      });
    }
    const callbacks = app.get(CallbacksService);
    logger.info(
      {
        namespace: opts.namespace,
        nats: redactUrl(options.env.natsUrl),
        database: redactUrl(options.databaseUrl),
        schema: opts.schema,
        store_prompts: opts.storePrompts,
        callbacks: callbacks.active,
        retention: opts.retentionPeriod,
        health_port: health?.port ?? null,
      },
      'logging service started',
    );
    const started = app;
    const healthServer = health;
    const checks = app.get(HealthService);
    let closing: Promise<void> | undefined;
    return {
      namespace: opts.namespace,
      schema: opts.schema,
      healthPort: health?.port ?? null,
      metrics,
      maintenance,
      maintenanceQueue,
      callbacks,
      check: () => checks.check(),
      close: () =>
        (closing ??= shutdown({ app: started, events, nc, dataSource, logger, health: healthServer, maintenanceQueue, callbacks })),
    };
  } catch (e) {
    await health?.close().catch(() => undefined);
    if (app) {
      await app.get(MaintenanceQueue).close().catch(() => undefined);
      await app.get(CallbacksService).close(0).catch(() => undefined);
      await app.close().catch(() => undefined);
    }
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw e;
  }
}

interface Running {
  app: INestMicroservice;
  events: SpendLogsEvents;
  nc: { drain(): Promise<void>; isClosed(): boolean };
  dataSource: DataSource;
  logger: Logger;
  health: HealthServerHandle | undefined;
  maintenanceQueue: MaintenanceQueue;
  callbacks: CallbacksService;
}

async function shutdown(r: Running): Promise<void> {
  r.logger.info('logging service stopping');
  await r.health?.close();
  await r.maintenanceQueue.close();
  await r.events.stop();
  // in-flight RPCs (spend log queries) answer and the last batch's acks are sent before the
  // connection closes: drain, not close
  if (!r.nc.isClosed()) await r.nc.drain().catch(() => undefined);
  await r.callbacks.close(CALLBACK_DRAIN_MS);
  await r.app.close();
  if (r.dataSource.isInitialized) await r.dataSource.destroy();
  r.logger.info('logging service stopped');
}
