import { defineRpc } from '../define';
import { GuardrailMode, GuardrailTrace } from './guardrail-trace';

export interface GuardrailsRunRequest {
  mode: GuardrailMode;
  /** the guardrails to run, in order, each with its per-request params (`extra_body`) */
  guardrails: { name: string; params?: Record<string, unknown> }[];
  /** `acompletion`, `aembedding`, … */
  call_type: string;
  /** the user-visible texts to check: message contents in order, or the response text(s) */
  texts: string[];
  /**
   * Which side `texts` come from. Default: `response` for post_call, `request` otherwise. Set it for
   * `logging_only`, which the gateway may call once for the request and once for the response.
   */
  input_type?: 'request' | 'response';
  request_data: { model: string; user?: string | null; metadata?: Record<string, unknown> };
}

export interface GuardrailBlock {
  guardrail_name: string;
  /** `Violated guardrail policy. Guardrail: <name>. <detail>` or, for a check that failed, `Guardrail <name> failed to respond …` */
  message: string;
  /** a policy decision (`guardrail_intervened`) or a check that timed out / crashed without fail_open */
  reason: 'guardrail_intervened' | 'guardrail_failed_to_respond';
}

export interface GuardrailsRunReply {
  action: 'allow' | 'block' | 'modify';
  /** modified texts, same length and order as the request's; present when action is `modify` */
  texts?: string[];
  block?: GuardrailBlock;
  /** placeholder → original, for `output_parse_pii` (apply with `restorePii`) */
  restore?: Record<string, string>;
  /** one per guardrail that ran (or was skipped as not_run) */
  traces: GuardrailTrace[];
}

/**
 * Runs the named guardrails of one mode, sequentially: each sees the previous one's masked texts and
 * the first block stops the run. An unknown guardrail or bad per-request params is a BadRequest
 * error naming it. A check that times out or crashes is traced `not_run` when fail_open, otherwise
 * it blocks with reason `guardrail_failed_to_respond` (logging_only never blocks).
 */
export const GuardrailsRun = defineRpc<GuardrailsRunRequest, GuardrailsRunReply>('guardrails', 'guardrails.run');
