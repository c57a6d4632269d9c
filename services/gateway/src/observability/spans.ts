import type { Attributes, Span } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode, trace, context } from '@opentelemetry/api';
import { TollgateError } from '@tollgate/contracts';
import { tracer } from '@tollgate/tracing';
import { CALL_TYPES, CallContext } from '../llm/call-context';

function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * The spans of one finished request, under its "Received Proxy Server Request" root: exactly one
 * `litellm_request` per LLM call (LiteLLM PR 7435 fixed it emitting two), a `raw_gen_ai_request`
 * child when messages are logged, and one `guardrail` span per guardrail run. Attributes follow the
 * OpenTelemetry GenAI conventions plus LiteLLM's `metadata.*` (never the raw key).
 */
export function emitCallSpans(root: Span, ctx: CallContext, error: TollgateError | undefined, logMessages: boolean): void {
  const parent = trace.setSpan(context.active(), root);
  for (const g of ctx.guardrailTraces) {
    const s = tracer().startSpan('guardrail', { startTime: g.start_time * 1000, attributes: {
      'openinference.span.kind': 'GUARDRAIL',
      guardrail_name: g.guardrail_name,
      guardrail_mode: g.guardrail_mode,
      guardrail_status: g.guardrail_status,
      guardrail_response: str(g.guardrail_response),
      masked_entity_count: JSON.stringify(g.masked_entity_count),
    } }, parent);
    if (g.guardrail_status === 'guardrail_intervened' || g.guardrail_status === 'guardrail_failed_to_respond') s.setStatus({ code: SpanStatusCode.ERROR, message: g.guardrail_status });
    s.end(g.end_time * 1000);
  }
  const d = ctx.deployment;
  if (!d) return; // refused before any model was chosen: no LLM call happened
  const endMs = Date.now();
  const a = ctx.auth;
  const u = ctx.usage;
  const body = ctx.body ?? {};
  const response = (ctx.response ?? {}) as Record<string, unknown>;
  const attrs: Attributes = {
    'gen_ai.operation.name': ctx.call === 'chat' ? 'chat' : ctx.call === 'completion' ? 'text_completion' : ctx.call === 'embedding' ? 'embeddings' : 'speech',
    'gen_ai.system': d.provider,
    'gen_ai.provider.name': d.provider,
    'gen_ai.request.model': ctx.model,
    'gen_ai.response.model': str(response.model) || d.upstreamModel,
    'llm.request.type': CALL_TYPES[ctx.call],
    'llm.is_streaming': ctx.stream ? 'True' : 'False',
    'metadata.user_api_key_hash': a?.keyHash ?? '',
    'metadata.user_api_key_alias': a?.keyAlias ?? '',
    'metadata.user_api_key_user_id': a?.userId ?? '',
    'metadata.user_api_key_team_id': a?.teamId ?? '',
    'metadata.user_api_key_team_alias': a?.teamAlias ?? '',
    'metadata.model_id': d.id,
    'metadata.litellm_call_id': ctx.callId,
  };
  if (typeof body.max_tokens === 'number') attrs['gen_ai.request.max_tokens'] = body.max_tokens;
  if (typeof body.temperature === 'number') attrs['gen_ai.request.temperature'] = body.temperature;
  if (typeof body.top_p === 'number') attrs['gen_ai.request.top_p'] = body.top_p;
  if (typeof body.user === 'string') attrs['llm.user'] = body.user;
  if (typeof response.id === 'string') attrs['gen_ai.response.id'] = response.id;
  if (u) {
    attrs['gen_ai.usage.input_tokens'] = u.prompt_tokens;
    attrs['gen_ai.usage.output_tokens'] = u.completion_tokens;
    attrs['gen_ai.usage.total_tokens'] = u.total_tokens;
    attrs['llm.usage.total_tokens'] = u.total_tokens;
  }
  attrs['gen_ai.cost.total_cost'] = error ? 0 : ctx.cost;
  const choices = Array.isArray(response.choices) ? (response.choices as Record<string, unknown>[]) : [];
  const finish = choices.map((c) => c.finish_reason).filter((f): f is string => typeof f === 'string');
  if (finish.length) attrs['gen_ai.response.finish_reasons'] = finish;
  const callStart = endMs - (ctx.upstreamMs || 0);
  const llm = tracer().startSpan('litellm_request', { kind: SpanKind.CLIENT, startTime: Math.min(callStart, endMs), attributes: attrs }, parent);
  llm.setStatus(error ? { code: SpanStatusCode.ERROR, message: error.message } : { code: SpanStatusCode.OK });
  if (logMessages) {
    const raw: Attributes = {};
    const messages = Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : [];
    messages.forEach((m, i) => {
      raw[`gen_ai.prompt.${i}.role`] = str(m.role);
      raw[`gen_ai.prompt.${i}.content`] = str(m.content);
    });
    choices.forEach((c, i) => {
      const msg = (c.message ?? {}) as Record<string, unknown>;
      raw[`gen_ai.completion.${i}.role`] = str(msg.role);
      raw[`gen_ai.completion.${i}.content`] = str(msg.content);
      raw[`gen_ai.completion.${i}.finish_reason`] = str(c.finish_reason);
    });
    const rawSpan = tracer().startSpan('raw_gen_ai_request', { startTime: Math.min(callStart, endMs), attributes: { ...raw, [`llm.${d.provider}.model`]: d.upstreamModel } }, trace.setSpan(parent, llm));
    rawSpan.end(endMs);
  }
  llm.end(endMs);
}
