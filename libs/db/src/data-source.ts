import { DataSource, EntitySchema, MixedList } from 'typeorm';
import { ensureDatabase } from './ensure-database';

export interface ServiceDataSourceOptions {
  url: string;
  /** the service's own schema; its tables and migration history live there */
  schema: string;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  poolSize?: number;
}

/**
 * One TypeORM data source per service, confined to that service's schema (its migrations table
 * too), so services never read each other's tables and tests can use a throwaway schema.
 */
export function createServiceDataSource(opts: ServiceDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: opts.url,
    schema: opts.schema,
    entities: opts.entities,
    migrations: opts.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: { max: opts.poolSize ?? 10, connectionTimeoutMillis: 5000 },
  });
}

/**
 * Initializes the data source, creates its schema and runs pending migrations. Replicas starting
 * together take turns: a session-level advisory lock named after the schema is held while the
 * migrations run, so the second replica finds them applied instead of racing the first.
 */
export async function initializeDataSource(ds: DataSource, schema: string): Promise<DataSource> {
  if (!ds.isInitialized) await ds.initialize();
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`tollgate:migrations:${schema}`]);
    await migrate(ds, schema);
  } finally {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`tollgate:migrations:${schema}`]).catch(() => undefined);
    await lock.release();
  }
  return ds;
}

async function migrate(ds: DataSource, schema: string): Promise<void> {
  // IF NOT EXISTS is not atomic: two replicas starting together can both try; 23505 means the other won
  await ds.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`).catch((e: { code?: string }) => {
    if (e.code !== '23505' && e.code !== '42P06') throw e;
  });
  await ds.runMigrations({ transaction: 'each' });
}

/**
 * `TOLLGATE_MIGRATE_ONLY`: create the database and the service's schema, run pending migrations,
 * close. What a Kubernetes migration Job runs for each service that owns tables.
 */
export async function migrateServiceDatabase(opts: ServiceDataSourceOptions): Promise<void> {
  await ensureDatabase(opts.url);
  const ds = createServiceDataSource(opts);
  try {
    await initializeDataSource(ds, opts.schema);
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
}
