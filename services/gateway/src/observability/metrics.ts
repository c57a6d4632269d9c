import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { FastCounter, FastHistogram } from './fast-metrics';
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
  private readonly requests = new FastCounter('litellm_proxy_total_requests_metric_total', 'Requests to the proxy', [...WHO, 'requested_model', 'status_code', 'route', 'model_id']);
  private readonly failures = new FastCounter('litellm_proxy_failed_requests_metric_total', 'Failed requests', [...WHO, 'requested_model', 'exception_status', 'exception_class', 'route', 'model_id']);
  private readonly totalLatency = new FastHistogram('litellm_request_total_latency_metric', 'Total request latency (seconds)', [...WHO, 'requested_model', 'model', 'model_id'], LATENCY_BUCKETS);
  private readonly llmLatency = new FastHistogram('litellm_llm_api_latency_metric', 'Provider call latency (seconds)', [...WHO, 'requested_model', 'model'], LATENCY_BUCKETS);
  private readonly ttft = new FastHistogram('litellm_llm_api_time_to_first_token_metric', 'Time to first streamed token (seconds)', [...WHO, 'requested_model', 'model'], LATENCY_BUCKETS);
  private readonly overhead = new FastHistogram('litellm_overhead_latency_metric', 'Time spent in the gateway (seconds)', ['model_group', 'api_provider', 'api_base', 'litellm_model_name', 'hashed_api_key', 'api_key_alias'], LATENCY_BUCKETS);
  private readonly spend = new FastCounter('litellm_spend_metric_total', 'Spend (USD)', [...WHO, 'model']);
  private readonly totalTokens = new FastCounter('litellm_total_tokens_metric_total', 'Tokens (input + output)', [...WHO, 'requested_model', 'model']);
  private readonly inputTokens = new FastCounter('litellm_input_tokens_metric_total', 'Input tokens', [...WHO, 'requested_model', 'model']);
  private readonly outputTokens = new FastCounter('litellm_output_tokens_metric_total', 'Output tokens', [...WHO, 'requested_model', 'model']);
  private readonly guardrailRequests = new FastCounter('litellm_guardrail_requests_total', 'Guardrail runs', ['guardrail_name', 'status', 'hook_type']);
  private readonly guardrailErrors = new FastCounter('litellm_guardrail_errors_total', 'Guardrails that failed to respond', ['guardrail_name', 'error_type', 'hook_type']);
  private readonly guardrailLatency = new FastHistogram('litellm_guardrail_latency_seconds', 'Guardrail run latency (seconds)', ['guardrail_name', 'hook_type'], LATENCY_BUCKETS);
  private readonly fast = [this.requests, this.failures, this.totalLatency, this.llmLatency, this.ttft, this.overhead, this.spend, this.totalTokens, this.inputTokens, this.outputTokens, this.guardrailRequests, this.guardrailErrors, this.guardrailLatency];
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

  /** Prometheus text: prom-client's process metrics and gauges, then the hot-path families. */
  async text(): Promise<string> {
    return (await this.registry.metrics()) + this.fast.map((f) => f.render()).join('');
  }

  record(ctx: CallContext, error: TollgateError | undefined, endPerf: number): void {
    const a = ctx.auth;
    const hash = a?.keyHash ?? '';
    const alias = a?.keyAlias ?? '';
    // WHO order: hashed_api_key, api_key_alias, team, team_alias, user, end_user
    const who = [hash, alias, a?.teamId ?? '', a?.teamAlias ?? '', a?.userId ?? '', typeof ctx.body?.user === 'string' ? ctx.body.user : ''];
    const d = ctx.deployment;
    const model = d?.upstreamModel ?? '';
    const modelId = d?.id ?? '';
    const totalS = (endPerf - ctx.startPerf) / 1000;
    this.requests.inc([...who, ctx.model, String(error ? error.status : 200), ctx.route, modelId]);
    for (const t of ctx.guardrailTraces) {
      this.guardrailRequests.inc([t.guardrail_name, t.guardrail_status, t.guardrail_mode]);
      this.guardrailLatency.observe([t.guardrail_name, t.guardrail_mode], t.duration);
      if (t.guardrail_status === 'guardrail_failed_to_respond') this.guardrailErrors.inc([t.guardrail_name, 'failed_to_respond', t.guardrail_mode]);
    }
    this.limits(ctx, hash, alias);
    if (error) {
      this.failures.inc([...who, ctx.model, String(error.status), error.code, ctx.route, modelId]);
      return;
    }
    const byModel = [...who, ctx.model, model];
    this.totalLatency.observe([...byModel, modelId], totalS);
    if (ctx.upstreamMs > 0) this.llmLatency.observe(byModel, ctx.upstreamMs / 1000);
    if (ctx.stream && ctx.firstChunkMs) this.ttft.observe(byModel, (ctx.firstChunkMs - ctx.startMs) / 1000);
    this.overhead.observe([ctx.model, d?.provider ?? '', d?.apiBase ?? '', d?.litellmModel ?? '', hash, alias], Math.max(0, totalS - ctx.upstreamMs / 1000));
    if (ctx.cost > 0) this.spend.inc([...who, model], ctx.cost);
    const u = ctx.usage;
    if (u) {
      if (u.total_tokens) this.totalTokens.inc(byModel, u.total_tokens);
      if (u.prompt_tokens) this.inputTokens.inc(byModel, u.prompt_tokens);
      if (u.completion_tokens) this.outputTokens.inc(byModel, u.completion_tokens);
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
