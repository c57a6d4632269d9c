import { NatsConnection } from 'nats';
import { KeysChanged, normalizeGuardrailConfig, UsageStream } from '@tollgate/contracts';
import { ConfigError, createLogger, Logger, TollgateConfig } from '@tollgate/config';
import { BatchedEventPublisher, Bus, connectNats, ensureStream, InboxAckPublisher, subscribeBroadcast } from '@tollgate/messaging/client';
import { PriceTable } from '@tollgate/pricing';
import { AuthService } from './auth/auth.service';
import { loadCustomAuth } from './auth/custom-auth';
import { KeyCache } from './auth/key-cache';
import { DeploymentResolver } from './routing/deployment-resolver';
import { GuardedCall } from './guardrails/guarded-call';
import { GatewayGuardrails } from './guardrails/guardrails.service';
import Redis from 'ioredis';
import { Admission } from '@tollgate/limits';
import { GatewayAdmission } from './limits/gateway-admission';
import { LlmService } from './llm/llm.service';
import { GatewayMetrics } from './observability/metrics';
import { RequestHandler } from './llm/request-handler';
import { getProvider, providerIds } from './providers/registry';
import { ModelRouter } from './routing/model-router';
import { UpstreamClient } from './upstream/upstream.client';
import { CostService } from './usage/cost.service';
import { UsageRecorder } from './usage/usage-recorder';

/** Everything the gateway's routes share, built once at start-up. */
export interface GatewayRuntime {
  config: TollgateConfig;
  log: Logger;
  nc: NatsConnection;
  bus: Bus;
  guardrails: GatewayGuardrails | undefined;
  publisher: BatchedEventPublisher;
  auth: AuthService;
  router: ModelRouter;
  deployments: DeploymentResolver;
  keys: KeyCache;
  upstream: UpstreamClient;
  handler: RequestHandler;
  metrics: GatewayMetrics;
  redis: Redis;
  close(): Promise<void>;
}

export const GATEWAY_RUNTIME = Symbol('GATEWAY_RUNTIME');

/** A deployment naming a provider Tollgate has no adapter for stops start-up, naming the entry. */
export function assertProvidersKnown(config: TollgateConfig): void {
  config.deployments.forEach((d, i) => {
    if (d.provider !== 'mock' && !getProvider(d.provider)) {
      throw new ConfigError(
        `${config.source}: invalid config at model_list.${i}.litellm_params.model: provider "${d.provider}" is not supported (supported: ${[...providerIds(), 'mock'].join(', ')})`,
      );
    }
  });
}

export async function createRuntime(config: TollgateConfig, prices: PriceTable = PriceTable.builtIn()): Promise<GatewayRuntime> {
  assertProvidersKnown(config);
  try {
    normalizeGuardrailConfig(config.file.guardrails);
  } catch (e) {
    throw new ConfigError(`${config.source}: ${(e as Error).message}`);
  }
  const log = createLogger('gateway', config.env.logLevel);
  const nc = await connectNats(config.env, 'gateway');
  // the gateway publishes usage events: make sure their stream exists before the first request,
  // so events are kept even while no consumer is running yet
  await ensureStream(await nc.jetstreamManager(), config.env.namespace, UsageStream);
  const metrics = new GatewayMetrics();
  const publisher = new BatchedEventPublisher(new InboxAckPublisher(nc), config.env.namespace, {
    flushMs: config.env.usageFlushMs,
    batchSize: config.env.usageBatchSize,
    bufferLimit: config.env.usageBufferLimit,
    onWarn: (msg, fields) => {
      log.warn(fields, msg);
      if (/buffer full/.test(msg)) metrics.usageDropped.inc();
    },
  });
  const bus = new Bus(nc, config.env.namespace);
  const keys = new KeyCache(bus);
  // every replica hears every change, so a blocked or deleted key is refused on its next request
  subscribeBroadcast(nc, config.env.namespace, KeysChanged, (change) => keys.invalidate(change), { onError: (e) => log.warn({ err: e.message }, 'bad keys.changed message') });
  // a change broadcast while disconnected is lost: forget everything cached once NATS is back
  void (async () => {
    for await (const status of nc.status()) if (status.type === 'reconnect') keys.invalidate({ all: true });
  })();
  const gs = config.file.general_settings as Record<string, unknown>;
  let custom;
  try {
    custom = loadCustomAuth(gs.custom_auth, (gs.custom_auth_settings as { mode?: unknown } | undefined)?.mode, config.source);
  } catch (e) {
    throw new ConfigError(`${config.source}: ${(e as Error).message}`);
  }
  const auth = new AuthService(config.masterKey, keys, custom);
  const router = new ModelRouter(config.deployments);
  const deployments = new DeploymentResolver(router, config.file.litellm_settings.request_timeout ?? 600);
  const upstream = new UpstreamClient();
  const costs = new CostService(prices, (msg) => log.warn(msg));
  const llm = new LlmService(deployments, upstream, costs);
  const usage = new UsageRecorder(publisher, config.file.general_settings.store_prompts_in_spend_logs === true);
  const guardrails = config.file.guardrails.length ? new GatewayGuardrails(config.file.guardrails, bus) : undefined;
  const storePrompts = config.file.general_settings.store_prompts_in_spend_logs === true;
  // admission state lives in Redis; ioredis must never queue commands while disconnected (a request
  // would wait instead of failing fast with a clear 503)
  // auto-pipelining: the admission and completion scripts of concurrent requests leave in one write
  const redis = new Redis(config.env.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, enableAutoPipelining: true });
  let redisDown = false;
  redis.on('error', (e: Error) => {
    if (!redisDown) log.warn({ err: e.message }, 'Redis unreachable: virtual-key requests get 503 until it is back (unless budget_fail_open)');
    redisDown = true;
  });
  redis.on('ready', () => (redisDown = false));
  const failOpen = (config.file.general_settings as Record<string, unknown>).budget_fail_open === true;
  const limits = new GatewayAdmission(new Admission(redis, config.env.namespace), failOpen, log);
  const handler = new RequestHandler(auth, new GuardedCall(llm, guardrails), deployments, usage, log, metrics, storePrompts, limits);
  return {
    config,
    log,
    nc,
    bus,
    guardrails,
    publisher,
    auth,
    router,
    deployments,
    keys,
    upstream,
    handler,
    metrics,
    redis,
    async close() {
      const left = await publisher.close();
      if (left > 0) log.error({ left }, 'usage events could not be published before shutdown');
      await upstream.close();
      redis.disconnect();
      await nc.drain().catch(() => undefined);
    },
  };
}
