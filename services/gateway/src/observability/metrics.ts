import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { TollgateError } from '@tollgate/contracts';
import { CallContext } from '../llm/call-context';

/** LiteLLM's latency buckets (seconds), so dashboards built for LiteLLM read Tollgate the same way. */
const LATENCY_BUCKETS = [0.005, 0.00625, 0.0125, 0.025, 0.05, 0.1, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5, 10, 15, 20, 25, 30, 60, 120, 180, 240, 300];

const WHO = ['hashed_api_key', 'api_key_alias', 'team', 'team_alias', 'user', 'end_user'] as const;

/**
 * The gateway's Prometheus metrics under LiteLLM's names as Prometheus sees them (counters carry the
 * `_total` suffix that LiteLLM's Python client appends). Updated after the response is written;
 * label values are the key hash and aliases (never a raw key).
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({ name: 'litellm_proxy_total_requests_metric_total', help: 'Requests to the proxy', labelNames: [...WHO, 'requested_model', 'status_code', 'route', 'model_id'], registers: [this.registry] });
  private readonly failures = new Counter({ name: 'litellm_proxy_failed_requests_metric_total', help: 'Failed requests', labelNames: [...WHO, 'requested_model', 'exception_status', 'exception_class', 'route', 'model_id'], registers: [this.registry] });
  private readonly totalLatency = new Histogram({ name: 'litellm_request_total_latency_metric', help: 'Total request latency (seconds)', labelNames: [...WHO, 'requested_model', 'model', 'model_id'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly llmLatency = new Histogram({ name: 'litellm_llm_api_latency_metric', help: 'Provider call latency (seconds)', labelNames: [...WHO, 'requested_model', 'model'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly ttft = new Histogram({ name: 'litellm_llm_api_time_to_first_token_metric', help: 'Time to first streamed token (seconds)', labelNames: [...WHO, 'requested_model', 'model'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly overhead = new Histogram({ name: 'litellm_overhead_latency_metric', help: 'Time spent in the gateway (seconds)', labelNames: ['model_group', 'api_provider', 'api_base', 'litellm_model_name', 'hashed_api_key', 'api_key_alias'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly spend = new Counter({ name: 'litellm_spend_metric_total', help: 'Spend (USD)', labelNames: [...WHO, 'model'], registers: [this.registry] });
  private readonly totalTokens = new Counter({ name: 'litellm_total_tokens_metric_total', help: 'Tokens (input + output)', labelNames: [...WHO, 'requested_model', 'model'], registers: [this.registry] });
  private readonly inputTokens = new Counter({ name: 'litellm_input_tokens_metric_total', help: 'Input tokens', labelNames: [...WHO, 'requested_model', 'model'], registers: [this.registry] });
  private readonly outputTokens = new Counter({ name: 'litellm_output_tokens_metric_total', help: 'Output tokens', labelNames: [...WHO, 'requested_model', 'model'], registers: [this.registry] });
  private readonly guardrailRequests = new Counter({ name: 'litellm_guardrail_requests_total', help: 'Guardrail runs', labelNames: ['guardrail_name', 'status', 'hook_type'], registers: [this.registry] });
  private readonly guardrailErrors = new Counter({ name: 'litellm_guardrail_errors_total', help: 'Guardrails that failed to respond', labelNames: ['guardrail_name', 'error_type', 'hook_type'], registers: [this.registry] });
  private readonly guardrailLatency = new Histogram({ name: 'litellm_guardrail_latency_seconds', help: 'Guardrail run latency (seconds)', labelNames: ['guardrail_name', 'hook_type'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly keyBudgetRemaining = new Gauge({ name: 'litellm_remaining_api_key_budget_metric', help: 'Remaining budget of a key (USD)', labelNames: ['hashed_api_key', 'api_key_alias'], registers: [this.registry] });
  private readonly keyMaxBudget = new Gauge({ name: 'litellm_api_key_max_budget_metric', help: 'Max budget of a key (USD)', labelNames: ['hashed_api_key', 'api_key_alias'], registers: [this.registry] });
  private readonly teamBudgetRemaining = new Gauge({ name: 'litellm_remaining_team_budget_metric', help: 'Remaining budget of a team (USD)', labelNames: ['team', 'team_alias'], registers: [this.registry] });
  private readonly teamMaxBudget = new Gauge({ name: 'litellm_team_max_budget_metric', help: 'Max budget of a team (USD)', labelNames: ['team', 'team_alias'], registers: [this.registry] });
  private readonly remainingRequests = new Gauge({ name: 'litellm_remaining_requests_metric', help: 'Requests left in the current rate-limit window', labelNames: ['model_group', 'api_provider', 'api_base', 'litellm_model_name', 'hashed_api_key', 'api_key_alias'], registers: [this.registry] });
  private readonly remainingTokens = new Gauge({ name: 'litellm_remaining_tokens_metric', help: 'Tokens left in the current rate-limit window', labelNames: ['model_group', 'api_provider', 'api_base', 'litellm_model_name', 'hashed_api_key', 'api_key_alias'], registers: [this.registry] });
  readonly usageDropped = new Counter({ name: 'tollgate_usage_events_dropped_total', help: 'Usage events refused because the publish buffer was full', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  record(ctx: CallContext, error: TollgateError | undefined, endPerf: number): void {
    const a = ctx.auth;
    const who = {
      hashed_api_key: a?.keyHash ?? '',
      api_key_alias: a?.keyAlias ?? '',
      team: a?.teamId ?? '',
      team_alias: a?.teamAlias ?? '',
      user: a?.userId ?? '',
      end_user: typeof ctx.body?.user === 'string' ? ctx.body.user : '',
    };
    const d = ctx.deployment;
    const model = d?.upstreamModel ?? '';
    const totalS = (endPerf - ctx.startPerf) / 1000;
    this.requests.inc({ ...who, requested_model: ctx.model, status_code: String(error ? error.status : 200), route: ctx.route, model_id: d?.id ?? '' });
    for (const t of ctx.guardrailTraces) {
      this.guardrailRequests.inc({ guardrail_name: t.guardrail_name, status: t.guardrail_status, hook_type: t.guardrail_mode });
      this.guardrailLatency.observe({ guardrail_name: t.guardrail_name, hook_type: t.guardrail_mode }, t.duration);
      if (t.guardrail_status === 'guardrail_failed_to_respond') this.guardrailErrors.inc({ guardrail_name: t.guardrail_name, error_type: 'failed_to_respond', hook_type: t.guardrail_mode });
    }
    this.limits(ctx, who.hashed_api_key, who.api_key_alias);
    if (error) {
      this.failures.inc({ ...who, requested_model: ctx.model, exception_status: String(error.status), exception_class: error.code, route: ctx.route, model_id: d?.id ?? '' });
      return;
    }
    this.totalLatency.observe({ ...who, requested_model: ctx.model, model, model_id: d?.id ?? '' }, totalS);
    if (ctx.upstreamMs > 0) this.llmLatency.observe({ ...who, requested_model: ctx.model, model }, ctx.upstreamMs / 1000);
    if (ctx.stream && ctx.firstChunkMs) this.ttft.observe({ ...who, requested_model: ctx.model, model }, (ctx.firstChunkMs - ctx.startMs) / 1000);
    this.overhead.observe(
      { model_group: ctx.model, api_provider: d?.provider ?? '', api_base: d?.apiBase ?? '', litellm_model_name: d?.litellmModel ?? '', hashed_api_key: who.hashed_api_key, api_key_alias: who.api_key_alias },
      Math.max(0, totalS - ctx.upstreamMs / 1000),
    );
    if (ctx.cost > 0) this.spend.inc({ ...who, model }, ctx.cost);
    const u = ctx.usage;
    if (u) {
      const labels = { ...who, requested_model: ctx.model, model };
      if (u.total_tokens) this.totalTokens.inc(labels, u.total_tokens);
      if (u.prompt_tokens) this.inputTokens.inc(labels, u.prompt_tokens);
      if (u.completion_tokens) this.outputTokens.inc(labels, u.completion_tokens);
    }
  }

  /** budget and rate-limit gauges of a virtual key, from what admission read (no extra call) */
  private limits(ctx: CallContext, hash: string, alias: string): void {
    const key = ctx.auth?.key;
    // only an admitted request carries a spend read from Redis just now; the cached key's own
    // spend figure is stale and would overwrite a fresher gauge
    if (!key || !ctx.admitted) return;
    const spent = ctx.cost;
    if (key.max_budget !== null) {
      const spend = (ctx.admitted?.spend.key ?? key.spend) + spent;
      this.keyMaxBudget.set({ hashed_api_key: hash, api_key_alias: alias }, key.max_budget);
      this.keyBudgetRemaining.set({ hashed_api_key: hash, api_key_alias: alias }, key.max_budget - spend);
    }
    const team = key.team;
    if (team && team.max_budget !== null) {
      const spend = (ctx.admitted?.spend.team ?? team.spend) + spent;
      this.teamMaxBudget.set({ team: team.team_id, team_alias: team.team_alias ?? '' }, team.max_budget);
      this.teamBudgetRemaining.set({ team: team.team_id, team_alias: team.team_alias ?? '' }, team.max_budget - spend);
    }
    const h = ctx.admitted?.headers;
    const d = ctx.deployment;
    if (h && d) {
      const labels = { model_group: ctx.model, api_provider: d.provider, api_base: d.apiBase ?? '', litellm_model_name: d.litellmModel, hashed_api_key: hash, api_key_alias: alias };
      const req = Number(h['x-ratelimit-remaining-requests']);
      const tok = Number(h['x-ratelimit-remaining-tokens']);
      if (Number.isFinite(req)) this.remainingRequests.set(labels, req);
      if (Number.isFinite(tok)) this.remainingTokens.set(labels, tok);
    }
  }
}
