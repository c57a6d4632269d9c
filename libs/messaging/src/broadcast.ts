import { headers as natsHeaders, JSONCodec, Msg, NatsConnection, Subscription } from 'nats';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BroadcastDef, nsSubject } from '@tollgate/contracts';
import { extractTraceContext, injectTraceContext, tracer } from '@tollgate/tracing';

const codec = JSONCodec<unknown>();

/**
 * Publishes a broadcast on NATS core (fire-and-forget: no ack, no JetStream). Every subscriber of
 * the namespaced subject receives it. The caller's trace context rides in the headers.
 */
export function publishBroadcast<T>(nc: NatsConnection, namespace: string, def: BroadcastDef<T>, payload: T): void {
  const subject = nsSubject(namespace, def.subject);
  const span = tracer().startSpan(`nats publish ${def.subject}`, {
    kind: SpanKind.PRODUCER,
    attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject },
  });
  try {
    const carrier: Record<string, string> = {};
    injectTraceContext(carrier, trace.setSpan(context.active(), span));
    const h = natsHeaders();
    for (const [k, v] of Object.entries(carrier)) h.set(k, v);
    nc.publish(subject, codec.encode(payload), { headers: h });
  } catch (e) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
    throw e;
  } finally {
    span.end();
  }
}

export interface BroadcastSubscribeOptions {
  /** a malformed payload or a throwing handler is reported here, never rethrown into the NATS client */
  onError?: (err: Error) => void;
}

/**
 * Subscribes every caller (no queue group) to a broadcast. The handler runs inside a span parented
 * by the publisher's trace context. Unsubscribe (or drain the connection) to stop.
 */
export function subscribeBroadcast<T>(
  nc: NatsConnection,
  namespace: string,
  def: BroadcastDef<T>,
  handler: (payload: T) => void | Promise<void>,
  opts: BroadcastSubscribeOptions = {},
): Subscription {
  return nc.subscribe(nsSubject(namespace, def.subject), {
    callback: (err, msg) => {
      if (err) {
        opts.onError?.(err);
        return;
      }
      const parent = extractTraceContext(headerRecord(msg));
      const span = tracer().startSpan(`nats receive ${def.subject}`, { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'nats' } }, parent);
      const fail = (e: unknown): void => {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error)?.message });
        opts.onError?.(e instanceof Error ? e : new Error(String(e)));
      };
      context.with(trace.setSpan(parent, span), () => {
        try {
          Promise.resolve(handler(codec.decode(msg.data) as T)).catch(fail).finally(() => span.end());
        } catch (e) {
          fail(e);
          span.end();
        }
      });
    },
  });
}

function headerRecord(msg: Msg): Record<string, string> {
  const out: Record<string, string> = {};
  if (!msg.headers) return out;
  for (const [k, v] of msg.headers) out[k.toLowerCase()] = v[0] ?? '';
  return out;
}
