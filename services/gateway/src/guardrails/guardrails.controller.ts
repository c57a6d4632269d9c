import { Controller, Get, Headers, Inject } from '@nestjs/common';
import { GuardrailsList } from '@tollgate/contracts';
import { HeaderBag } from '../auth/auth.service';
import { GATEWAY_RUNTIME, GatewayRuntime } from '../runtime';

/** `GET /guardrails/list`: the configured guardrails and their parameters, from the guardrails service. */
@Controller()
export class GuardrailsController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly rt: GatewayRuntime) {}

  @Get(['guardrails/list', 'v1/guardrails/list'])
  async list(@Headers() headers: HeaderBag) {
    await this.rt.auth.authenticate(headers);
    return this.rt.bus.request(GuardrailsList, {}, { timeoutMs: 3000 });
  }
}
