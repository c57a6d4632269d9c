import 'reflect-metadata';
import { INestMicroservice } from '@nestjs/common';
import { createLogger, Logger } from '@tollgate/config';
import { createServiceDataSource, ensureDatabase, initializeDataSource, migrateServiceDatabase } from '@tollgate/db';
import { HealthReply } from '@tollgate/contracts';
import { natsStrategy } from '@tollgate/messaging';
import { PriceTable } from '@tollgate/pricing';
import { createRpcMicroservice, startHealthServer } from '@tollgate/service';
import { AppModule } from './app.module';
import { BatchPoller } from './batches/batch-poller';
import { BatchesRepository } from './batches/batches.repository';
import { FilesService } from './files/files.service';
import { FineTuningPoller } from './fine-tuning/fine-tuning.poller';
import { FineTuningRepository } from './fine-tuning/fine-tuning.repository';
import { HealthService } from './health/health.service';
import { DEFAULT_HEALTH_PORT, JobsServiceOptions, resolveOptions } from './jobs.options';
import { Jobs1796400000000 } from './migrations/1796400000000-jobs';
import { PollScheduler } from './pollers/poll-scheduler';
import { startPollWorkers } from './pollers/poll-workers';
import { ProviderClient } from './providers/provider-client';
import { DeploymentResolver } from './routing/deployment-resolver';
import { startInternalServer } from './upload/internal-server';
import { UploadService } from './upload/upload.service';
import { UsagePublisher } from './usage/usage-publisher';

export { JobsServiceOptions, optionsFromConfig } from './jobs.options';

export interface JobsServiceHandle {
  readonly namespace: string;
  readonly schema: string;
  readonly healthPort: number | null;
  /** the internal upload / download listener's port, null when off */
  readonly internalPort: number | null;
  /** the pollers, for tests that drive a poll directly (as a BullMQ worker would) */
  readonly pollers: { batch(id: string): ReturnType<BatchPoller['poll']>; ftjob(id: string): ReturnType<FineTuningPoller['poll']> };
  readonly scheduler: PollScheduler;
  /** Ready when NATS is connected and Postgres and Redis answer (what /health/ready serves). */
  check(): Promise<HealthReply>;
  /** Stop listeners and workers (a running poll finishes), drain NATS, close Redis and Postgres. Idempotent. */
  close(): Promise<void>;
}

/** TOLLGATE_MIGRATE_ONLY (the Kubernetes migration Job): the database, this schema's migrations, nothing else. */
export async function migrateJobsDatabase(options: Pick<JobsServiceOptions, 'databaseUrl' | 'schema' | 'env' | 'deployments'>): Promise<void> {
  const opts = resolveOptions(options);
  await migrateServiceDatabase({ url: options.databaseUrl, schema: opts.schema, entities: [], migrations: [Jobs1796400000000] });
}

/**
 * Starts the jobs service in this process: database and migrations, the RPC server, the usage
 * publisher, the BullMQ workers (re-scheduling every open job, so nothing is lost with Redis),
 * the internal upload listener and the health port.
 */
export async function startJobsService(options: JobsServiceOptions): Promise<JobsServiceHandle> {
  const opts = resolveOptions(options);
  const logger: Logger = options.logger ?? createLogger('jobs', options.env.logLevel);
  await ensureDatabase(options.databaseUrl);
  const dataSource = createServiceDataSource({ url: options.databaseUrl, schema: opts.schema, entities: [], migrations: [Jobs1796400000000] });
  const provider = new ProviderClient();
  const scheduler = new PollScheduler(options.env.redisUrl, opts.namespace, opts.pollIntervalMs, opts.pollJitterMs);
  const resolver = new DeploymentResolver(options.deployments, options.filesSettings ?? [], options.finetuneSettings ?? []);
  const closers: (() => Promise<unknown>)[] = [];
  let app: INestMicroservice | undefined;
  const teardown = async (): Promise<void> => {
    for (const c of closers.reverse()) await c().catch((e: Error) => logger.warn({ err: e.message }, 'jobs shutdown step failed'));
    closers.length = 0;
  };
  try {
    await initializeDataSource(dataSource, opts.schema);
    closers.push(async () => dataSource.isInitialized && dataSource.destroy());
    closers.push(() => provider.close());
    closers.push(() => scheduler.close());
    const strategy = natsStrategy(options.env, 'jobs');
    app = await createRpcMicroservice(
      AppModule.forRoot({ options: opts, dataSource, logger, server: strategy.strategy, resolver, provider, scheduler, prices: options.prices ?? PriceTable.builtIn() }),
      strategy.strategy,
      logger,
    );
    const started = app;
    closers.push(() => started.close());
    closers.push(async () => {
      const nc = strategy.strategy.connection;
      if (nc && !nc.isClosed()) await nc.drain();
    });
    await app.listen();
    const usage = app.get(UsagePublisher);
    await usage.start();
    closers.push(() => usage.close());
    const batchPoller = app.get(BatchPoller);
    const ftPoller = app.get(FineTuningPoller);
    const pollers = { batch: (id: string) => batchPoller.poll(id), ftjob: (id: string) => ftPoller.poll(id) };
    if (options.workers !== false) {
      const workers = startPollWorkers(scheduler, pollers, logger);
      closers.push(() => workers.close());
      await reschedule(app, scheduler);
    }
    const internalPort = options.internalPort === undefined ? options.env.jobsInternalPort : options.internalPort;
    let internal: { port: number; close(): Promise<void> } | undefined;
    if (internalPort !== null) {
      internal = await startInternalServer(
        { upload: app.get(UploadService), files: app.get(FilesService), secret: options.internalSecret ?? options.env.jobsInternalSecret, logger },
        internalPort,
        options.internalHost ?? options.env.jobsInternalHost,
      );
      closers.push(() => internal!.close());
    }
    const checks = app.get(HealthService);
    const port = options.healthPort === undefined ? DEFAULT_HEALTH_PORT : options.healthPort;
    let health: { port: number; close(): Promise<void> } | undefined;
    if (port !== null) {
      health = await startHealthServer({ service: 'jobs', port, host: options.healthHost ?? '0.0.0.0', ready: () => checks.check() });
      closers.push(() => health!.close());
    }
    logger.info({ namespace: opts.namespace, schema: opts.schema, internal_port: internal?.port ?? null, health_port: health?.port ?? null, poll_interval_ms: opts.pollIntervalMs }, 'jobs service started');
    let closing: Promise<void> | undefined;
    return {
      namespace: opts.namespace,
      schema: opts.schema,
      healthPort: health?.port ?? null,
      internalPort: internal?.port ?? null,
      pollers,
      scheduler,
      check: () => checks.check(),
      close: () =>
        (closing ??= (async () => {
          logger.info('jobs service stopping');
          await teardown();
          logger.info('jobs service stopped');
        })()),
    };
  } catch (e) {
    await teardown();
    throw e;
  }
}

/** Every batch / job the database says is open gets its scheduler back (idempotent upsert). */
async function reschedule(app: INestMicroservice, scheduler: PollScheduler): Promise<void> {
  for (const b of await app.get(BatchesRepository).open()) await scheduler.schedule('batch', b.id, b.trace);
  for (const j of await app.get(FineTuningRepository).open()) await scheduler.schedule('ftjob', j.id, j.trace);
}
