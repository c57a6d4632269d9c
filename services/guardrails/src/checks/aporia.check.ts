import { CHECK_PARAMS } from '@tollgate/contracts';
import { ExternalCallError } from '../external/http-client';
import { CheckFactory, CheckInput, CheckResult, optionalString, requiredString, sameForEveryMode, trimSlash } from './check';

interface AporiaReply {
  action?: unknown;
  revised_prompt?: unknown;
  revised_response?: unknown;
  explain_log?: unknown;
}

/** Replace the last text (the newest message, or the answer) with Aporia's revision. */
function revise(texts: readonly string[], revised: unknown): string[] | null {
  if (typeof revised !== 'string' || texts.length === 0) return null;
  return [...texts.slice(0, -1), revised];
}

/**
 * `aporia`: Aporia's validate API (`POST {api_base}/validate`, `X-APORIA-API-KEY`). The request's
 * messages are validated as the `prompt`, an answer as the `response`. `block` blocks;
 * `modify` / `rephrase` / `override_response` take Aporia's revised text; `passthrough` allows.
 */
export const aporiaCheck: CheckFactory = {
  params: CHECK_PARAMS.aporia,
  create({ litellmParams, http }) {
    const base = trimSlash(requiredString(litellmParams, 'api_base', 'the Aporia project URL'));
    const apiKey = optionalString(litellmParams, 'api_key');
    return sameForEveryMode(this.params, async (input: CheckInput): Promise<CheckResult> => {
      if (input.texts.length === 0) return { action: 'allow' };
      const isRequest = input.inputType === 'request';
      const body = isRequest
        ? { ...input.params, messages: input.texts.map((content) => ({ role: 'user', content })), validation_target: 'prompt' }
        : { ...input.params, messages: [], response: input.texts.join('\n'), validation_target: 'response' };
      const headers: Record<string, string> = apiKey ? { 'x-aporia-api-key': apiKey } : {};
      const reply = (await http.postJson('Aporia', `${base}/validate`, body, { headers, signal: input.signal })) as AporiaReply;
      const action = reply?.action;
      const response = { action, revised_prompt: reply?.revised_prompt ?? null, revised_response: reply?.revised_response ?? null };
      switch (action) {
        case 'passthrough':
          return { action: 'allow', response };
        case 'block': {
          const why = typeof reply.revised_response === 'string' && reply.revised_response ? reply.revised_response : 'blocked by Aporia policy';
          return { action: 'block', detail: `Aporia action: block (${why})`, response };
        }
        case 'modify':
        case 'rephrase':
        case 'override_response': {
          const texts = revise(input.texts, isRequest ? reply.revised_prompt : reply.revised_response);
          return texts ? { action: 'modify', texts, response } : { action: 'allow', response };
        }
        default:
          throw new ExternalCallError(`Aporia answered an unknown action ${JSON.stringify(action)}`);
      }
    });
  },
};
