import { Controller } from '@nestjs/common';
import { HealthChecks, HealthReply } from '@tollgate/contracts';
import { Rpc } from '@tollgate/messaging';
import { HealthService } from './health.service';

@Controller()
export class HealthHandler {
  constructor(private readonly health: HealthService) {}

  @Rpc(HealthChecks.jobs)
  check(): Promise<HealthReply> {
    return this.health.check();
  }
}
