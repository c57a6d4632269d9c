import { assertNamespace, ServiceName } from '@tollgate/contracts';

/** Every environment variable Tollgate reads, read here and nowhere else. */
export interface TollgateEnv {
  port: number;
  host: string;
  namespace: string;
  natsUrl: string;
  databaseUrl: string | undefined;
  redisUrl: string;
  masterKey: string | undefined;
  configPath: string | undefined;
  otlpEndpoint: string | undefined;
  otlpProtocol: 'http/protobuf' | 'http/json';
  otelServiceName: string | undefined;
  logLevel: string;
  /**
   * The backend services this deployment runs (`TOLLGATE_SERVICES`, comma-separated; set by the
   * launcher). The gateway's system readiness waits for these; unset means all of them.
   */
  services: ServiceName[] | undefined;
  /** which service this process runs (set by the launcher; used for logs and traces) */
  service: ServiceName | undefined;
  /** usage-event batching: flush after this many ms or this many events */
  usageFlushMs: number;
  usageBatchSize: number;
  usageBufferLimit: number;
  /** HEALTH_PORT: a backend service's HTTP /health/live and /health/ready port; 0 when unset (each service has its own default) */
  healthPort: number;
  /** TOLLGATE_MIGRATE_ONLY=1|true: ensure the database, run the service's migrations, exit (the Kubernetes migration Job) */
  migrateOnly: boolean;
  /**
   * TOLLGATE_SHUTDOWN_GRACE_MS: after SIGTERM a process drains (in-flight requests, NATS
   * subscriptions, the consumer batch in hand, BullMQ jobs, pending usage events) and exits; past
   * this many ms it logs and exits anyway (default 25000: under Kubernetes' 30 s default).
   */
  shutdownGraceMs: number;
  /**
   * TOLLGATE_SHUTDOWN_DELAY_MS: the gateway answers /health/ready with 503 for this long after
   * SIGTERM, still serving normally, before it stops accepting connections, so load balancers
   * take it out of rotation first (default 0; the Kubernetes manifests set a few seconds).
   */
  shutdownDelayMs: number;
  /** GENERIC_LOGGER_ENDPOINT: the `generic_api` logging callback's webhook URL */
  genericLoggerEndpoint: string | undefined;
  /** GENERIC_LOGGER_HEADERS: `k=v,k2=v2`, sent with every webhook call (may hold a secret: never log it) */
  genericLoggerHeaders: Readonly<Record<string, string>>;
  /** DD_API_KEY (secret), DD_SITE (default datadoghq.com), DD_API_BASE (a local agent / proxy base URL): the `datadog` callback */
  ddApiKey: string | undefined;
  ddSite: string;
  ddApiBase: string | undefined;
  /** DD_SOURCE / DD_SERVICE / DD_ENV: fields and tags of every Datadog log entry */
  ddSource: string;
  ddService: string;
  ddEnv: string | undefined;
  /** PROXY_BATCH_POLLING_INTERVAL (LiteLLM's name): seconds between polls of an open batch / fine-tuning job (default 3600) */
  batchPollIntervalS: number;
  /** JOBS_INTERNAL_PORT: the jobs service's internal upload/download listener (default 8094) */
  jobsInternalPort: number;
  /** JOBS_INTERNAL_HOST: where that listener binds (default 127.0.0.1; a non-loopback host requires JOBS_INTERNAL_SECRET) */
  jobsInternalHost: string;
  /** JOBS_INTERNAL_URL: how the gateway reaches that listener (default http://127.0.0.1:8094) */
  jobsInternalUrl: string;
  /** JOBS_INTERNAL_SECRET: shared secret signing the caller identity the gateway forwards to that listener */
  jobsInternalSecret: string | undefined;
}

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/tollgate';

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number (got "${value}")`);
  return n;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): TollgateEnv {
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or http/json (got "${protocol}")`);
  }
  return {
    port: int(env.PORT, 4000, 'PORT'),
    host: env.HOST ?? '0.0.0.0',
    namespace: assertNamespace(env.TOLLGATE_NAMESPACE ?? 'tollgate'),
    natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    masterKey: env.TOLLGATE_MASTER_KEY || env.LITELLM_MASTER_KEY || undefined,
    configPath: env.TOLLGATE_CONFIG || undefined,
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
    otlpProtocol: protocol,
    otelServiceName: env.OTEL_SERVICE_NAME || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    service: (env.TOLLGATE_SERVICE as ServiceName | undefined) || undefined,
    services: env.TOLLGATE_SERVICES ? (env.TOLLGATE_SERVICES.split(',').map((s) => s.trim()).filter(Boolean) as ServiceName[]) : undefined,
    usageFlushMs: int(env.TOLLGATE_USAGE_FLUSH_MS, 5, 'TOLLGATE_USAGE_FLUSH_MS'),
    usageBatchSize: int(env.TOLLGATE_USAGE_BATCH_SIZE, 256, 'TOLLGATE_USAGE_BATCH_SIZE'),
    usageBufferLimit: int(env.TOLLGATE_USAGE_BUFFER_LIMIT, 100_000, 'TOLLGATE_USAGE_BUFFER_LIMIT'),
    healthPort: int(env.HEALTH_PORT, 0, 'HEALTH_PORT'),
    migrateOnly: flag(env.TOLLGATE_MIGRATE_ONLY),
    shutdownGraceMs: int(env.TOLLGATE_SHUTDOWN_GRACE_MS, 25_000, 'TOLLGATE_SHUTDOWN_GRACE_MS'),
    shutdownDelayMs: int(env.TOLLGATE_SHUTDOWN_DELAY_MS, 0, 'TOLLGATE_SHUTDOWN_DELAY_MS'),
    genericLoggerEndpoint: env.GENERIC_LOGGER_ENDPOINT || undefined,
    genericLoggerHeaders: headerList(env.GENERIC_LOGGER_HEADERS, 'GENERIC_LOGGER_HEADERS'),
    ddApiKey: env.DD_API_KEY || undefined,
    ddSite: env.DD_SITE || 'datadoghq.com',
    ddApiBase: env.DD_API_BASE || undefined,
    ddSource: env.DD_SOURCE || 'tollgate',
    ddService: env.DD_SERVICE || 'tollgate',
    ddEnv: env.DD_ENV || undefined,
    batchPollIntervalS: int(env.PROXY_BATCH_POLLING_INTERVAL, 3600, 'PROXY_BATCH_POLLING_INTERVAL'),
    jobsInternalPort: int(env.JOBS_INTERNAL_PORT, 8094, 'JOBS_INTERNAL_PORT'),
    jobsInternalHost: env.JOBS_INTERNAL_HOST || '127.0.0.1',
    jobsInternalUrl: env.JOBS_INTERNAL_URL || `http://127.0.0.1:${int(env.JOBS_INTERNAL_PORT, 8094, 'JOBS_INTERNAL_PORT')}`,
    jobsInternalSecret: env.JOBS_INTERNAL_SECRET || undefined,
  };
}

export { DEFAULT_DATABASE_URL };

/** `os.environ/VAR` → the variable's value (LiteLLM's secret reference syntax). */
export function resolveEnvRefs<T>(value: T, env: NodeJS.ProcessEnv = process.env, path = ''): T {
  if (typeof value === 'string' && value.startsWith('os.environ/')) {
    const name = value.slice('os.environ/'.length);
    const resolved = env[name];
    if (resolved === undefined) throw new Error(`config ${path || '(root)'}: environment variable ${name} is not set`);
    return resolved as T;
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveEnvRefs(v, env, `${path}[${i}]`)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveEnvRefs(v, env, path ? `${path}.${k}` : k);
    return out as T;
  }
  return value;
}

function flag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

/** `k=v,k2=v2` (LiteLLM's GENERIC_LOGGER_HEADERS); a value may itself contain `=`. */
function headerList(value: string | undefined, name: string): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  if (!value) return Object.freeze(out);
  for (const part of value.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    // the entry itself may be a secret: name only its position
    if (eq <= 0) throw new Error(`${name} must be comma-separated k=v pairs (entry ${Object.keys(out).length + 1} is not)`);
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return Object.freeze(out);
}
