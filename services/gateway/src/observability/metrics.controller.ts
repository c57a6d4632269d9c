import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { TollgateError } from '@tollgate/contracts';
import { HeaderBag } from '../auth/auth.service';
import { GATEWAY_RUNTIME, GatewayRuntime } from '../runtime';

/**
 * `GET /metrics` (Prometheus text). Protected by the master key unless
 * `litellm_settings.require_auth_for_metrics_endpoint: false` (LiteLLM's default since v1.85).
 */
@Controller()
export class MetricsController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly rt: GatewayRuntime) {}

  @Get('metrics')
  async metrics(@Headers() headers: HeaderBag, @Res() reply: FastifyReply): Promise<void> {
    const settings = this.rt.config.file.litellm_settings as Record<string, unknown>;
    if (settings.require_auth_for_metrics_endpoint !== false) {
      try {
        await this.rt.auth.authenticate(headers);
      } catch (e) {
        const message = e instanceof TollgateError ? e.message : 'authentication failed';
        void reply.code(401).header('content-type', 'application/json').send(JSON.stringify(`Unauthorized access to metrics endpoint: ${message}`));
        return;
      }
    }
    const registry = this.rt.metrics.registry;
    void reply.code(200).header('content-type', registry.contentType).send(await this.rt.metrics.text());
  }
}
