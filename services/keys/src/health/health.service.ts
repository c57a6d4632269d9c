import { Injectable } from '@nestjs/common';
import { HealthReply } from '@tollgate/contracts';
import { NamespacedNatsServer } from '@tollgate/messaging';
import { KeysRepository } from '../keys/keys.repository';

const POSTGRES_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  constructor(private readonly server: NamespacedNatsServer, private readonly keys: KeysRepository) {}

  /** Ready when NATS is connected and Postgres answers. */
  async check(): Promise<HealthReply> {
    const nc = this.server.connection;
    const nats = nc !== null && !nc.isClosed() && !nc.isDraining();
    const postgres = await this.keys.ping(POSTGRES_TIMEOUT_MS);
    return { service: 'keys', ready: nats && postgres, checks: { nats, postgres } };
  }
}
