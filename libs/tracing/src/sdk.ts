import { context, propagation, trace, Context, Tracer } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as OtlpProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as OtlpJson } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { readEnv, TollgateEnv } from '@tollgate/config';

let sdk: NodeSDK | undefined;
let serviceName = 'tollgate';

/** `OTEL_EXPORTER_OTLP_ENDPOINT` is a base URL; the traces path is appended as the OTLP spec says. */
export function tracesUrl(endpoint: string): string {
  if (/\/v1\/traces\/?$/.test(endpoint)) return endpoint;
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

function spanProcessors(env: TollgateEnv): SpanProcessor[] {
  if (!env.otlpEndpoint) return [];
  const url = tracesUrl(env.otlpEndpoint);
  const exporter = env.otlpProtocol === 'http/json' ? new OtlpJson({ url }) : new OtlpProto({ url });
  return [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })];
}

/**
 * Starts OpenTelemetry once per process. No instrumentations are auto-loaded: spans are made
 * where they mean something (request, LLM call, NATS hop), so the hot path pays for nothing else.
 */
export function startTracing(env: TollgateEnv = readEnv()): void {
  if (sdk) return;
  serviceName = env.otelServiceName ?? `tollgate-${env.service ?? 'process'}`;
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.namespace': env.namespace }),
    autoDetectResources: false,
    spanProcessors: spanProcessors(env),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
}

export async function shutdownTracing(): Promise<void> {
  const s = sdk;
  sdk = undefined;
  if (s) await s.shutdown().catch(() => undefined);
}

export function tracer(): Tracer {
  return trace.getTracer('tollgate', '0.1.0');
}

/** Writes `traceparent` (and `tracestate`) for the active or given context into a header carrier. */
export function injectTraceContext(carrier: Record<string, string>, ctx: Context = context.active()): Record<string, string> {
  propagation.inject(ctx, carrier);
  return carrier;
}

export function extractTraceContext(carrier: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), carrier, {
    get: (c, k) => {
      const v = c[k];
      return Array.isArray(v) ? v[0] : v;
    },
    keys: (c) => Object.keys(c),
  });
}

export function currentTraceId(): string | null {
  const span = trace.getSpan(context.active());
  return span ? span.spanContext().traceId : null;
}
