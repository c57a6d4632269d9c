import { Injectable } from '@nestjs/common';
import { HealthReply } from '@tollgate/contracts';
import { NamespacedNatsServer } from '@tollgate/messaging';
import { FilesRepository } from '../files/files.repository';
import { PollScheduler } from '../pollers/poll-scheduler';

const POSTGRES_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  constructor(private readonly server: NamespacedNatsServer, private readonly files: FilesRepository, private readonly scheduler: PollScheduler) {}

  /** Ready when NATS is connected, Postgres answers and Redis (the poll queues) answers. */
  async check(): Promise<HealthReply> {
    const nc = this.server.connection;
    const nats = nc !== null && !nc.isClosed() && !nc.isDraining();
    const [postgres, redis] = await Promise.all([this.files.ping(POSTGRES_TIMEOUT_MS), this.scheduler.ping()]);
    return { service: 'jobs', ready: nats && postgres && redis, checks: { nats, postgres, redis } };
  }
}
