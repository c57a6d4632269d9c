import { randomUUID } from 'node:crypto';
import { headers as natsHeaders, JSONCodec, NatsConnection, NatsError } from 'nats';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ErrorCode, isRpcErrorBody, nsSubject, RpcDef, TollgateError } from '@tollgate/contracts';
import { injectTraceContext, tracer } from '@tollgate/tracing';

const codec = JSONCodec<unknown>();

interface NestReply {
  id?: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

/**
 * Typed request/reply. Speaks the NestJS NATS transport's wire format (`{pattern, data, id}` →
 * `{response | err, isDisposed}`) on a plain connection, so callers pay no RxJS layer and share the
 * process's one connection with JetStream. W3C trace context rides in the message headers.
 */
export class Bus {
  constructor(readonly nc: NatsConnection, readonly namespace: string, private readonly defaultTimeoutMs = 5000) {}

  async request<Req, Rep>(def: RpcDef<Req, Rep>, payload: Req, opts: { timeoutMs?: number } = {}): Promise<Rep> {
    const subject = nsSubject(this.namespace, def.subject);
    const span = tracer().startSpan(`nats request ${def.subject}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject },
    });
    const ctx = trace.setSpan(context.active(), span);
    const carrier: Record<string, string> = {};
    injectTraceContext(carrier, ctx);
    const h = natsHeaders();
    for (const [k, v] of Object.entries(carrier)) h.set(k, v);
    try {
      const msg = await this.nc.request(subject, codec.encode({ pattern: def.subject, data: payload, id: randomUUID() }), {
        timeout: opts.timeoutMs ?? this.defaultTimeoutMs,
        headers: h,
      });
      const reply = codec.decode(msg.data) as NestReply;
      if (reply.err !== undefined && reply.err !== null) throw toError(def, reply.err);
      return reply.response as Rep;
    } catch (e) {
      const err = e instanceof TollgateError ? e : unavailable(def, e);
      span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
      throw err;
    } finally {
      span.end();
    }
  }
}

function toError(def: RpcDef<unknown, unknown>, err: unknown): TollgateError {
  if (isRpcErrorBody(err)) return TollgateError.fromBody(err);
  const message = typeof err === 'object' && err && 'message' in err ? String((err as { message: unknown }).message) : String(err);
  return new TollgateError(ErrorCode.Internal, `${def.owner} service error: ${message}`);
}

function unavailable(def: RpcDef<unknown, unknown>, e: unknown): TollgateError {
  const code = (e as NatsError)?.code;
  const reason = code === '503' ? 'no responders' : code === 'TIMEOUT' ? 'timed out' : (e as Error)?.message ?? 'unknown error';
  return new TollgateError(ErrorCode.DependencyUnavailable, `${def.owner} service unavailable (${reason})`);
}
