import { SpendLogRow, StandardLoggingPayload } from '@tollgate/contracts';
import { SpendLogEntity, SpendLogInsert } from './spend-log.entity';

/** An event that can never become a row (so it is logged and acked, not retried forever). */
export class InvalidUsageEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidUsageEventError';
  }
}

/** NUMERIC(20,12) holds up to 10^8 dollars; more than that for one call is a broken event. */
const MAX_SPEND = 1e8;

/** Fields a publisher may send beside the contract's (LiteLLM sends them; jobs sends batch / fine-tuning ones). */
interface PayloadExtras {
  requester_ip_address?: unknown;
  session_id?: unknown;
  hidden_params?: unknown;
}

/**
 * Batch and fine-tuning facts (LiteLLM's batch cost row, Tollgate's job ids): kept in `metadata`
 * whether they arrive at the top level of the payload or inside its metadata.
 */
export const JOB_METADATA_FIELDS = [
  'file_id', 'batch_id', 'finetuning_job_id', 'fine_tuning_job_id', 'input_file_id', 'output_file_id', 'training_file',
  'batch_models', 'batch_successful_requests', 'batch_failed_requests', 'cost_breakdown', 'usage_object',
] as const;

/** Postgres text and jsonb refuse U+0000; one such string would otherwise wedge the batch. */
function clean(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replace(/\u0000/g, '') : value;
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k.replace(/\u0000/g, '')] = clean(v);
    return out;
  }
  return value;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(clean(String(value)));
}

function tokens(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.trunc(value) : 0;
}

function unixSeconds(value: unknown, field: string): Date {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidUsageEventError(`${field} must be unix seconds (got ${JSON.stringify(value)})`);
  }
  return new Date(Math.round(value * 1000));
}

/** Money as a decimal string (never a float in SQL); 12 places = pico-dollars. */
export function spendDecimal(cost: unknown): string {
  if (cost === null || cost === undefined) return '0';
  if (typeof cost !== 'number' || !Number.isFinite(cost) || cost < 0 || cost >= MAX_SPEND) {
    throw new InvalidUsageEventError(`response_cost must be a number in [0, ${MAX_SPEND}) (got ${JSON.stringify(cost)})`);
  }
  return cost.toFixed(12);
}

/**
 * StandardLoggingPayload → spend log row, as LiteLLM builds its SpendLogs row: identity from the
 * logging metadata, unix-float-second times as timestamps, status / error / guardrail traces
 * folded into `metadata`, prompts kept only when `store_prompts_in_spend_logs` is on.
 */
