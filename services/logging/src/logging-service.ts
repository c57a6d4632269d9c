import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { INestMicroservice } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createLogger, Logger } from '@tollgate/config';
import { createServiceDataSource, ensureDatabase, initializeDataSource } from '@tollgate/db';
import { natsStrategy, RpcErrorFilter } from '@tollgate/messaging';
import { AppModule } from './app.module';
import { PinoNestLogger } from './common/pino-nest-logger';
import { redactUrl } from './common/redact-url';
import { LoggingServiceOptions, resolveOptions } from './logging.options';
import { SpendLogs1796256000000 } from './migrations/1796256000000-spend-logs';
import { SpendLogEntity } from './spend-logs/spend-log.entity';
import { SpendLogsEvents } from './spend-logs/spend-logs.events';

export interface LoggingServiceHandle {
  readonly namespace: string;
  readonly schema: string;
  /** Stop consuming (the batch in hand is written and acked), stop serving RPCs, close Postgres. */
  close(): Promise<void>;
}

export { LoggingServiceOptions, optionsFromConfig } from './logging.options';

/**
 * Starts the logging service in this process: database and migrations first, then the RPC
 * server, then the usage consumer on the server's NATS connection (one connection per process;
 * it exists only once the server listens, which is why the consumer starts last).
 */
export async function startLoggingService(options: LoggingServiceOptions): Promise<LoggingServiceHandle> {
  const opts = resolveOptions(options);
  const logger: Logger = options.logger ?? createLogger('logging', options.env.logLevel);

  await ensureDatabase(options.databaseUrl);
  const dataSource = createServiceDataSource({
    url: options.databaseUrl,
    schema: opts.schema,
    entities: [SpendLogEntity],
    migrations: [SpendLogs1796256000000],
  });
  let app: INestMicroservice | undefined;
  try {
    await initializeDataSource(dataSource, opts.schema);
    const strategy = natsStrategy(options.env, 'logging');
    app = await NestFactory.createMicroservice(
      AppModule.forRoot({ options: opts, dataSource, logger, server: strategy.strategy }),
      { ...strategy, logger: new PinoNestLogger(logger), abortOnError: false },
    );
    app.useGlobalFilters(new RpcErrorFilter());
    await app.listen();
    const nc = strategy.strategy.connection;
    if (!nc) throw new Error('NATS server started without a connection');
    const events = app.get(SpendLogsEvents);
    await events.start(nc);
    logger.info(
      {
        namespace: opts.namespace,
        nats: redactUrl(options.env.natsUrl),
        database: redactUrl(options.databaseUrl),
        schema: opts.schema,
        store_prompts: opts.storePrompts,
      },
      'logging service started',
    );
    const started = app;
    let closing: Promise<void> | undefined;
    return {
      namespace: opts.namespace,
      schema: opts.schema,
      close: () => (closing ??= shutdown(started, events, nc, dataSource, logger)),
    };
  } catch (e) {
    await app?.close().catch(() => undefined);
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw e;
  }
}

async function shutdown(
  app: INestMicroservice,
  events: SpendLogsEvents,
  nc: { flush(): Promise<void>; isClosed(): boolean },
  dataSource: DataSource,
  logger: Logger,
): Promise<void> {
  logger.info('logging service stopping');
  await events.stop();
  // the last batch's acks are queued on the connection: send them before Nest closes it
  if (!nc.isClosed()) await nc.flush().catch(() => undefined);
  await app.close();
  if (dataSource.isInitialized) await dataSource.destroy();
  logger.info('logging service stopped');
}
