import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { MessagePattern, ServerNats, CustomStrategy } from '@nestjs/microservices';
import { Observable, throwError } from 'rxjs';
import { Msg, NatsConnection } from 'nats';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ErrorCode, nsSubject, queueGroup, RpcDef, ServiceName, TollgateError } from '@tollgate/contracts';
import { TollgateEnv } from '@tollgate/config';
import { extractTraceContext, tracer } from '@tollgate/tracing';
import { natsTransportOptions } from './connection';

/** Marks a handler method as the server side of one RPC contract. */
export function Rpc(def: RpcDef<unknown, unknown>): MethodDecorator {
  return MessagePattern(def.subject);
}

/**
 * NestJS's NATS server with Tollgate's rules: subjects namespaced at subscribe time (handlers are
 * declared with the contract's bare subject), a queue group per service so replicas share the
 * load, and a span per handled message parented by the caller's trace context.
 */
export class NamespacedNatsServer extends ServerNats {
  private readonly queue: string;

  constructor(private readonly namespace: string, service: ServiceName, env: TollgateEnv) {
    super({ ...natsTransportOptions(env, service), queue: queueGroup(namespace, service) });
    this.queue = queueGroup(namespace, service);
  }

  override bindEvents(nestClient: Parameters<ServerNats['bindEvents']>[0]): void {
    const client = nestClient as unknown as NatsConnection;
    const queue = this.queue;
    for (const channel of this.messageHandlers.keys()) {
      const handle = this.getMessageHandler(channel).bind(this);
      client.subscribe(nsSubject(this.namespace, channel), {
        queue,
        callback: (err, msg) => {
          if (err) return handle(err, msg);
          const parent = extractTraceContext(headerRecord(msg));
          const span = tracer().startSpan(`nats handle ${channel}`, { kind: SpanKind.SERVER, attributes: { 'messaging.system': 'nats' } }, parent);
          context.with(trace.setSpan(parent, span), () =>
            Promise.resolve(handle(err, msg)).then(
              () => span.end(),
              (e: Error) => {
                span.setStatus({ code: SpanStatusCode.ERROR, message: e?.message });
                span.end();
              },
            ),
          );
        },
      });
    }
  }

  /** the connection Nest opened, reused for JetStream so a service holds one connection */
  get connection(): NatsConnection | null {
    return (this as unknown as { natsClient: NatsConnection | null }).natsClient;
  }
}

function headerRecord(msg: Msg): Record<string, string> {
  const out: Record<string, string> = {};
  if (!msg.headers) return out;
  for (const [k, v] of msg.headers) out[k.toLowerCase()] = v[0] ?? '';
  return out;
}

export function natsStrategy(env: TollgateEnv, service: ServiceName): CustomStrategy & { strategy: NamespacedNatsServer } {
  return { strategy: new NamespacedNatsServer(env.namespace, service, env) };
}

/** Every RPC failure leaves as `{ code, message, status }`; unknown errors never leak details. */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('rpc');

  catch(exception: unknown, _host: ArgumentsHost): Observable<unknown> {
    if (exception instanceof TollgateError) return throwError(() => exception.toBody());
    this.logger.error(`unhandled error in RPC handler: ${(exception as Error)?.stack ?? String(exception)}`);
    return throwError(() => new TollgateError(ErrorCode.Internal, 'internal error').toBody());
  }
}
