import type { Logger } from '@tollgate/config';
import { LoggingMetrics } from '../metrics/logging-metrics';

/** Where a callback sends one batch; throws when the batch was not accepted. */
export interface CallbackSink {
  readonly name: string;
  send(batch: readonly unknown[], signal: AbortSignal): Promise<void>;
}

export interface CallbackQueueOptions {
  /** payloads held at most; past it new payloads are dropped (counted, logged) */
  maxQueue: number;
  batchSize: number;
  flushMs: number;
  /** attempts per batch, the first included */
  maxAttempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  /** one attempt's deadline (a server that never answers costs this, not forever) */
  timeoutMs: number;
}

export const DEFAULT_CALLBACK_QUEUE: CallbackQueueOptions = {
  maxQueue: 10_000,
  batchSize: 100,
  flushMs: 1000,
  maxAttempts: 3,
  backoffMs: 500,
  maxBackoffMs: 10_000,
  timeoutMs: 10_000,
};

const DROP_LOG_EVERY_MS = 10_000;

/**
 * A bounded in-memory queue in front of one callback: `enqueue` never waits and never grows past
 * `maxQueue`; one batch at a time is sent with retries and exponential backoff. Memory is bounded
 * by maxQueue + one batch in flight, whatever the endpoint does. Delivery is at most once: what is
 * queued when the process dies is lost (the spend log row is the durable record).
 */
export class CallbackQueue {
  private queue: unknown[] = [];
  private sending: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly abort = new AbortController();
  private closed = false;
  private droppedSinceLog = 0;
  private lastDropLog = 0;

  constructor(
    private readonly sink: CallbackSink,
    private readonly opts: CallbackQueueOptions,
    private readonly metrics: LoggingMetrics,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => this.kick(), opts.flushMs);
    this.timer.unref();
    metrics.callbackQueueSize.set({ callback: sink.name }, 0);
  }

  get name(): string {
    return this.sink.name;
  }

  get size(): number {
    return this.queue.length;
  }

  /** false when the payload was dropped (queue full or closed) */
  enqueue(payload: unknown): boolean {
    if (this.closed || this.queue.length >= this.opts.maxQueue) {
      this.drop(1, 'queue_full');
      return false;
    }
    this.queue.push(payload);
    this.metrics.callbackQueueSize.set({ callback: this.sink.name }, this.queue.length);
    if (this.queue.length >= this.opts.batchSize) this.kick();
    return true;
  }

  /** Stops the timer, sends what is queued until `deadlineMs`, then abandons the rest. */
  async close(deadlineMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const deadline = setTimeout(() => this.abort.abort(), deadlineMs);
    try {
      this.kick();
      while (this.sending) await this.sending;
    } finally {
      clearTimeout(deadline);
      if (this.queue.length) this.drop(this.queue.length, 'shutdown');
      this.queue = [];
      this.metrics.callbackQueueSize.set({ callback: this.sink.name }, 0);
    }
  }

  private kick(): void {
    if (this.sending || this.queue.length === 0) return;
    this.sending = this.drain().finally(() => {
      this.sending = null;
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.abort.signal.aborted) {
      const batch = this.queue.splice(0, this.opts.batchSize);
      this.metrics.callbackQueueSize.set({ callback: this.sink.name }, this.queue.length);
      await this.sendWithRetry(batch);
      // between timer ticks, send only full batches: a trickle is flushed by the timer
      if (this.queue.length < this.opts.batchSize && !this.closed) break;
    }
  }

  private async sendWithRetry(batch: unknown[]): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.opts.maxAttempts; attempt++) {
      if (this.abort.signal.aborted) break;
      const attemptSignal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.opts.timeoutMs)]);
      try {
        await this.sink.send(batch, attemptSignal);
        this.metrics.callbackSent.inc({ callback: this.sink.name }, batch.length);
        return;
      } catch (e) {
        lastError = e;
        this.metrics.callbackFailures.inc({ callback: this.sink.name });
        if (attempt < this.opts.maxAttempts) await this.sleep(this.backoff(attempt));
      }
    }
    this.drop(batch.length, 'retries_exhausted', lastError);
  }

  private backoff(attempt: number): number {
    const base = Math.min(this.opts.backoffMs * 2 ** (attempt - 1), this.opts.maxBackoffMs);
    return base / 2 + Math.random() * (base / 2);
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.abort.signal;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const onAbort = (): void => {
        clearTimeout(t);
        resolve();
      };
      const t = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private drop(count: number, reason: 'queue_full' | 'retries_exhausted' | 'shutdown', error?: unknown): void {
    this.metrics.callbackDropped.inc({ callback: this.sink.name, reason }, count);
    if (reason !== 'queue_full') {
      const err = error instanceof Error ? error.message : error === undefined ? undefined : String(error);
      this.logger.warn({ callback: this.sink.name, reason, dropped: count, error: err }, 'logging callback dropped payloads');
      return;
    }
    // a full queue drops one payload per event: one line per interval, with the count since the last
    this.droppedSinceLog += count;
    const now = Date.now();
    if (now - this.lastDropLog >= DROP_LOG_EVERY_MS) {
      this.logger.warn(
        { callback: this.sink.name, reason, dropped: this.droppedSinceLog, max_queue: this.opts.maxQueue },
        'logging callback queue full: dropping payloads',
      );
      this.lastDropLog = now;
      this.droppedSinceLog = 0;
    }
  }
}
