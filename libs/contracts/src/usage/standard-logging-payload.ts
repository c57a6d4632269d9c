import type { GuardrailTrace } from '../guardrails/guardrail-trace';

/** LiteLLM's StandardLoggingPayload, the shape every usage event carries (reference §4.1). */
export type CallType = 'acompletion' | 'atext_completion' | 'aembedding' | 'aspeech' | 'aretrieve_batch' | 'acreate_fine_tuning_job' | 'aretrieve_fine_tuning_job';

export interface StandardLoggingMetadata {
  user_api_key_hash: string | null;
  user_api_key_alias: string | null;
  user_api_key_user_id: string | null;
  user_api_key_team_id: string | null;
  user_api_key_team_alias: string | null;
  user_api_key_org_id: string | null;
  user_api_key_end_user_id: string | null;
  user_api_key_request_route: string | null;
  spend_logs_metadata: Record<string, unknown> | null;
  requester_metadata: Record<string, unknown> | null;
  applied_guardrails: string[];
  // ── batch and fine-tuning events (jobs service); absent on ordinary calls ──
  /** the batch / fine-tuning job id the event belongs to (LiteLLM's session_id for batch cost rows) */
  session_id?: string;
  /** models seen in a batch's output (LiteLLM's batch cost metadata) */
  batch_models?: string[];
  batch_successful_requests?: number;
  batch_failed_requests?: number;
  cost_breakdown?: { input_cost: number; output_cost: number; total_cost: number; tool_usage_cost: number };
  usage_object?: Record<string, unknown>;
  /** the file and fine-tuning job of an acreate_fine_tuning_job / aretrieve_fine_tuning_job event */
  file_id?: string;
  finetuning_job_id?: string;
  /** why a cost is 0 (e.g. no training price known) */
  cost_note?: string;
}

export interface ErrorInformation {
  error_code: string;
  error_class: string;
  llm_provider: string | null;
  error_message: string;
}

export interface StandardLoggingPayload {
  /** the call id (x-litellm-call-id); also the Nats-Msg-Id and the spend log's request_id */
  id: string;
  trace_id: string | null;
  call_type: CallType;
  stream: boolean;
  status: 'success' | 'failure';
  response_cost: number;
  custom_llm_provider: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** unix seconds (float) */
  startTime: number;
  endTime: number;
  completionStartTime: number;
  model: string;
  model_id: string | null;
  model_group: string | null;
  api_base: string | null;
  metadata: StandardLoggingMetadata;
  request_tags: string[];
  end_user: string | null;
  error_str: string | null;
  error_information: ErrorInformation | null;
  response_id: string | null;
  messages: unknown | null;
  response: unknown | null;
  model_parameters: Record<string, unknown>;
  /** one entry per guardrail run (LiteLLM's newer list form) */
  guardrail_information: GuardrailTrace[];
  /** LiteLLM's status_fields: the provider call's and the guardrails' outcome */
  status_fields: { llm_api_status: 'success' | 'failure' | 'not_run'; guardrail_status: string };
}

export function emptyLoggingMetadata(): StandardLoggingMetadata {
  return {
    user_api_key_hash: null,
    user_api_key_alias: null,
    user_api_key_user_id: null,
    user_api_key_team_id: null,
    user_api_key_team_alias: null,
    user_api_key_org_id: null,
    user_api_key_end_user_id: null,
    user_api_key_request_route: null,
    spend_logs_metadata: null,
    requester_metadata: null,
    applied_guardrails: [],
  };
}
