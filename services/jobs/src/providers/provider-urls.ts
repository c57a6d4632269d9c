import { ProviderTarget } from '../routing/deployment-resolver';

/**
 * A provider URL for a resource path (`/files`, `/batches/x/cancel`, `/fine_tuning/jobs`…):
 * OpenAI-compatible `{api_base}{path}` (api_base includes `/v1`), Azure
 * `{api_base}/openai{path}?api-version=`. Query values are appended in order.
 */
export function providerUrl(t: ProviderTarget, path: string, query: Record<string, string | undefined> = {}): string {
  const qs = new URLSearchParams();
  if (t.provider === 'azure') qs.set('api-version', t.apiVersion);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, v);
  const base = t.provider === 'azure' ? `${t.apiBase}/openai${path}` : `${t.apiBase}${path}`;
  const q = qs.toString();
  return q ? `${base}?${q}` : base;
}

/** Auth header: `api-key` for Azure, Bearer for OpenAI-compatible providers. */
export function providerAuth(t: ProviderTarget): Record<string, string> {
  if (!t.apiKey) return {};
  return t.provider === 'azure' ? { 'api-key': t.apiKey } : { authorization: `Bearer ${t.apiKey}` };
}
