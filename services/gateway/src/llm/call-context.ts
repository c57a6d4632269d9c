import type { Span } from '@opentelemetry/api';
import { CallType, GuardrailTrace } from '@tollgate/contracts';
import { Deployment } from '@tollgate/config';
import { AuthContext } from '../auth/auth.service';
import { ProviderCall, ProviderUsage } from '../providers/provider';

export const CALL_TYPES: Record<ProviderCall, CallType> = {
  chat: 'acompletion',
  completion: 'atext_completion',
  embedding: 'aembedding',
  speech: 'aspeech',
};

/** Everything known about one request while it runs; becomes the usage event at the end. */
export interface CallContext {
  callId: string;
  call: ProviderCall;
  route: string;
  /** the model the client asked for (the model group) */
  model: string;
  stream: boolean;
  /** unix ms */
  startMs: number;
  /** performance.now() at start, for durations */
  startPerf: number;
  firstChunkMs?: number;
  upstreamMs: number;
  auth?: AuthContext;
  deployment?: Deployment;
  usage?: ProviderUsage;
  /** speech: characters of input, priced per character */
  characters?: number;
  cost: number;
  body?: Record<string, unknown>;
  response?: unknown;
  traceId: string | null;
  /** every guardrail run of this request, in order (pre, during, post, logging_only) */
  guardrailTraces: GuardrailTrace[];
  /** guardrails that ran (for `x-litellm-applied-guardrails` and the spend log) */
  appliedGuardrails: string[];
  /** rate-limit / budget admission of a virtual key (ticket to complete, headers to send) */
  admitted?: { ticket: import('@tollgate/limits').AdmissionTicket; headers: Record<string, string>; spend: import('@tollgate/limits').SpendSnapshot };
  /** the request's root span, when traces are exported */
  rootSpan?: Span;
}
