import { JsMsg, JSONCodec, NatsConnection } from 'nats';
import { ConsumerDef, EventDef } from '@tollgate/contracts';
import { ensureConsumer } from './jetstream';

const codec = JSONCodec<unknown>();

export interface ConsumedEvent<T> {
  subject: string;
  /** the Nats-Msg-Id the publisher set (the idempotency key) */
  msgId: string | undefined;
  payload: T;
  redelivered: boolean;
}

export interface ConsumerHandle {
  stop(): Promise<void>;
}

/**
 * Pulls batches from a durable consumer and hands them to `handle`; acks only after `handle`
 * resolves (after the write committed). A failed batch is nak'ed with a delay and comes back.
 */
export async function consumeBatches<T>(
  nc: NatsConnection,
  ns: string,
  def: ConsumerDef,
  _event: EventDef<T> | null,
  handle: (events: ConsumedEvent<T>[]) => Promise<void>,
  opts: { maxMessages?: number; expiresMs?: number; onError?: (e: Error) => void } = {},
): Promise<ConsumerHandle> {
  const jsm = await nc.jetstreamManager();
  const { stream, durable } = await ensureConsumer(jsm, ns, def);
  const consumer = await nc.jetstream().consumers.get(stream, durable);
  let running = true;
  const loop = (async () => {
    while (running && !nc.isClosed()) {
      const msgs: JsMsg[] = [];
      try {
        // nats.js rejects a pull that expires in under 1000 ms ("expires should be at least 1000ms")
        const iter = await consumer.fetch({ max_messages: opts.maxMessages ?? 500, expires: Math.max(opts.expiresMs ?? 1000, 1000) });
        for await (const m of iter) msgs.push(m);
      } catch (e) {
        opts.onError?.(e as Error);
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (msgs.length === 0) continue;
      const events = msgs.map((m) => ({
        subject: m.subject,
        msgId: m.headers?.get('Nats-Msg-Id') || undefined,
        payload: codec.decode(m.data) as T,
        redelivered: m.redelivered,
      }));
      try {
        await handle(events);
        for (const m of msgs) m.ack();
      } catch (e) {
        opts.onError?.(e as Error);
        for (const m of msgs) m.nak(1000);
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
