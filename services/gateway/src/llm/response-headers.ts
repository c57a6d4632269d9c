import { CallContext } from './call-context';

/** LiteLLM's x-litellm-* response headers; a header whose value is unknown is omitted. */
export function litellmHeaders(ctx: CallContext, includeCost: boolean): Record<string, string> {
  const totalMs = performance.now() - ctx.startPerf;
  const h: Record<string, string> = {
    'x-litellm-call-id': ctx.callId,
    'x-litellm-response-duration-ms': totalMs.toFixed(3),
    'x-litellm-overhead-duration-ms': Math.max(0, totalMs - ctx.upstreamMs).toFixed(3),
    'x-litellm-version': '0.1.0',
  };
  const d = ctx.deployment;
  if (d) {
    h['x-litellm-model-id'] = d.id;
    h['x-litellm-model-group'] = d.modelName;
    if (d.apiBase) h['x-litellm-model-api-base'] = stripQuery(d.apiBase);
  }
  if (includeCost) h['x-litellm-response-cost'] = String(ctx.cost);
  const key = ctx.auth?.key;
  if (key) {
    if (key.max_budget !== null) h['x-litellm-key-max-budget'] = String(key.max_budget);
    if (key.tpm_limit !== null) h['x-litellm-key-tpm-limit'] = String(key.tpm_limit);
    if (key.rpm_limit !== null) h['x-litellm-key-rpm-limit'] = String(key.rpm_limit);
    // spend as read at admission, before this call (LiteLLM's semantics)
    const spend = ctx.admitted?.spend.key ?? key.spend;
    h['x-litellm-key-spend'] = String(spend);
  }
  if (ctx.admitted) Object.assign(h, ctx.admitted.headers);
  if (ctx.appliedGuardrails.length) h['x-litellm-applied-guardrails'] = ctx.appliedGuardrails.join(',');
  return h;
}

function stripQuery(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
