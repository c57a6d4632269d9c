import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ErrorCode, TollgateError } from '@tollgate/contracts';
import { extractTraceContext, tracer, tracingEnabled } from '@tollgate/tracing';
import { AuthService } from '../auth/auth.service';
import { admitKeyRequest } from '../auth/request-admission';
import { DeploymentResolver } from '../routing/deployment-resolver';
import { asTollgateError, toOpenAIError } from '../errors/openai-error';
import { UpstreamHttpError } from '../errors/upstream-error';
import { ProviderCall } from '../providers/provider';
import { UsageRecorder } from '../usage/usage-recorder';
import { CallContext } from './call-context';
import { CallResult } from './call-result';
import { GuardedCall } from '../guardrails/guarded-call';
import { GatewayAdmission } from '../limits/gateway-admission';
import { GatewayMetrics } from '../observability/metrics';
import { emitCallSpans } from '../observability/spans';
import { GuardrailPlan } from '../guardrails/guardrails.service';
import { litellmHeaders } from './response-headers';
import { validateRequest } from './request-validation';

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no', connection: 'keep-alive' };

/**
 * The request hot path: auth → validate → call → respond → usage event. Nothing here waits on NATS
 * or Postgres; the usage event is queued for the batched publisher after the response is written.
 */
export class RequestHandler {
  constructor(
    private readonly auth: AuthService,
    private readonly calls: GuardedCall,
    private readonly deployments: DeploymentResolver,
    private readonly usage: UsageRecorder,
    private readonly log: { error: (obj: object, msg: string) => void },
    private readonly metrics?: GatewayMetrics,
    private readonly logMessages = false,
    private readonly limits?: GatewayAdmission,
  ) {}

  async handle(call: ProviderCall, route: string, req: FastifyRequest, reply: FastifyReply, pathModel?: string): Promise<void> {
    const callIdHeader = req.headers['x-litellm-call-id'];
    const ctx: CallContext = {
      callId: typeof callIdHeader === 'string' && callIdHeader.length > 0 && callIdHeader.length <= 128 ? callIdHeader : randomUUID(),
      call,
      route,
      model: pathModel ?? modelOf(req.body),
      stream: false,
      startMs: Date.now(),
      startPerf: performance.now(),
      upstreamMs: 0,
      cost: 0,
      traceId: null,
      guardrailTraces: [],
      appliedGuardrails: [],
    };
    if (!tracingEnabled()) {
      ctx.traceId = traceIdOf(req.headers.traceparent);
      return this.run(ctx, call, req, reply, pathModel);
    }
    const parent = req.headers.traceparent ? extractTraceContext(req.headers) : context.active();
    const span = tracer().startSpan('Received Proxy Server Request', { kind: SpanKind.SERVER, attributes: { 'http.route': ctx.route } }, parent);
    ctx.traceId = span.spanContext().traceId;
    ctx.rootSpan = span;
    await context.with(trace.setSpan(parent, span), () => this.run(ctx, call, req, reply, pathModel));
    span.end();
  }

  private async run(ctx: CallContext, call: ProviderCall, req: FastifyRequest, reply: FastifyReply, pathModel?: string): Promise<void> {
    const abort = new LazyAbort();
    let result: CallResult;
    let plan: GuardrailPlan | undefined;
    let gate: Promise<unknown> | undefined;
    try {
      ctx.auth = await this.auth.authenticate(req.headers, req);
      const llmReq = validateRequest(call, req.body, pathModel);
      const key = ctx.auth.key;
      if (key) llmReq.model = admitKeyRequest(key, ctx.route, llmReq.model, llmReq.body, this.deployments);
      ctx.body = llmReq.body;
      ctx.model = llmReq.model;
      ctx.stream = llmReq.stream;
      plan = this.calls.plan(llmReq, ctx, { keyGuardrails: key?.guardrails, teamGuardrails: key?.team?.guardrails });
      gate = key && this.limits ? this.limits.admit(key, llmReq.model, ctx.callId).then((a) => (ctx.admitted = a)) : undefined;
      // a refusal that lands while pre_call guardrails still run must not go unhandled
      gate?.catch(() => undefined);
      result = await this.calls.execute(ctx, llmReq, abort, plan, gate);
    } catch (e) {
      // a pre_call block can land before admission answers: wait for it, so an admitted slot is
      // completed (freed) now instead of when its lease runs out
      if (gate) await gate.catch(() => undefined);
      this.fail(ctx, reply, e, plan);
      return;
    }
    if (result.kind === 'stream') {
      await this.stream(ctx, reply, result.payloads, abort, plan);
      return;
    }
    const headers = litellmHeaders(ctx, true);
    if (result.kind === 'binary') {
      void reply.code(200).headers(headers).header('content-type', result.contentType).send(result.data);
    } else {
      void reply.code(200).headers(headers).header('content-type', 'application/json').send(JSON.stringify(result.body));
    }
    this.finish(ctx, plan);
  }

