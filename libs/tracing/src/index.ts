export * from './sdk';
export { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
export type { Span, Context, Attributes } from '@opentelemetry/api';
