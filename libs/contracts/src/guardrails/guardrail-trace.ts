/**
 * A guardrail run as LiteLLM logs it (StandardLoggingGuardrailInformation, newer shape): one entry
 * per guardrail run, carried in the usage event's `guardrail_information` list.
 */
export const GUARDRAIL_MODES = ['pre_call', 'during_call', 'post_call', 'logging_only'] as const;
export type GuardrailMode = (typeof GUARDRAIL_MODES)[number];

export type GuardrailStatus = 'success' | 'guardrail_intervened' | 'guardrail_failed_to_respond' | 'not_run';

export interface GuardrailTrace {
  guardrail_name: string;
  /** the mode this run happened in */
  guardrail_mode: GuardrailMode;
  guardrail_status: GuardrailStatus;
  /** the check's verdict (a short string or the vendor's sanitized reply); never request text or secrets */
  guardrail_response: unknown;
  /** the check type (`litellm_params.guardrail`), e.g. `presidio` */
  guardrail_provider?: string;
  /** unix seconds (float) */
  start_time: number;
  end_time: number;
  /** seconds (float) */
  duration: number;
  /** entities masked by this run, `{EMAIL_ADDRESS: 2}`; empty when nothing was masked */
  masked_entity_count: Record<string, number>;
}

export function isGuardrailMode(value: unknown): value is GuardrailMode {
  return typeof value === 'string' && (GUARDRAIL_MODES as readonly string[]).includes(value);
}