  /** After the client has its answer: logging_only guardrails on the logged copy, then the usage event. */
  private finish(ctx: CallContext, plan: GuardrailPlan | undefined, error?: TollgateError): void {
    if (ctx.admitted) this.limits?.complete(ctx.admitted.ticket, ctx.usage?.total_tokens ?? 0);
    this.metrics?.record(ctx, error, performance.now());
    if (ctx.rootSpan) {
      emitCallSpans(ctx.rootSpan, ctx, error, this.logMessages);
      if (error) {
        ctx.rootSpan.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        const failed = tracer().startSpan('Failed Proxy Server Request', { attributes: { exception: error.message } }, trace.setSpan(context.active(), ctx.rootSpan));
        failed.setStatus({ code: SpanStatusCode.ERROR });
        failed.end();
      }
    }
    if (!plan?.logging_only.length) {
      this.usage.record(ctx, error);
      return;
    }
    void this.calls.maskForLogging(ctx, plan).finally(() => this.usage.record(ctx, error));
  }

  private fail(ctx: CallContext, reply: FastifyReply, e: unknown, plan?: GuardrailPlan): void {
    const err = asTollgateError(e);
    if (err !== e) this.log.error({ err: (e as Error)?.message, call_id: ctx.callId }, 'unexpected error in request');
    const type = err instanceof UpstreamHttpError ? err.info.type : undefined;
    void reply
      .code(err.status)
      .headers({ ...litellmHeaders(ctx, false), 'x-litellm-response-cost': '0', ...err.headers })
      .header('content-type', 'application/json')
      .send(JSON.stringify(toOpenAIError(err, type)));
    this.finish(ctx, plan, err);
  }

  /** Chunks are written as they arrive: no buffering, backpressure honoured. */
  private async stream(ctx: CallContext, reply: FastifyReply, payloads: AsyncIterable<string>, abort: LazyAbort, plan?: GuardrailPlan): Promise<void> {
    reply.hijack();
    const raw = reply.raw;
    let finished = false;
    raw.on('close', () => {
      if (!finished) abort.abort();
    });
    raw.writeHead(200, { ...SSE_HEADERS, ...litellmHeaders(ctx, false) });
    let error: TollgateError | undefined;
    // chunks parsed from one network read are written as one: corked until the event loop moves on
    // (one syscall instead of one per SSE event), without holding any chunk back longer than that
    let corked = false;
    const uncork = () => {
      corked = false;
      raw.uncork();
    };
    try {
      for await (const payload of payloads) {
        if (ctx.firstChunkMs === undefined) ctx.firstChunkMs = Date.now();
        if (!corked) {
          corked = true;
          raw.cork();
          setImmediate(uncork);
        }
        if (!raw.write(`data: ${payload}\n\n`)) await new Promise<void>((r) => raw.once('drain', r));
        if (raw.destroyed) break;
      }
    } catch (e) {
      error = e instanceof TollgateError ? e : transportError(e);
      if (!raw.destroyed) raw.write(`data: ${JSON.stringify(toOpenAIError(error))}\n\n`);
    }
    finished = true;
    if (!raw.destroyed) raw.end('data: [DONE]\n\n');
    this.finish(ctx, plan, error);
  }
}

/**
 * An AbortController made only when someone asks for its signal: most requests never need one,
 * and creating one per request showed up in the profile.
 */
class LazyAbort {
  private controller: AbortController | undefined;
  private aborted = false;

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.aborted) this.controller.abort();
    return this.controller.signal;
  }

  abort(): void {
    this.aborted = true;
    this.controller?.abort();
  }
}

/** the trace id of an incoming W3C traceparent, kept in the spend log even when nothing is exported */
function traceIdOf(traceparent: string | string[] | undefined): string | null {
  const v = Array.isArray(traceparent) ? traceparent[0] : traceparent;
  if (!v || v.length < 55) return null;
  const id = v.slice(3, 35);
  return /^[0-9a-f]{32}$/.test(id) ? id : null;
}

function modelOf(body: unknown): string {
  const m = (body as { model?: unknown } | null)?.model;
  return typeof m === 'string' ? m : '';
}

/** a body read that failed mid-stream (reset, timeout, abort) is the upstream's failure */
function transportError(e: unknown): TollgateError {
  const code = (e as { code?: string })?.code ?? (e as Error)?.name ?? 'error';
  return new TollgateError(ErrorCode.UpstreamError, `litellm.APIConnectionError: the provider's stream broke off (${code})`, { status: 502 });
}
