import { CHECK_PARAMS } from '@tollgate/contracts';
import { ExternalCallError } from '../external/http-client';
import { CheckFactory, CheckInput, CheckResult, optionalString, requiredString, sameForEveryMode } from './check';

interface Verdict {
  action?: unknown;
  blocked_reason?: unknown;
  texts?: unknown;
}

function stringRecord(v: unknown, field: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v) || !Object.values(v).every((x) => typeof x === 'string')) {
    throw new Error(`litellm_params.${field} must map names to strings`);
  }
  return v as Record<string, string>;
}

/**
 * `generic_guardrail_api`: Tollgate's own JSON contract (docs/guardrails.md). POST to `api_base`
 * `{texts, input_type, guardrail_name, params, request_data}`; the verdict is
 * `{action: BLOCKED | NONE | GUARDRAIL_INTERVENED, blocked_reason?, texts?}`.
 */
export const genericGuardrailApiCheck: CheckFactory = {
  params: CHECK_PARAMS.generic_guardrail_api,
  create({ guardrailName, litellmParams, http }) {
    const url = requiredString(litellmParams, 'api_base', 'the URL that receives the POST');
    const apiKey = optionalString(litellmParams, 'api_key');
    const extraHeaders = stringRecord(litellmParams.headers, 'headers');
    const fixed = litellmParams.additional_provider_specific_params ?? {};
    if (typeof fixed !== 'object' || Array.isArray(fixed)) throw new Error('litellm_params.additional_provider_specific_params must be an object');
    return sameForEveryMode(this.params, async (input: CheckInput): Promise<CheckResult> => {
      const body = {
        texts: input.texts,
        input_type: input.inputType,
        guardrail_name: guardrailName,
        params: { ...(fixed as Record<string, unknown>), ...input.params },
        request_data: {
          model: input.requestData.model,
          user: input.requestData.user ?? null,
          metadata: input.requestData.metadata ?? {},
        },
      };
      const headers: Record<string, string> = { ...extraHeaders, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) };
      const v = (await http.postJson('guardrail API', url, body, { headers, signal: input.signal })) as Verdict;
      const response = { action: v?.action, blocked_reason: v?.blocked_reason ?? null };
      switch (v?.action) {
        case 'NONE':
          return { action: 'allow', response };
        case 'BLOCKED': {
          const reason = typeof v.blocked_reason === 'string' && v.blocked_reason ? v.blocked_reason : 'blocked by guardrail API';
          return { action: 'block', detail: reason, response };
        }
        case 'GUARDRAIL_INTERVENED': {
          if (v.texts === undefined || v.texts === null) return { action: 'allow', response };
          const texts = v.texts;
          if (!Array.isArray(texts) || texts.length !== input.texts.length || !texts.every((t) => typeof t === 'string')) {
            throw new ExternalCallError(`guardrail API returned texts that do not match the ${input.texts.length} sent`);
          }
          return { action: 'modify', texts: texts as string[], response };
        }
        default:
          throw new ExternalCallError(`guardrail API answered an unknown action ${JSON.stringify(v?.action)}`);
      }
    });
  },
};
