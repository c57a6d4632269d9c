import { CallType, emptyLoggingMetadata, StandardLoggingPayload, StandardLoggingMetadata } from '@tollgate/contracts';
import { Owner } from '../access/ownership';
import { DeploymentCols } from '../common/deployment-cols';
import { BatchCostResult } from '../batches/batch-cost';
import { picoToDollars } from '@tollgate/pricing';

type Row = Owner & DeploymentCols & { id: string; created_at: Date; trace: Record<string, string> };

function metadataOf(row: Row, route: string): StandardLoggingMetadata {
  const m = emptyLoggingMetadata();
  m.user_api_key_hash = row.owner_key_hash || null;
  m.user_api_key_alias = row.owner_key_alias;
  m.user_api_key_user_id = row.owner_user_id;
  m.user_api_key_team_id = row.owner_team_id;
  m.user_api_key_team_alias = row.owner_team_alias;
  m.user_api_key_request_route = route;
  m.session_id = row.id;
  return m;
}

function traceIdOf(trace: Record<string, string>): string | null {
  const tp = trace?.traceparent;
  return typeof tp === 'string' ? (tp.split('-')[1] ?? null) : null;
}

function base(row: Row, id: string, callType: CallType, model: string, startS: number, endS: number, route: string): StandardLoggingPayload {
  return {
    id,
    trace_id: traceIdOf(row.trace),
    call_type: callType,
    stream: false,
    status: 'success',
    response_cost: 0,
    custom_llm_provider: row.custom_llm_provider,
    prompt_tokens: 0,
    completion_tokens: 0,
    total_tokens: 0,
    startTime: startS,
    endTime: endS,
    completionStartTime: endS,
    model,
    model_id: row.deployment_kind === 'model' ? row.deployment_ref : null,
    model_group: row.model_name,
    api_base: null,
    metadata: metadataOf(row, route),
    request_tags: [],
    end_user: null,
    error_str: null,
    error_information: null,
    response_id: row.id,
    messages: null,
    response: null,
    model_parameters: {},
    guardrail_information: [],
    status_fields: { llm_api_status: 'success', guardrail_status: 'not_run' },
  };
}

const seconds = (d: Date): number => d.getTime() / 1000;

/** LiteLLM's batch cost row: `<batch id>_batch_cost`, call_type aretrieve_batch, charged to the creator. */
export function batchCostEvent(row: Row & { endpoint: string; finished_at: Date | null }, r: BatchCostResult): StandardLoggingPayload {
  const end = row.finished_at ?? new Date();
  const model = r.models.length === 1 ? r.models[0]! : r.models.length > 1 ? r.models.join(',') : (row.model_name ?? '');
  const e = base(row, `${row.id}_batch_cost`, 'aretrieve_batch', model, seconds(row.created_at), seconds(end), '/v1/batches');
  const breakdown = {
    input_cost: picoToDollars(r.inputPico),
    output_cost: picoToDollars(r.outputPico),
    total_cost: picoToDollars(r.totalPico),
    tool_usage_cost: 0,
  };
  const usageObject = {
    prompt_tokens: r.usage.prompt_tokens,
    completion_tokens: r.usage.completion_tokens,
    total_tokens: r.usage.total_tokens,
    prompt_tokens_details: { cached_tokens: r.usage.cached_tokens },
    completion_tokens_details: { reasoning_tokens: r.usage.reasoning_tokens },
  };
  e.response_cost = breakdown.total_cost;
  e.prompt_tokens = r.usage.prompt_tokens;
  e.completion_tokens = r.usage.completion_tokens;
  e.total_tokens = r.usage.total_tokens;
  e.metadata.batch_models = r.models;
  e.metadata.batch_successful_requests = r.successful;
  e.metadata.batch_failed_requests = r.failed;
  e.metadata.cost_breakdown = breakdown;
  e.metadata.usage_object = usageObject;
  if (r.unpriced.length > 0) e.metadata.cost_note = `no price known for ${r.unpriced.join(', ')}: their lines cost 0`;
  e.model_parameters = {
    batch_id: row.id,
    endpoint: row.endpoint,
    batch_successful_requests: r.successful,
    batch_failed_requests: r.failed,
    cost_breakdown: breakdown,
    total_cost_pico: r.totalPico.toString(),
  };
  return e;
}

/** Job creation, as LiteLLM logs it (cost 0): `<job id>_create`. */
export function fineTuneCreateEvent(row: Row & { base_model: string; training_file_id: string }): StandardLoggingPayload {
  const now = Date.now() / 1000;
  const e = base(row, `${row.id}_create`, 'acreate_fine_tuning_job', row.base_model, seconds(row.created_at), now, '/v1/fine_tuning/jobs');
  e.metadata.file_id = row.training_file_id;
  e.metadata.finetuning_job_id = row.id;
  e.model_parameters = { training_file: row.training_file_id };
  return e;
}

/** A finished job's training cost: `<job id>_ft_cost`, trained tokens × the training price (0 with a note when unknown). */
export function fineTuneCostEvent(
  row: Row & { base_model: string; training_file_id: string; finished_at: Date | null; fine_tuned_model: string | null },
  trainedTokens: number,
  cost: number,
  note: string | null,
): StandardLoggingPayload {
  const end = row.finished_at ?? new Date();
  const e = base(row, `${row.id}_ft_cost`, 'aretrieve_fine_tuning_job', row.base_model, seconds(row.created_at), seconds(end), '/v1/fine_tuning/jobs');
  e.response_cost = cost;
  e.prompt_tokens = trainedTokens;
  e.total_tokens = trainedTokens;
  e.metadata.file_id = row.training_file_id;
  e.metadata.finetuning_job_id = row.id;
  e.metadata.usage_object = { trained_tokens: trainedTokens };
  if (note) e.metadata.cost_note = note;
  e.model_parameters = { trained_tokens: trainedTokens, fine_tuned_model: row.fine_tuned_model };
  return e;
}
