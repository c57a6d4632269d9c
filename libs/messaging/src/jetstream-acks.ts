import { createInbox, headers as natsHeaders, JetStreamClient, NatsConnection, Subscription } from 'nats';

/** Sends one message to a JetStream stream and resolves when the stream acknowledged it. */
export interface AckedPublish {
  publish(subject: string, data: Uint8Array, msgId: string): Promise<void>;
  close(): void;
}

interface Waiter {
  resolve(): void;
  reject(e: Error): void;
  deadline: number;
}

/**
 * JetStream publishing over plain NATS: every message carries a reply subject under one inbox
 * subscription, and the stream's PubAck arrives there. Unlike `js.publish`, no timer and no error
 * object are created per message (the nats client builds both eagerly per request, which showed
 * in the gateway's profile); one sweeper times out unacknowledged messages.
 */
export class InboxAckPublisher implements AckedPublish {
  private readonly inbox = createInbox();
  private readonly waiters = new Map<string, Waiter>();
  private readonly sub: Subscription;
  private readonly sweeper: NodeJS.Timeout;
  private seq = 0;

  constructor(private readonly nc: NatsConnection, private readonly ackTimeoutMs = 5000) {
    this.sub = nc.subscribe(`${this.inbox}.*`, {
      callback: (err, msg) => {
        if (err) return;
        const token = msg.subject.slice(this.inbox.length + 1);
        const w = this.waiters.get(token);
        if (!w) return;
        this.waiters.delete(token);
        const ack = parseAck(msg.data);
        if (ack.ok) w.resolve();
        else w.reject(new Error(ack.error));
      },
    });
    this.sweeper = setInterval(() => this.sweep(), Math.min(1000, ackTimeoutMs));
    this.sweeper.unref();
  }

  publish(subject: string, data: Uint8Array, msgId: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const token = (this.seq++).toString(36);
      this.waiters.set(token, { resolve, reject, deadline: Date.now() + this.ackTimeoutMs });
      const h = natsHeaders();
      h.set('Nats-Msg-Id', msgId);
      try {
        this.nc.publish(subject, data, { reply: `${this.inbox}.${token}`, headers: h });
      } catch (e) {
        this.waiters.delete(token);
        reject(e as Error);
      }
    });
  }

  private sweep(): void {
    const now = Date.now();
    for (const [token, w] of this.waiters) {
      if (w.deadline <= now) {
        this.waiters.delete(token);
        w.reject(new Error('no acknowledgement from JetStream in time'));
      }
    }
  }

  close(): void {
    clearInterval(this.sweeper);
    this.sub.unsubscribe();
    for (const w of this.waiters.values()) w.reject(new Error('publisher closed'));
    this.waiters.clear();
  }
}

function parseAck(data: Uint8Array): { ok: true } | { ok: false; error: string } {
  if (data.length === 0) return { ok: false, error: 'empty acknowledgement (no stream for this subject?)' };
  try {
    const ack = JSON.parse(Buffer.from(data).toString()) as { error?: { description?: string; code?: number }; seq?: number };
    if (ack.error) return { ok: false, error: ack.error.description ?? `JetStream error ${ack.error.code}` };
    return { ok: true };
  } catch {
    return { ok: false, error: 'unreadable acknowledgement' };
  }
}

/** The nats client's own JetStream publish, behind the same interface (used where speed matters less). */
export function jetStreamClientPublisher(js: JetStreamClient): AckedPublish {
  return {
    publish: (subject, data, msgId) => js.publish(subject, data, { msgID: msgId, timeout: 5000 }).then(() => undefined),
    close: () => undefined,
  };
}
