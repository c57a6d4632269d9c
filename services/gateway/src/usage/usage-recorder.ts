import { emptyLoggingMetadata, StandardLoggingPayload, TollgateError, UsageFailed, UsageRecorded } from '@tollgate/contracts';
import { BatchedEventPublisher } from '@tollgate/messaging/client';
import { CALL_TYPES, CallContext } from '../llm/call-context';

/** Fields of the request that are Tollgate's, never model parameters. */
const NON_MODEL_PARAMS = new Set(['model', 'messages', 'prompt', 'input', 'metadata', 'mock_response', 'guardrails', 'stream', 'tags']);

/**
 * Turns a finished call into LiteLLM's StandardLoggingPayload and hands it to the batched JetStream
 * publisher: nothing here waits on NATS, so the response is never delayed by logging.
 */
export class UsageRecorder {
  constructor(private readonly publisher: BatchedEventPublisher | undefined, private readonly storePrompts: boolean) {}

  record(ctx: CallContext, error?: TollgateError): void {
    if (!this.publisher) return;
    const payload = this.payload(ctx, error);
    this.publisher.publish(error ? UsageFailed : UsageRecorded, payload, payload.id);
  }

  payload(ctx: CallContext, error?: TollgateError): StandardLoggingPayload {
    const endMs = Date.now();
    const d = ctx.deployment;
    const usage = ctx.usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
    const metadata = emptyLoggingMetadata();
    const body = ctx.body ?? {};
    const clientMetadata = isObject(body.metadata) ? body.metadata : null;
    if (ctx.auth) {
      metadata.user_api_key_hash = ctx.auth.keyHash || null;
      metadata.user_api_key_alias = ctx.auth.keyAlias;
      metadata.user_api_key_user_id = ctx.auth.userId;
      metadata.user_api_key_team_id = ctx.auth.teamId;
      metadata.user_api_key_team_alias = ctx.auth.teamAlias;
    }
    metadata.user_api_key_request_route = ctx.route;
    metadata.applied_guardrails = ctx.appliedGuardrails;
    metadata.requester_metadata = clientMetadata;
    metadata.spend_logs_metadata = clientMetadata && isObject(clientMetadata.spend_logs_metadata) ? clientMetadata.spend_logs_metadata : null;
    const tags = Array.isArray(body.tags) ? body.tags : clientMetadata && Array.isArray(clientMetadata.tags) ? clientMetadata.tags : [];
    return {
      id: ctx.callId,
      trace_id: ctx.traceId,
      call_type: CALL_TYPES[ctx.call],
      stream: ctx.stream,
      status: error ? 'failure' : 'success',
      response_cost: error ? 0 : ctx.cost,
      custom_llm_provider: d?.provider ?? null,
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      total_tokens: usage.total_tokens,
      startTime: ctx.startMs / 1000,
      endTime: endMs / 1000,
      completionStartTime: (ctx.firstChunkMs ?? endMs) / 1000,
      model: d?.upstreamModel ?? ctx.model,
      model_id: d?.id ?? null,
      model_group: ctx.model || null,
      api_base: d?.apiBase ?? null,
      metadata,
      request_tags: tags.filter((t): t is string => typeof t === 'string'),
      end_user: typeof body.user === 'string' ? body.user : null,
      error_str: error ? error.message : null,
      error_information: error
        ? { error_code: String(error.status), error_class: error.code, llm_provider: d?.provider ?? null, error_message: error.message }
        : null,
      response_id: isObject(ctx.response) && typeof ctx.response.id === 'string' ? ctx.response.id : null,
      messages: this.storePrompts ? (body.messages ?? body.prompt ?? body.input ?? null) : null,
      response: this.storePrompts ? (ctx.response ?? null) : null,
      model_parameters: modelParameters(body),
      guardrail_information: ctx.guardrailTraces,
      status_fields: {
        llm_api_status: error ? (ctx.upstreamMs > 0 || ctx.usage ? 'failure' : 'not_run') : 'success',
        guardrail_status: guardrailStatus(ctx),
      },
    };
  }
}

/** the first guardrail outcome that is not `not_run`, LiteLLM's status_fields.guardrail_status */
function guardrailStatus(ctx: CallContext): string {
  const t = ctx.guardrailTraces.find((g) => g.guardrail_status !== 'not_run' && g.guardrail_status !== 'success');
  if (t) return t.guardrail_status;
  return ctx.guardrailTraces.some((g) => g.guardrail_status === 'success') ? 'success' : 'not_run';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function modelParameters(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (!NON_MODEL_PARAMS.has(k)) out[k] = v;
  return out;
}
