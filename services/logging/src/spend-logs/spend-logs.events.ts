import { Inject, Injectable } from '@nestjs/common';
import { NatsConnection } from 'nats';
import { nsName, SpendLogsConsumer, StandardLoggingPayload } from '@tollgate/contracts';
import type { Logger } from '@tollgate/config';
import { consumeBatches, ConsumerHandle } from '@tollgate/messaging';
import { LOGGER, LOGGING_OPTIONS, ResolvedLoggingOptions } from '../logging.options';
import { LoggingMetrics } from '../metrics/logging-metrics';
import { SpendLogsService } from './spend-logs.service';

/**
 * The JetStream subscription: `usage.recorded` and `usage.failed` through the service's durable
 * pull consumer (shared by replicas). consumeBatches acks a batch only after `record` resolves,
 * i.e. after the INSERT committed; a failed batch is nak'ed and comes back.
 */
@Injectable()
export class SpendLogsEvents {
  private handle: ConsumerHandle | null = null;
  private lagTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly service: SpendLogsService,
    @Inject(LOGGING_OPTIONS) private readonly opts: ResolvedLoggingOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: LoggingMetrics,
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
    if (this.opts.lagSampleMs > 0) this.sampleLag(nc, this.opts.lagSampleMs);
  }

  /** Consumer lag for /metrics: one cheap consumer-info request every few seconds, never per batch. */
  private sampleLag(nc: NatsConnection, everyMs: number): void {
    const stream = nsName(this.opts.namespace, SpendLogsConsumer.stream.name);
    const durable = nsName(this.opts.namespace, SpendLogsConsumer.durable);
    let inFlight = false;
    const sample = async (): Promise<void> => {
      if (inFlight || nc.isClosed()) return;
      inFlight = true;
      try {
        const info = await (await nc.jetstreamManager()).consumers.info(stream, durable);
        this.metrics.consumerPending.set(info.num_pending);
        this.metrics.consumerAckPending.set(info.num_ack_pending);
      } catch {
        // a missed sample only leaves the last value in place
      } finally {
        inFlight = false;
      }
    };
    void sample();
    this.lagTimer = setInterval(() => void sample(), everyMs);
    this.lagTimer.unref();
  }

  get running(): boolean {
    return this.handle !== null;
  }

  /** Stops pulling; the batch in hand is finished (written and acked) first. */
  async stop(): Promise<void> {
    if (this.lagTimer) clearInterval(this.lagTimer);
    this.lagTimer = null;
    const handle = this.handle;
    this.handle = null;
    if (handle) await handle.stop();
  }
}
