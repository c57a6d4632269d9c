import { Inject, Injectable } from '@nestjs/common';
import { JSONCodec } from 'nats';
import type { Logger } from '@tollgate/config';
import { nsSubject, StandardLoggingPayload, UsageRecorded, UsageStream } from '@tollgate/contracts';
import { BatchedEventPublisher, ensureStream, NamespacedNatsServer } from '@tollgate/messaging';
import { unavailable } from '../common/errors';
import { JOBS_OPTIONS, LOGGER, ResolvedJobsOptions } from '../jobs.options';

const codec = JSONCodec<StandardLoggingPayload>();

/**
 * Usage events of the jobs service, on the process's one NATS connection (it exists once the RPC
 * server listens, hence `start`). Costs are published and their ack awaited (`publishNow`), so the
 * row is marked charged only after JetStream holds the event; creation events go through the
 * batched publisher like the gateway's.
 */
@Injectable()
export class UsagePublisher {
  private batched: BatchedEventPublisher | undefined;

  constructor(
    private readonly server: NamespacedNatsServer,
    @Inject(JOBS_OPTIONS) private readonly opts: ResolvedJobsOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const nc = this.server.connection;
    if (!nc) throw new Error('NATS server started without a connection');
    await ensureStream(await nc.jetstreamManager(), this.opts.namespace, UsageStream);
    this.batched = new BatchedEventPublisher(nc.jetstream(), this.opts.namespace, {
      flushMs: 20,
      batchSize: 64,
      bufferLimit: 10_000,
      onWarn: (msg, fields) => this.logger.warn(fields, msg),
    });
  }

  /** Publish and wait for JetStream's ack; `Nats-Msg-Id` = the event id, so a repeat is dropped. */
  async publishNow(e: StandardLoggingPayload): Promise<{ duplicate: boolean }> {
    const nc = this.server.connection;
    if (!nc || nc.isClosed()) throw unavailable('NATS is not connected');
    const ack = await nc.jetstream().publish(nsSubject(this.opts.namespace, UsageRecorded.subject), codec.encode(e), { msgID: e.id, timeout: 5000 });
    return { duplicate: ack.duplicate };
  }

  enqueue(e: StandardLoggingPayload): void {
    if (!this.batched) {
      this.logger.warn({ id: e.id }, 'usage publisher not started; event dropped');
      return;
    }
    this.batched.publish(UsageRecorded, e, e.id);
  }

  async close(): Promise<void> {
    await this.batched?.close(5000);
  }
}
