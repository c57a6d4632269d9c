import { CHECK_PARAMS } from '@tollgate/contracts';
import { ExternalCallError } from '../external/http-client';
import { CheckFactory, CheckInput, CheckResult, optionalString, sameForEveryMode, trimSlash } from './check';

interface ModerationReply {
  results?: { flagged?: unknown; categories?: Record<string, unknown> }[];
}

export function moderationUrl(apiBase: string): string {
  const base = trimSlash(apiBase);
  return /\/v1$/.test(base) ? `${base}/moderations` : `${base}/v1/moderations`;
}

/** `openai_moderation`: `POST /v1/moderations` with every text as one input; any flagged result blocks. */
export const openaiModerationCheck: CheckFactory = {
  params: CHECK_PARAMS.openai_moderation,
  create({ litellmParams, http }) {
    const url = moderationUrl(optionalString(litellmParams, 'api_base') ?? 'https://api.openai.com');
    const apiKey = optionalString(litellmParams, 'api_key');
    const model = optionalString(litellmParams, 'model') ?? 'omni-moderation-latest';
    return sameForEveryMode(this.params, async (input: CheckInput): Promise<CheckResult> => {
      const texts = input.texts.filter((t) => t.length > 0);
      if (texts.length === 0) return { action: 'allow' };
      const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
      const reply = (await http.postJson('OpenAI moderation', url, { model, input: texts }, { headers, signal: input.signal })) as ModerationReply;
      if (!Array.isArray(reply?.results)) throw new ExternalCallError('OpenAI moderation reply has no results');
      const flagged = reply.results.filter((r) => r?.flagged === true);
      const categories = [...new Set(flagged.flatMap((r) => Object.entries(r.categories ?? {}).filter(([, v]) => v === true).map(([k]) => k)))];
      const response = { flagged: flagged.length > 0, categories };
      if (flagged.length === 0) return { action: 'allow', response };
      const detail = `Flagged by OpenAI moderation${categories.length ? `: ${categories.join(', ')}` : ''}`;
      return { action: 'block', detail, response };
    });
  },
};
