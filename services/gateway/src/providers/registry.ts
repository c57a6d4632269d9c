import { anthropicProvider } from './anthropic/anthropic.provider';
import { azureProvider } from './azure/azure.provider';
import { openaiProvider } from './openai/openai.provider';
import { openrouterProvider } from './openrouter/openrouter.provider';
import type { Provider } from './provider';

/**
 * The one place a provider id (the `litellm_params.model` prefix) is resolved. Built-in HTTP
 * providers are listed here; the in-process `mock` provider (providers/mock/) adds itself with
 * `registerProvider` from wherever it is wired, so this file does not depend on it.
 */
const providers = new Map<string, Provider>();

export function registerProvider(provider: Provider): void {
  providers.set(provider.id, provider);
}

export function getProvider(id: string): Provider | undefined {
  return providers.get(id);
}

/** ids of every registered provider, built-in ones first */
export function providerIds(): string[] {
  return [...providers.keys()];
}

export const BUILTIN_PROVIDERS: readonly Provider[] = [openaiProvider, openrouterProvider, azureProvider, anthropicProvider];

for (const provider of BUILTIN_PROVIDERS) registerProvider(provider);
