import { Inject, Injectable } from '@nestjs/common';
import { NatsConnection } from 'nats';
import { SpendLogsConsumer, StandardLoggingPayload } from '@tollgate/contracts';
import type { Logger } from '@tollgate/config';
import { consumeBatches, ConsumerHandle } from '@tollgate/messaging';
import { LOGGER, LOGGING_OPTIONS, ResolvedLoggingOptions } from '../logging.options';
import { SpendLogsService } from './spend-logs.service';

/**
 * The JetStream subscription: `usage.recorded` and `usage.failed` through the service's durable
 * pull consumer (shared by replicas). consumeBatches acks a batch only after `record` resolves,
 * i.e. after the INSERT committed; a failed batch is nak'ed and comes back.
 */
@Injectable()
export class SpendLogsEvents {
  private handle: ConsumerHandle | null = null;

  constructor(
    private readonly service: SpendLogsService,
    @Inject(LOGGING_OPTIONS) private readonly opts: ResolvedLoggingOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(nc: NatsConnection): Promise<void> {
    if (this.handle) return;
    this.handle = await consumeBatches<StandardLoggingPayload>(
      nc,
      this.opts.namespace,
      SpendLogsConsumer,
      null,
      async (events) => {
        await this.service.record(events);
      },
      {
        maxMessages: this.opts.maxMessages,
        expiresMs: this.opts.expiresMs,
        onError: (e) => this.logger.warn({ err: e }, 'spend log batch not written; it will be redelivered'),
      },
    );
  }

  get running(): boolean {
    return this.handle !== null;
  }

  /** Stops pulling; the batch in hand is finished (written and acked) first. */
  async stop(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (handle) await handle.stop();
  }
}
