import { configError, trimTrailingSlashes } from '../common';
import { createOpenAICompatibleProvider } from '../openai/openai.provider';
import { OPENAI_PATHS } from '../openai/openai.request';
import type { Provider, ProviderCall, UpstreamTarget } from '../provider';

/**
 * `azure/<deployment>`: Azure OpenAI. Same bodies, answers and streams as OpenAI; differs in the URL
 * (`{api_base}/openai/deployments/{deployment}/{path}?api-version={api_version}`) and the auth
 * header (`api-key`, or `Authorization: Bearer` with `azure_ad_token`).
 */
export const azureProvider: Provider = createOpenAICompatibleProvider({
  id: 'azure',
  label: 'Azure OpenAI',
  calls: ['chat', 'completion', 'embedding', 'speech'],
  url: azureUrl,
  auth: azureAuth,
});

export function azureUrl(call: ProviderCall, target: UpstreamTarget): string {
  const apiVersion = target.apiVersion ?? stringParam(target, 'api_version');
  if (!apiVersion) {
    throw configError(`azure deployment "${target.model}" has no api_version: set litellm_params.api_version (e.g. 2024-10-21)`);
  }
  const apiBase = target.apiBase ?? stringParam(target, 'api_base');
  if (!apiBase) {
    throw configError(`azure deployment "${target.model}" has no api_base: set litellm_params.api_base (https://<resource>.openai.azure.com)`);
  }
  const deployment = encodeURIComponent(target.model);
  return `${trimTrailingSlashes(apiBase)}/openai/deployments/${deployment}${OPENAI_PATHS[call]}?api-version=${encodeURIComponent(apiVersion)}`;
}

function azureAuth(target: UpstreamTarget): Record<string, string> {
  if (target.apiKey) return { 'api-key': target.apiKey };
  const adToken = stringParam(target, 'azure_ad_token');
  return adToken ? { authorization: `Bearer ${adToken}` } : {};
}

function stringParam(target: UpstreamTarget, name: string): string | undefined {
  const v = target.params[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
