import { Injectable } from '@nestjs/common';
import { HealthReply } from '@tollgate/contracts';
import { NamespacedNatsServer } from '@tollgate/messaging';
import { SpendLogsEvents } from '../spend-logs/spend-logs.events';
import { SpendLogsRepository } from '../spend-logs/spend-logs.repository';

const POSTGRES_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  constructor(
    private readonly server: NamespacedNatsServer,
    private readonly repo: SpendLogsRepository,
    private readonly events: SpendLogsEvents,
  ) {}

  /** Ready when NATS is connected, Postgres answers and the usage consumer is running. */
  async check(): Promise<HealthReply> {
    const nc = this.server.connection;
    const nats = nc !== null && !nc.isClosed() && !nc.isDraining();
    const postgres = await this.repo.ping(POSTGRES_TIMEOUT_MS);
    return { service: 'logging', ready: nats && postgres && this.events.running, checks: { nats, postgres } };
  }
}
