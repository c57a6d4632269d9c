import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { BACKEND_SERVICES, HealthChecks } from '@tollgate/contracts';
import { GATEWAY_RUNTIME, GatewayRuntime } from '../runtime';

@Controller('health')
export class HealthController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly rt: GatewayRuntime) {}

  /** liveness: the process answers; dependencies do not matter here (no restart storms) */
  @Get(['liveliness', 'liveness', 'live'])
  live(): string {
    return "I'm alive!";
  }

  /**
   * This gateway can serve traffic: what load balancers and Kubernetes probe. It does not depend on
   * the other services (a logging outage must not take every gateway out of rotation: usage events
   * wait in JetStream), only on what the hot path needs.
   */
  @Get('ready')
  self(@Res() reply: FastifyReply): void {
    const nats = !this.rt.nc.isClosed() && this.rt.nc.info !== undefined;
    void reply.code(nats ? 200 : 503).send({ status: nats ? 'ready' : 'not ready', nats: nats ? 'connected' : 'disconnected' });
  }

  /** the whole system, LiteLLM's readiness: NATS is connected and every backend service answers */
  @Get('readiness')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const nats = !this.rt.nc.isClosed() && this.rt.nc.info !== undefined;
    const services: Record<string, { ready: boolean; error?: string; checks?: Record<string, boolean> }> = {};
    await Promise.all(
      BACKEND_SERVICES.filter((name) => !this.rt.config.env.services || this.rt.config.env.services.includes(name)).map(async (name) => {
        try {
          const r = await this.rt.bus.request(HealthChecks[name], {}, { timeoutMs: 1500 });
          services[name] = { ready: r.ready, checks: r.checks };
        } catch (e) {
          services[name] = { ready: false, error: (e as Error).message };
        }
      }),
    );
    const redis = this.rt.redis.status === 'ready';
    const ready = nats && redis && Object.values(services).every((s) => s.ready);
    void reply.code(ready ? 200 : 503).send({
      status: ready ? 'healthy' : 'unhealthy',
      nats: nats ? 'connected' : 'disconnected',
      redis: redis ? 'connected' : 'disconnected',
      services,
      usage_events_pending: this.rt.publisher.pending,
      usage_events_dropped: this.rt.publisher.stats.dropped,
    });
  }
}
