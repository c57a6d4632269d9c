import { JobsRequest } from '@tollgate/contracts';
import { badRequest } from './errors';

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** A required string body field, or LiteLLM's 400. */
export function requiredString(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (typeof v !== 'string' || v.trim() === '') throw badRequest(`Missing required parameter: '${name}'.`, name);
  return v;
}

export function pathParam(r: JobsRequest, name: string): string {
  const v = r.params?.[name];
  if (!v) throw badRequest(`missing path parameter ${name}`, name);
  return v;
}

/** `limit` (1..100, default 20) and `after` (an id) of a list request. */
export function pageParams(r: JobsRequest): { limit: number; after: string | undefined } {
  const raw = r.query?.limit;
  const n = raw === undefined ? 20 : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw badRequest('limit must be an integer between 1 and 100', 'limit');
  return { limit: n, after: str(r.query?.after) };
}

/** LiteLLM reads the provider from the body, the query or the `custom-llm-provider` header. */
export function routingHints(r: JobsRequest): { model?: string; provider?: string } {
  const model = str(r.headers?.['x-litellm-model']) ?? str(r.query?.model) ?? str(r.body?.model);
  const provider = str(r.body?.custom_llm_provider) ?? str(r.query?.custom_llm_provider) ?? str(r.headers?.['custom-llm-provider']);
  return { ...(model ? { model } : {}), ...(provider ? { provider } : {}) };
}
