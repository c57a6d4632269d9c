/*
 * LiteLLM's map labels entries with provider variants (`vertex_ai-mistral_models`,
 * `bedrock_converse`, `text-completion-openai`, ...) while deployments name the provider a caller
 * routes to (`vertex_ai`, `bedrock`, `openai`). Both are reduced to one family before comparing.
 */

const FAMILY_ALIASES: Readonly<Record<string, string>> = {
  bedrock_converse: 'bedrock',
  bedrock_mantle: 'bedrock',
  cohere_chat: 'cohere',
  azure_text: 'azure',
  vertex_ai_beta: 'vertex_ai',
};

export function providerFamily(provider: string): string {
  const p = provider.trim().toLowerCase();
  const base = p.startsWith('text-completion-') ? p.slice('text-completion-'.length) : p.split('-')[0]!;
  return FAMILY_ALIASES[base] ?? base;
}

export function sameProvider(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && providerFamily(a) === providerFamily(b);
}
