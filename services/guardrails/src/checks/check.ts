import { GuardrailMode, GuardrailsRunRequest, ParamDecl } from '@tollgate/contracts';
import type { HttpClient } from '../external/http-client';

/** What a check is given for one run. */
export interface CheckInput {
  readonly guardrailName: string;
  readonly mode: GuardrailMode;
  /** `request`: message contents; `response`: the answer's text(s) */
  readonly inputType: 'request' | 'response';
  readonly callType: string;
  /** the texts as the previous guardrail left them */
  readonly texts: readonly string[];
  /** per-request params (the request's `extra_body` for this guardrail), already validated */
  readonly params: Readonly<Record<string, unknown>>;
  readonly requestData: GuardrailsRunRequest['request_data'];
  /** aborted when the check's timeout passes: pass it to every I/O call */
  readonly signal: AbortSignal;
}

/** A check's verdict. `response` is what the trace records (short, no request text, no secrets). */
export type CheckResult =
  | { action: 'allow'; response?: unknown }
  | { action: 'block'; detail: string; response?: unknown }
  | {
      action: 'modify';
      /** same length and order as the input texts */
      texts: string[];
      maskedEntityCount?: Record<string, number>;
      /** placeholder → original (output_parse_pii) */
      restore?: Record<string, string>;
      response?: unknown;
    };

export type Hook = (input: CheckInput) => Promise<CheckResult | void> | CheckResult | void;

/**
 * The one interface every check implements, built-in or an operator's module. A check implements the
 * hooks of the modes it supports: `preCall` (may mask or block the input), `duringCall` (beside the
 * model call: may only block; falls back to `preCall`), `postCall` (the answer: may mask or block).
 * `logging_only` runs `preCall` on request texts and `postCall` on response texts, and only masks.
 */
export interface GuardrailCheck {
  /** declared parameters: documented by /guardrails/list, and what a request may set per call */
  readonly params?: readonly ParamDecl[];
  preCall?: Hook;
  duringCall?: Hook;
  postCall?: Hook;
}

/** What a built-in check is built from. */
export interface CheckContext {
  guardrailName: string;
  /** `litellm_params` with env references resolved; holds secrets: never log it */
  litellmParams: Readonly<Record<string, unknown>>;
  http: HttpClient;
}

/** One built-in check type: its declared params (from libs/contracts) and how to build it from config. */
export interface CheckFactory {
  readonly params: readonly ParamDecl[];
  /** throws an Error naming the bad field when the config is wrong */
  create(ctx: CheckContext): GuardrailCheck;
}

/** The hook a mode runs, or undefined when the check does not support that mode. */
export function hookFor(check: GuardrailCheck, mode: GuardrailMode, inputType: 'request' | 'response'): Hook | undefined {
  switch (mode) {
    case 'pre_call':
      return check.preCall?.bind(check);
    case 'during_call':
      return (check.duringCall ?? check.preCall)?.bind(check);
    case 'post_call':
      return check.postCall?.bind(check);
    case 'logging_only':
      return (inputType === 'request' ? check.preCall : check.postCall)?.bind(check);
  }
}

/** A check that treats every mode alike (most built-ins look at texts the same way either side). */
export function sameForEveryMode(params: readonly ParamDecl[], hook: Hook): GuardrailCheck {
  return { params, preCall: hook, duringCall: hook, postCall: hook };
}

/** Config helpers shared by the checks: each error names the field. */
export function optionalString(p: Readonly<Record<string, unknown>>, field: string): string | undefined {
  const v = p[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new Error(`litellm_params.${field} must be a string`);
  return v;
}

export function requiredString(p: Readonly<Record<string, unknown>>, field: string, why: string): string {
  const v = optionalString(p, field);
  if (v === undefined) throw new Error(`litellm_params.${field} is required (${why})`);
  return v;
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
