import { NatsConnection } from 'nats';
import { normalizeGuardrailConfig, UsageStream } from '@tollgate/contracts';
import { ConfigError, createLogger, Logger, TollgateConfig } from '@tollgate/config';
import { BatchedEventPublisher, Bus, connectNats, ensureStream } from '@tollgate/messaging';
import { PriceTable } from '@tollgate/pricing';
import { AuthService } from './auth/auth.service';
import { GuardedCall } from './guardrails/guarded-call';
import { GatewayGuardrails } from './guardrails/guardrails.service';
import { LlmService } from './llm/llm.service';
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
  upstream: UpstreamClient;
  handler: RequestHandler;
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
  const publisher = new BatchedEventPublisher(nc.jetstream(), config.env.namespace, {
    flushMs: config.env.usageFlushMs,
    batchSize: config.env.usageBatchSize,
    bufferLimit: config.env.usageBufferLimit,
    onWarn: (msg, fields) => log.warn(fields, msg),
  });
  const auth = new AuthService(config.masterKey);
  const router = new ModelRouter(config.deployments);
  const upstream = new UpstreamClient();
  const costs = new CostService(prices, (msg) => log.warn(msg));
  const llm = new LlmService(router, upstream, costs);
  const usage = new UsageRecorder(publisher, config.file.general_settings.store_prompts_in_spend_logs === true);
  const bus = new Bus(nc, config.env.namespace);
  const guardrails = config.file.guardrails.length ? new GatewayGuardrails(config.file.guardrails, bus) : undefined;
  const handler = new RequestHandler(auth, new GuardedCall(llm, guardrails), usage, log);
  return {
    config,
    log,
    nc,
    bus,
    guardrails,
    publisher,
    auth,
    router,
    upstream,
    handler,
    async close() {
      const left = await publisher.close();
      if (left > 0) log.error({ left }, 'usage events could not be published before shutdown');
      await upstream.close();
      await nc.drain().catch(() => undefined);
    },
  };
}
