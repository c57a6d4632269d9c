import { count, isObject, usageOf } from '../common';
import type { ProviderUsage } from '../provider';

/** OpenAI `usage` (chat, completion or embeddings) → ProviderUsage; missing fields count as 0. */
export function openAIUsage(u: unknown): ProviderUsage {
  if (!isObject(u)) return usageOf(0, 0);
  const prompt = count(u.prompt_tokens);
  const completion = count(u.completion_tokens);
  const promptDetails = u.prompt_tokens_details;
  const completionDetails = u.completion_tokens_details;
  const usage = usageOf(prompt, completion, {
    cached: isObject(promptDetails) ? count(promptDetails.cached_tokens) : 0,
    reasoning: isObject(completionDetails) ? count(completionDetails.reasoning_tokens) : 0,
  });
  const total = count(u.total_tokens);
  if (total > 0) usage.total_tokens = total;
  return usage;
}
