import { Controller, Inject } from '@nestjs/common';
import { HealthChecks, HealthReply } from '@tollgate/contracts';
import { Rpc } from '@tollgate/messaging';
import { HealthService } from './health.service';

@Controller()
export class HealthHandler {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  @Rpc(HealthChecks.guardrails)
  check(): HealthReply {
    return this.health.check();
  }
}
