import { Inject, Injectable } from '@nestjs/common';
import { NatsConnection } from 'nats';
import { Bus, NamespacedNatsServer } from '@tollgate/messaging';
import { BUDGET_OPTIONS, ResolvedBudgetOptions } from '../budget.options';

/** The process's one NATS connection (the one Nest's transport opened), available once the server listens. */
@Injectable()
export class NatsLink {
  private bus: Bus | null = null;

  constructor(private readonly server: NamespacedNatsServer, @Inject(BUDGET_OPTIONS) private readonly opts: ResolvedBudgetOptions) {}

  get connection(): NatsConnection {
    const nc = this.server.connection;
    if (!nc) throw new Error('NATS is not connected yet');
    return nc;
  }

  get connected(): boolean {
    const nc = this.server.connection;
    return nc !== null && !nc.isClosed() && !nc.isDraining();
  }

  get requests(): Bus {
    return (this.bus ??= new Bus(this.connection, this.opts.namespace, 3000));
  }
}
