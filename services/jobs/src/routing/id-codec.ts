/**
 * LiteLLM's model-routed ids (reference §6.2): `<prefix>` + base64url("litellm:<provider id>;model,<model>")
 * without padding, keeping the OpenAI prefix (`file-`, `batch_`, `ftjob-`). Ids of files and jobs
 * routed by custom_llm_provider stay the provider's own, as in LiteLLM. Either way the jobs tables
 * map the public id to the exact deployment, so a later call goes back to where the object lives.
 */
const PREFIXES = ['file-', 'batch_', 'ftjob-'] as const;

function prefixOf(id: string): string {
  return PREFIXES.find((p) => id.startsWith(p)) ?? '';
}

export function encodeModelId(providerId: string, model: string): string {
  const prefix = prefixOf(providerId);
  return `${prefix}${Buffer.from(`litellm:${providerId};model,${model}`, 'utf8').toString('base64url')}`;
}

/** The provider id and model of an encoded id, or undefined for a plain provider id. */
export function decodeModelId(id: string): { providerId: string; model: string } | undefined {
  const prefix = prefixOf(id);
  let text: string;
  try {
    text = Buffer.from(id.slice(prefix.length), 'base64url').toString('utf8');
  } catch {
    return undefined;
  }
  const m = /^litellm:(.+);model,(.+)$/s.exec(text);
  return m ? { providerId: m[1]!, model: m[2]! } : undefined;
}
