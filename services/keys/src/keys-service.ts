import 'reflect-metadata';
import { INestMicroservice } from '@nestjs/common';
import { createLogger, Logger } from '@tollgate/config';
import { HealthReply } from '@tollgate/contracts';
import { createServiceDataSource, ensureDatabase, initializeDataSource, migrateServiceDatabase } from '@tollgate/db';
import { natsStrategy } from '@tollgate/messaging';
import { createRpcMicroservice, drainNats, startHealthServer } from '@tollgate/service';
import { AppModule } from './app.module';
import { HealthService } from './health/health.service';
import { DEFAULT_HEALTH_PORT, KeysServiceOptions, resolveOptions } from './keys.options';
import { DeletedKeyEntity } from './keys/deleted-key.entity';
import { KeyEntity } from './keys/key.entity';
import { Keys1796300000000 } from './migrations/1796300000000-keys';
import { TeamModelEntity } from './models/team-model.entity';
import { TeamMemberEntity } from './teams/team-member.entity';
import { TeamEntity } from './teams/team.entity';
import { UserEntity } from './users/user.entity';

export { KeysServiceOptions, optionsFromConfig } from './keys.options';

export interface KeysServiceHandle {
  readonly namespace: string;
  readonly schema: string;
  /** the health HTTP server's port, null when it is off */
  readonly healthPort: number | null;
  /** Ready when NATS is connected and Postgres answers (what /health/ready serves). */
  check(): Promise<HealthReply>;
  /** Stop the health server, drain NATS (in-flight RPCs answer), close Postgres. Idempotent. */
  close(): Promise<void>;
}

const ENTITIES = [KeyEntity, DeletedKeyEntity, UserEntity, TeamEntity, TeamMemberEntity, TeamModelEntity];
const MIGRATIONS = [Keys1796300000000];

/** `TOLLGATE_MIGRATE_ONLY`: create the database and schema, run pending migrations, no NATS. */
export async function migrateKeysDatabase(options: Pick<KeysServiceOptions, 'databaseUrl' | 'schema' | 'env'>): Promise<void> {
  const opts = resolveOptions({ ...options });
  await migrateServiceDatabase({ url: options.databaseUrl, schema: opts.schema, entities: ENTITIES, migrations: MIGRATIONS });
}

/** Starts the keys service in this process: database and migrations, the RPC server, the health port. */
export async function startKeysService(options: KeysServiceOptions): Promise<KeysServiceHandle> {
  const opts = resolveOptions(options);
  const logger: Logger = options.logger ?? createLogger('keys', options.env.logLevel);
  await ensureDatabase(options.databaseUrl);
  const dataSource = createServiceDataSource({
    url: options.databaseUrl,
    schema: opts.schema,
    entities: ENTITIES,
    migrations: MIGRATIONS,
  });
  let app: INestMicroservice | undefined;
  let health: { port: number; close(): Promise<void> } | undefined;
  try {
    await initializeDataSource(dataSource, opts.schema);
    const strategy = natsStrategy(options.env, 'keys');
    app = await createRpcMicroservice(AppModule.forRoot({ options: opts, dataSource, logger, server: strategy.strategy }), strategy.strategy, logger);
    await app.listen();
    const port = options.healthPort === undefined ? DEFAULT_HEALTH_PORT : options.healthPort;
    if (port !== null) {
      const checks = app.get(HealthService);
      health = await startHealthServer({ service: 'keys', port, host: options.healthHost ?? '0.0.0.0', ready: () => checks.check() });
    }
    logger.info({ namespace: opts.namespace, schema: opts.schema, health_port: health?.port ?? null }, 'keys service started');
    const started = app;
    const checks = app.get(HealthService);
    let closing: Promise<void> | undefined;
    return {
      namespace: opts.namespace,
      schema: opts.schema,
      healthPort: health?.port ?? null,
      check: () => checks.check(),
      close: () =>
        (closing ??= (async () => {
          logger.info('keys service stopping');
          await health?.close();
          await drainNats(strategy.strategy);
          await started.close();
          if (dataSource.isInitialized) await dataSource.destroy();
          logger.info('keys service stopped');
        })()),
    };
  } catch (e) {
    await health?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw e;
  }
}
