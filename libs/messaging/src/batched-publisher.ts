import { JetStreamClient, JSONCodec } from 'nats';
import { AckedPublish, jetStreamClientPublisher } from './jetstream-acks';
import { EventDef, nsSubject } from '@tollgate/contracts';

const codec = JSONCodec<unknown>();

interface Pending {
  subject: string;
  data: Uint8Array;
  msgId: string;
  attempts: number;
}

export interface BatchedPublisherOptions {
  flushMs: number;
  batchSize: number;
  /** events held at once (queued + awaiting ack); past it new events are refused loudly */
  bufferLimit: number;
  onWarn?: (msg: string, fields: Record<string, unknown>) => void;
}

export interface PublisherStats {
  published: number;
  retried: number;
  /** refused because the buffer was full: never silent, always logged and counted */
  dropped: number;
  buffered: number;
}

/**
 * Publishes durable events without making the caller wait: events join an in-memory batch that is
 * sent every few ms or every N events, each with its own Nats-Msg-Id (JetStream drops a duplicate
 * within the stream's window). Acks are awaited off the request path; a failed publish goes back
 * into the buffer and is retried with backoff; `close()` drains everything it can.
 */
export class BatchedEventPublisher {
  private queue: Pending[] = [];
  private inflight = 0;
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly waiters: (() => void)[] = [];
  private closed = false;
  readonly stats: PublisherStats = { published: 0, retried: 0, dropped: 0, buffered: 0 };

  private readonly js: AckedPublish;

  /** `target`: an InboxAckPublisher (fastest; the gateway's) or a JetStream client */
  constructor(target: AckedPublish | JetStreamClient, private readonly namespace: string, private readonly opts: BatchedPublisherOptions) {
    this.js = 'close' in target ? target : jetStreamClientPublisher(target);
  }

  /** Queue one event; returns false (and logs) only when the buffer is full. */
  publish<T>(def: EventDef<T>, payload: T, msgId: string): boolean {
    if (this.closed) {
      this.opts.onWarn?.('usage publisher closed; event refused', { msgId });
      this.stats.dropped++;
      return false;
    }
    if (this.queue.length + this.inflight >= this.opts.bufferLimit) {
      this.stats.dropped++;
      this.opts.onWarn?.('usage event buffer full: event dropped (is NATS JetStream reachable?)', {
        msgId,
        buffered: this.queue.length + this.inflight,
        dropped_total: this.stats.dropped,
      });
      return false;
    }
    this.queue.push({ subject: nsSubject(this.namespace, def.subject), data: codec.encode(payload), msgId, attempts: 0 });
    this.stats.buffered = this.queue.length + this.inflight;
    if (this.queue.length >= this.opts.batchSize) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.opts.flushMs);
    return true;
  }

  /** Sends what is queued now; resolves when those publishes are acked or re-queued. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.queue;
    if (batch.length === 0) return Promise.resolve();
    this.queue = [];
    this.inflight += batch.length;
    return Promise.all(batch.map((p) => this.send(p))).then(() => undefined);
  }

  private send(p: Pending): Promise<void> {
    return this.js.publish(p.subject, p.data, p.msgId).then(
      () => {
        this.inflight--;
        this.stats.published++;
        this.settled();
      },
      (e: Error) => {
        this.inflight--;
        p.attempts++;
        this.stats.retried++;
        if (p.attempts === 1 || p.attempts % 20 === 0) {
          this.opts.onWarn?.('usage event publish failed; will retry', { msgId: p.msgId, attempts: p.attempts, error: e.message });
        }
        this.queue.push(p);
        this.scheduleRetry(p.attempts);
        this.settled();
      },
    );
  }

  private scheduleRetry(attempts: number): void {
    if (this.retryTimer) return;
    const delay = Math.min(50 * 2 ** Math.min(attempts, 6), 2000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.flush();
    }, delay);
  }

  private settled(): void {
    this.stats.buffered = this.queue.length + this.inflight;
    if (this.stats.buffered === 0) for (const w of this.waiters.splice(0)) w();
  }

  get pending(): number {
    return this.queue.length + this.inflight;
  }

  /** Stop accepting, then flush and retry until empty or the deadline passes; returns what is left. */
  async close(deadlineMs = 10_000): Promise<number> {
    this.closed = true;
    const until = Date.now() + deadlineMs;
    while (this.pending > 0 && Date.now() < until) {
      await this.flush();
      if (this.pending > 0) await new Promise((r) => setTimeout(r, 100));
    }
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.js.close();
    return this.pending;
  }
}
