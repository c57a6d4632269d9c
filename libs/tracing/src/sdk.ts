import { context, propagation, trace, Context, Tracer } from '@opentelemetry/api';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { readEnv, TollgateEnv } from '@tollgate/config';

// The SDK and its exporters are loaded only when traces are exported: together they weigh ~60 MB
// of resident memory, which a gateway that exports nothing should not carry.
/* eslint-disable @typescript-eslint/no-require-imports */
const load = {
  sdk: () => require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node'),
  base: () => require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base'),
  proto: () => require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto'),
  json: () => require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http'),
  resources: () => require('@opentelemetry/resources') as typeof import('@opentelemetry/resources'),
};

let sdk: NodeSDK | undefined;
let serviceName = 'tollgate';
let enabled = false;

/** Whether spans go anywhere. When not, the hot path skips span work and context propagation. */
export function tracingEnabled(): boolean {
  return enabled;
}

/** `OTEL_EXPORTER_OTLP_ENDPOINT` is a base URL; the traces path is appended as the OTLP spec says. */
export function tracesUrl(endpoint: string): string {
  if (/\/v1\/traces\/?$/.test(endpoint)) return endpoint;
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

function spanProcessors(env: TollgateEnv): SpanProcessor[] {
  if (!env.otlpEndpoint) return [];
  const url = tracesUrl(env.otlpEndpoint);
  const exporter = env.otlpProtocol === 'http/json' ? new (load.json().OTLPTraceExporter)({ url }) : new (load.proto().OTLPTraceExporter)({ url });
  return [new (load.base().BatchSpanProcessor)(exporter, { scheduledDelayMillis: 500 })];
}

/**
 * Starts OpenTelemetry once per process. No instrumentations are auto-loaded: spans are made
 * where they mean something (request, LLM call, NATS hop), so the hot path pays for nothing else.
 */
export function startTracing(env: TollgateEnv = readEnv()): void {
  if (sdk) return;
  // without an exporter the SDK would only add a context manager whose async hooks tax every
  // promise of the process: measured as a few percent of the gateway's CPU for nothing exported
  if (!env.otlpEndpoint) return;
  enabled = true;
  serviceName = env.otelServiceName ?? `tollgate-${env.service ?? 'process'}`;
  sdk = new (load.sdk().NodeSDK)({
    resource: load.resources().resourceFromAttributes({ 'service.name': serviceName, 'service.namespace': env.namespace }),
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
  enabled = false;
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
