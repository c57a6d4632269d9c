import { defineRpc } from '../define';
import { GuardrailMode } from './guardrail-trace';

export interface GuardrailListItem {
  guardrail_name: string;
  litellm_params: { guardrail: string; mode: GuardrailMode | GuardrailMode[]; default_on: boolean };
  /** the config's `guardrail_info`, else `{params}` generated from the check's declared params */
  guardrail_info: Record<string, unknown>;
}

/** The `GET /guardrails/list` body. Never carries an api key or other secret param. */
export interface GuardrailsListReply {
  guardrails: GuardrailListItem[];
}

export const GuardrailsList = defineRpc<Record<string, never>, GuardrailsListReply>('guardrails', 'guardrails.list');
