import { HealthReply } from '@tollgate/contracts';
import { NamespacedNatsServer } from '@tollgate/messaging';

/** Ready when the NATS connection is up: the checks themselves need nothing else to answer. */
export class HealthService {
  constructor(private readonly server: NamespacedNatsServer) {}

  check(): HealthReply {
    const nc = this.server.connection;
    const nats = nc !== null && !nc.isClosed() && !nc.isDraining();
    return { service: 'guardrails', ready: nats, checks: { nats } };
  }
}
