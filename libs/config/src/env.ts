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
  /** which service this process runs (set by the launcher; used for logs and traces) */
  service: ServiceName | undefined;
  /** usage-event batching: flush after this many ms or this many events */
  usageFlushMs: number;
  usageBatchSize: number;
  usageBufferLimit: number;
  /** HEALTH_PORT: a backend service's HTTP /health/live and /health/ready port; 0 when unset (each service has its own default) */
  healthPort: number;
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
    usageFlushMs: int(env.TOLLGATE_USAGE_FLUSH_MS, 5, 'TOLLGATE_USAGE_FLUSH_MS'),
    usageBatchSize: int(env.TOLLGATE_USAGE_BATCH_SIZE, 256, 'TOLLGATE_USAGE_BATCH_SIZE'),
    usageBufferLimit: int(env.TOLLGATE_USAGE_BUFFER_LIMIT, 100_000, 'TOLLGATE_USAGE_BUFFER_LIMIT'),
    healthPort: int(env.HEALTH_PORT, 0, 'HEALTH_PORT'),
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
