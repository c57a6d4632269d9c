import { CHECK_PARAMS, ParamDecl } from '@tollgate/contracts';
import { ExternalCallError } from '../external/http-client';
import { CheckContext, CheckFactory, CheckInput, CheckResult, GuardrailCheck, optionalString, sameForEveryMode, trimSlash } from './check';

interface LakeraReply {
  flagged?: unknown;
  breakdown?: { detector_type?: unknown; detected?: unknown }[];
}

/**
 * Lakera Guard v2 (`POST {api_base}/v2/guard`, bearer key): the texts go as messages (user for a
 * request, assistant for an answer); `flagged: true` blocks, naming the detectors that fired.
 * Shared by `lakera_v2` and `lakera_prompt_injection`, which screen through the same API.
 */
export function createLakeraCheck(params: readonly ParamDecl[], { litellmParams, http }: CheckContext): GuardrailCheck {
  const base = trimSlash(optionalString(litellmParams, 'api_base') ?? 'https://api.lakera.ai');
  const apiKey = optionalString(litellmParams, 'api_key');
  const projectId = optionalString(litellmParams, 'project_id');
  const breakdown = litellmParams.breakdown === true;
  return sameForEveryMode(params, async (input: CheckInput): Promise<CheckResult> => {
    if (input.texts.length === 0) return { action: 'allow' };
    const role = input.inputType === 'request' ? 'user' : 'assistant';
    const project = typeof input.params.project_id === 'string' ? input.params.project_id : projectId;
    const body = {
      ...input.params,
      messages: input.texts.map((content) => ({ role, content })),
      ...(project ? { project_id: project } : {}),
      ...(breakdown ? { breakdown: true } : {}),
    };
    const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
    const reply = (await http.postJson('Lakera Guard', `${base}/v2/guard`, body, { headers, signal: input.signal })) as LakeraReply;
    if (typeof reply?.flagged !== 'boolean') throw new ExternalCallError('Lakera Guard reply has no flagged field');
    const detectors = (Array.isArray(reply.breakdown) ? reply.breakdown : [])
      .filter((b) => b?.detected === true && typeof b.detector_type === 'string')
      .map((b) => b.detector_type as string);
    const response = { flagged: reply.flagged, detectors };
    if (!reply.flagged) return { action: 'allow', response };
    const detail = `Flagged by Lakera Guard${detectors.length ? ` (${[...new Set(detectors)].join(', ')})` : ''}`;
    return { action: 'block', detail, response };
  });
}

export const lakeraV2Check: CheckFactory = {
  params: CHECK_PARAMS.lakera_v2,
  create(ctx: CheckContext): GuardrailCheck {
    return createLakeraCheck(this.params, ctx);
  },
};
