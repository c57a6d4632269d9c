/** One row of `GET /spend/logs`, in LiteLLM's SpendLogs shape. */
export interface SpendLogRow {
  request_id: string;
  call_type: string;
  api_key: string;
  spend: number;
  total_tokens: number;
  prompt_tokens: number;
  completion_tokens: number;
  startTime: string;
  endTime: string;
  completionStartTime: string | null;
  model: string;
  model_id: string;
  model_group: string;
  api_base: string;
  custom_llm_provider: string;
  user: string;
  team_id: string;
  end_user: string;
  metadata: Record<string, unknown>;
  request_tags: string[];
  status: string;
  messages: unknown;
  response: unknown;
  /** W3C trace id of the call, to find its spans in the tracing backend */
  trace_id?: string | null;
  /** groups related rows: a batch's create and cost rows share the batch id (LiteLLM's session_id) */
  session_id?: string;
  requester_ip_address?: string;
}
