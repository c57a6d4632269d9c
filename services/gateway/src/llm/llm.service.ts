import { ErrorCode, TollgateError } from '@tollgate/contracts';
import { Deployment } from '@tollgate/config';
import { UpstreamHttpError } from '../errors/upstream-error';
import { estimateTokens, usageOf } from '../providers/mock/mock-responses';
import { Provider, ProviderCall, UpstreamTarget } from '../providers/provider';
import { getProvider } from '../providers/registry';
import { DeploymentResolver } from '../routing/deployment-resolver';
import { SseParser } from '../upstream/sse';
import { UpstreamClient, UpstreamResponse } from '../upstream/upstream.client';
import { CostService } from '../usage/cost.service';
import { CallContext } from './call-context';
import { CallResult } from './call-result';
import { localAnswer } from './local-answers';
import { LlmRequest, upstreamBody } from './request-validation';

/** Picks the deployment, calls it (or answers locally), and fills usage and cost into the context. */
export class LlmService {
  constructor(
    private readonly deployments: DeploymentResolver,
    private readonly upstream: UpstreamClient,
    private readonly costs: CostService,
  ) {}

  /** `abort.signal` is read only for streams: a client that leaves mid-stream stops the upstream */
  async execute(ctx: CallContext, req: LlmRequest, abort: { readonly signal: AbortSignal }): Promise<CallResult> {
    const d = this.deployments.pick(req.model, ctx.auth?.key);
    ctx.deployment = d;
    if (req.call === 'speech') ctx.characters = String(req.body.input).length;
    if (req.mockResponse !== undefined || d.provider === 'mock') {
      const { result, usage } = localAnswer(req, d);
      this.charge(ctx, d, usage);
      return result;
    }
    const provider = providerFor(d, req.call);
    const spec = provider.buildRequest(req.call, targetOf(d), upstreamBody(req.body, d.upstreamModel), req.stream);
    const t0 = performance.now();
    const res = await this.upstream.send(spec, upstreamName(d), d.timeoutMs, req.stream ? abort.signal : undefined);
    if (res.status >= 400) {
      const text = await res.body.text().catch(() => '');
      ctx.upstreamMs = performance.now() - t0;
      throw new UpstreamHttpError(res.status, provider.mapError(res.status, parseJson(text)), d.provider, req.model);
    }
    if (req.call === 'speech') {
      const data = Buffer.from(await res.body.arrayBuffer());
      ctx.upstreamMs = performance.now() - t0;
      this.charge(ctx, d, usageOf(0, 0));
      const type = res.headers['content-type'];
      return { kind: 'binary', contentType: (Array.isArray(type) ? type[0] : type) ?? 'audio/mpeg', data };
    }
    if (!req.stream) {
      const text = await res.body.text();
      ctx.upstreamMs = performance.now() - t0;
      const json = parseJson(text);
      if (json === undefined) throw new TollgateError(ErrorCode.UpstreamError, `upstream ${d.provider} returned a body that is not JSON`, { status: 502 });
      const mapped = provider.mapResponse(req.call, json, d.upstreamModel);
      ctx.response = mapped.body;
      this.charge(ctx, d, mapped.usage);
      return { kind: 'json', body: mapped.body };
    }
    return { kind: 'stream', payloads: this.streamPayloads(ctx, req, d, provider, res, t0) };
  }

  private async *streamPayloads(ctx: CallContext, req: LlmRequest, d: Deployment, provider: Provider, res: UpstreamResponse, t0: number): AsyncGenerator<string> {
    const translator = provider.createStreamTranslator(req.call, { responseModel: d.upstreamModel, includeUsage: req.includeUsage });
    const parser = new SseParser();
    try {
      for await (const chunk of res.body) {
        for (const event of parser.push(chunk as Buffer)) {
          if (event.data === '[DONE]') continue;
          const out = translator.onEvent(event);
          for (const payload of out) yield payload;
          const err = translator.error();
          if (err) throw new UpstreamHttpError(500, err, d.provider, req.model);
        }
      }
      for (const event of parser.end()) {
        if (event.data === '[DONE]') continue;
        for (const payload of translator.onEvent(event)) yield payload;
      }
      for (const payload of translator.finish()) yield payload;
    } finally {
      ctx.upstreamMs = performance.now() - t0;
      const usage = translator.usage() ?? usageOf(ctx.usage?.prompt_tokens ?? 0, estimateTokens(translator.text()));
      this.charge(ctx, d, usage);
    }
  }

  private charge(ctx: CallContext, d: Deployment, usage: CallContext['usage']): void {
    ctx.usage = usage;
    ctx.cost = this.costs.cost(d, ctx.call, usage, ctx.characters);
  }
}

function providerFor(d: Deployment, call: ProviderCall): Provider {
  const provider = getProvider(d.provider);
  if (!provider) {
    throw new TollgateError(ErrorCode.Internal, `deployment ${d.id} uses provider "${d.provider}", which Tollgate does not support`, { status: 500 });
  }
  if (!provider.calls.has(call)) {
    throw new TollgateError(ErrorCode.BadRequest, `model ${d.modelName} (provider ${d.provider}) does not support ${call} requests`, { status: 400, param: 'model' });
  }
  return provider;
}

function targetOf(d: Deployment): UpstreamTarget {
  return { provider: d.provider, model: d.upstreamModel, apiBase: d.apiBase, apiKey: d.apiKey, apiVersion: d.apiVersion, params: d.params };
}

/** How an upstream is named in errors: provider and host, never a key or a query string. */
function upstreamName(d: Deployment): string {
  if (!d.apiBase) return d.provider;
  try {
    return `${d.provider} (${new URL(d.apiBase).host})`;
  } catch {
    return d.provider;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
