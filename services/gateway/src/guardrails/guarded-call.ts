import { GuardrailMode, GuardrailsRunReply, restorePii, RequestedGuardrail } from '@tollgate/contracts';
import { CallContext, CALL_TYPES } from '../llm/call-context';
import { CallResult } from '../llm/call-result';
import { LlmService } from '../llm/llm.service';
import { LlmRequest } from '../llm/request-validation';
import { blockError, GatewayGuardrails, GuardrailPlan } from './guardrails.service';
import { requestTexts, responseTexts, setResponseTexts, withRequestTexts } from './request-texts';

/**
 * A provider call with its guardrails around it: pre_call before (masking what the provider sees),
 * during_call beside it (its verdict decides whether the answer is returned), post_call on the
 * answer (for streams: on the assembled text, before `[DONE]`). Without a plan it is the bare call.
 */
export class GuardedCall {
  constructor(private readonly llm: LlmService, private readonly guardrails: GatewayGuardrails | undefined) {}

  plan(req: LlmRequest, ctx: CallContext, owner: Parameters<GatewayGuardrails['plan']>[1]): GuardrailPlan | undefined {
    if (!this.guardrails) return undefined;
    const plan = this.guardrails.plan(req.body, owner);
    return plan.any ? plan : undefined;
  }

  /**
   * `gate` (rate limits and budgets) runs in parallel with the pre_call guardrails; both must pass
   * before the provider is called.
   */
  async execute(ctx: CallContext, req: LlmRequest, abort: { readonly signal: AbortSignal; abort(): void }, plan: GuardrailPlan | undefined, gate?: Promise<unknown>): Promise<CallResult> {
    if (!plan) {
      if (gate) await gate;
      return this.llm.execute(ctx, req, abort);
    }
    let restore: Record<string, string> | undefined;
    if (plan.pre_call.length) {
      const [reply] = await Promise.all([this.run(ctx, 'pre_call', plan.pre_call, requestTexts(req.call, req.body), req), gate]);
      if (reply.action === 'modify' && reply.texts) req = { ...req, body: withRequestTexts(req.call, req.body, reply.texts) };
      restore = reply.restore;
    } else if (gate) {
      await gate;
    }
    let result: CallResult;
    if (plan.during_call.length) {
      const during = this.run(ctx, 'during_call', plan.during_call, requestTexts(req.call, req.body), req);
      const answer = this.llm.execute(ctx, req, abort);
      // the verdict is settled first: a block wins over whatever the provider answered
      try {
        await during;
      } catch (e) {
        abort.abort();
        answer.catch(() => undefined);
        throw e;
      }
      result = await answer;
    } else {
      result = await this.llm.execute(ctx, req, abort);
    }
    if (result.kind === 'json') {
      if (plan.post_call.length) {
        const reply = await this.run(ctx, 'post_call', plan.post_call, responseTexts(result.body), req);
        if (reply.action === 'modify' && reply.texts) setResponseTexts(result.body, reply.texts);
      }
      if (restore) setResponseTexts(result.body, responseTexts(result.body).map((t) => restorePii(t, restore)));
      ctx.response = result.body;
    } else if (result.kind === 'stream' && plan.post_call.length) {
      result = { kind: 'stream', payloads: this.checkedStream(ctx, req, plan.post_call, result.payloads) };
    }
    return result;
  }

  /** Runs logging_only guardrails on the copy that will be logged; never blocks, never delays the client. */
  async maskForLogging(ctx: CallContext, plan: GuardrailPlan | undefined): Promise<void> {
    if (!plan?.logging_only.length || !ctx.body) return;
    const req = { call: ctx.call, model: ctx.model } as const;
    try {
      const inReply = await this.run(ctx, 'logging_only', plan.logging_only, requestTexts(ctx.call, ctx.body), { ...req, body: ctx.body } as LlmRequest, 'request');
      if (inReply.texts) ctx.body = withRequestTexts(ctx.call, ctx.body, inReply.texts);
      if (ctx.response && typeof ctx.response === 'object') {
        const copy = JSON.parse(JSON.stringify(ctx.response)) as Record<string, unknown>;
        const outReply = await this.run(ctx, 'logging_only', plan.logging_only, responseTexts(copy), { ...req, body: ctx.body } as LlmRequest, 'response');
        if (outReply.texts) setResponseTexts(copy, outReply.texts);
        ctx.response = copy;
      }
    } catch {
      // a logging-only guardrail that cannot run leaves its not_run trace; the log is still written
    }
  }

  private async *checkedStream(ctx: CallContext, req: LlmRequest, guardrails: RequestedGuardrail[], payloads: AsyncIterable<string>): AsyncGenerator<string> {
    let text = '';
    for await (const payload of payloads) {
      text += deltaText(payload);
      yield payload;
    }
    // chunks already sent cannot be recalled: a post_call verdict on a stream can only end it with
    // an error event instead of [DONE] (LiteLLM treats streamed post_call as audit-only)
    await this.run(ctx, 'post_call', guardrails, [text], req);
  }

  private async run(ctx: CallContext, mode: GuardrailMode, guardrails: RequestedGuardrail[], texts: string[], req: LlmRequest, inputType?: 'request' | 'response'): Promise<GuardrailsRunReply> {
    const user = typeof req.body.user === 'string' ? req.body.user : null;
    const reply = await this.guardrails!.run(mode, guardrails, texts, { call_type: CALL_TYPES[ctx.call], model: ctx.model, user, input_type: inputType });
    for (const t of reply.traces) {
      ctx.guardrailTraces.push(t);
      if (t.guardrail_status !== 'not_run' && !ctx.appliedGuardrails.includes(t.guardrail_name)) ctx.appliedGuardrails.push(t.guardrail_name);
    }
    if (reply.action === 'block') throw blockError(reply);
    return reply;
  }
}

/** the text a streamed chunk adds (chat delta content or completion text) */
function deltaText(payload: string): string {
  try {
    const chunk = JSON.parse(payload) as { choices?: { delta?: { content?: unknown }; text?: unknown }[] };
    const c = chunk.choices?.[0];
    if (!c) return '';
    if (typeof c.delta?.content === 'string') return c.delta.content;
    return typeof c.text === 'string' ? c.text : '';
  } catch {
    return '';
  }
}