export function toSpendLogInsert(payload: StandardLoggingPayload, failed: boolean, storePrompts: boolean): SpendLogInsert {
  if (payload === null || typeof payload !== 'object') throw new InvalidUsageEventError('usage event payload is not an object');
  if (typeof payload.id !== 'string' || payload.id === '') throw new InvalidUsageEventError('usage event has no id');
  const extras = payload as StandardLoggingPayload & PayloadExtras;
  const meta = (payload.metadata && typeof payload.metadata === 'object' ? payload.metadata : {}) as Partial<StandardLoggingPayload['metadata']>;
  const status: 'success' | 'failure' = failed || payload.status === 'failure' ? 'failure' : 'success';
  const start = unixSeconds(payload.startTime, 'startTime');
  const end = typeof payload.endTime === 'number' && payload.endTime > 0 ? unixSeconds(payload.endTime, 'endTime') : start;
  const completionStart =
    typeof payload.completionStartTime === 'number' && payload.completionStartTime > 0
      ? unixSeconds(payload.completionStartTime, 'completionStartTime')
      : null;

  const metadata: Record<string, unknown> = { ...meta, status };
  if (status === 'failure') {
    metadata.error_information = payload.error_information ?? {
      error_code: '',
      error_class: '',
      llm_provider: payload.custom_llm_provider ?? null,
      error_message: payload.error_str ?? '',
    };
    metadata.error_str = payload.error_str ?? payload.error_information?.error_message ?? null;
  }
  // who sent it, with which key: present (null when unknown) on every row, as LiteLLM's metadata is
  metadata.user_api_key_alias = meta.user_api_key_alias ?? null;
  metadata.user_api_key_team_alias = meta.user_api_key_team_alias ?? null;
  if (payload.guardrail_information !== undefined) metadata.guardrail_information = payload.guardrail_information;
  if (payload.status_fields !== undefined) metadata.status_fields = payload.status_fields;
  if (extras.requester_ip_address !== undefined) metadata.requester_ip_address = extras.requester_ip_address;
  const top = payload as unknown as Record<string, unknown>;
  for (const field of JOB_METADATA_FIELDS) {
    if (top[field] !== undefined && top[field] !== null && metadata[field] === undefined) metadata[field] = top[field];
  }
  const metaRecord = meta as Record<string, unknown>;
  const hidden = (extras.hidden_params && typeof extras.hidden_params === 'object' ? extras.hidden_params : {}) as Record<string, unknown>;

  return {
    request_id: text(payload.id),
    call_type: text(payload.call_type),
    api_key: text(meta.user_api_key_hash),
    spend: spendDecimal(payload.response_cost),
    total_tokens: tokens(payload.total_tokens),
    prompt_tokens: tokens(payload.prompt_tokens),
    completion_tokens: tokens(payload.completion_tokens),
    start_time: start,
    end_time: end,
    completion_start_time: completionStart,
    model: text(payload.model),
    model_id: text(payload.model_id),
    // the router's model group, for every call type (aspeech included); older publishers put it in metadata
    model_group: text(payload.model_group || metaRecord.model_group || hidden.model_group),
    api_base: text(payload.api_base),
    custom_llm_provider: text(payload.custom_llm_provider),
    user: text(meta.user_api_key_user_id),
    team_id: text(meta.user_api_key_team_id),
    end_user: text(payload.end_user ?? meta.user_api_key_end_user_id),
    metadata: clean(metadata) as Record<string, unknown>,
    request_tags: Array.isArray(payload.request_tags) ? payload.request_tags.filter((t): t is string => typeof t === 'string').map(text) : [],
    status,
    messages: storePrompts ? clean(payload.messages ?? {}) : {},
    response: storePrompts ? clean(payload.response ?? {}) : {},
    trace_id: payload.trace_id ? text(payload.trace_id) : null,
    session_id: text(extras.session_id ?? metaRecord.session_id ?? top.batch_id ?? metaRecord.batch_id),
    requester_ip_address: text(extras.requester_ip_address ?? metaRecord.requester_ip_address),
  };
}

/** The row as `/spend/logs` returns it (LiteLLM's shape): ISO times, spend and tokens as numbers. */
export function toSpendLogRow(e: SpendLogEntity): SpendLogRow {
  return {
    request_id: e.request_id,
    call_type: e.call_type,
    api_key: e.api_key,
    spend: Number(e.spend),
    total_tokens: Number(e.total_tokens),
    prompt_tokens: Number(e.prompt_tokens),
    completion_tokens: Number(e.completion_tokens),
    startTime: e.start_time.toISOString(),
    endTime: e.end_time.toISOString(),
    completionStartTime: e.completion_start_time ? e.completion_start_time.toISOString() : null,
    model: e.model,
    model_id: e.model_id,
    model_group: e.model_group,
    api_base: e.api_base,
    custom_llm_provider: e.custom_llm_provider,
    user: e.user,
    team_id: e.team_id,
    end_user: e.end_user,
    metadata: e.metadata,
    request_tags: e.request_tags,
    status: e.status,
    messages: e.messages,
    response: e.response,
    trace_id: e.trace_id,
    session_id: e.session_id,
    requester_ip_address: e.requester_ip_address,
  };
}
