import {
  ErrorCode, GuardrailBlock, GuardrailMode, GuardrailsRunReply, GuardrailsRunRequest, GuardrailTrace, isGuardrailMode,
  TollgateError, validateDynamicParams,
} from '@tollgate/contracts';
import type { Logger } from '@tollgate/config';
import { CheckInput, CheckResult, hookFor } from '../checks';
import { ExternalCallError } from '../external/http-client';
import { GuardrailRegistry, RegisteredGuardrail } from '../registry/guardrail-registry';

export function blockMessage(guardrailName: string, detail: string): string {
  return `Violated guardrail policy. Guardrail: ${guardrailName}. ${detail}`;
}

class CheckTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

type Outcome = { ok: true; result: CheckResult } | { ok: false; error: string };

const now = (): number => Date.now() / 1000;

function badRequest(message: string): TollgateError {
  return new TollgateError(ErrorCode.BadRequest, message, { param: 'guardrails' });
}

function validate(req: GuardrailsRunRequest): void {
  if (!req || typeof req !== 'object') throw badRequest('guardrails.run: request must be an object');
  if (!isGuardrailMode(req.mode)) throw badRequest(`guardrails.run: unknown mode ${JSON.stringify(req.mode)}`);
  if (!Array.isArray(req.texts) || !req.texts.every((t) => typeof t === 'string')) throw badRequest('guardrails.run: texts must be a list of strings');
  if (!Array.isArray(req.guardrails)) throw badRequest('guardrails.run: guardrails must be a list');
  if (req.input_type !== undefined && req.input_type !== 'request' && req.input_type !== 'response') {
    throw badRequest('guardrails.run: input_type must be request or response');
  }
}

/**
 * Runs one mode's guardrails in order. Each sees the texts the previous one left (masking chains);
 * the first block stops the run. Every check has a timeout; a check that times out or throws never
 * takes the service down: with fail_open it is traced `not_run`, otherwise it blocks
 * (`guardrail_failed_to_respond`). `during_call` can only block (masks are not applied: the model
 * already has the input); `logging_only` can only mask (it changes the logged copy, never the call).
 */
export class GuardrailRunner {
  constructor(
    private readonly registry: GuardrailRegistry,
    private readonly logger: Logger,
  ) {}

  async run(req: GuardrailsRunRequest): Promise<GuardrailsRunReply> {
    validate(req);
    const selected = this.resolve(req);
    const inputType = req.input_type ?? (req.mode === 'post_call' ? 'response' : 'request');
    const canMask = req.mode !== 'during_call';
    const canBlock = req.mode !== 'logging_only';
    let texts = [...req.texts];
    let modified = false;
    const restore: Record<string, string> = {};
    const traces: GuardrailTrace[] = [];

    for (const { g, params } of selected) {
      const hook = hookFor(g.check, req.mode, inputType);
      const start = now();
      const trace = (status: GuardrailTrace['guardrail_status'], response: unknown, masked: Record<string, number> = {}): void => {
        const end = now();
        traces.push({
          guardrail_name: g.spec.name, guardrail_mode: req.mode, guardrail_status: status, guardrail_response: response,
          guardrail_provider: g.spec.check, start_time: start, end_time: end, duration: end - start, masked_entity_count: masked,
        });
      };
      if (!hook) {
        trace('not_run', `check has no hook for ${req.mode} on the ${inputType}`);
        continue;
      }
      const input: Omit<CheckInput, 'signal'> = {
        guardrailName: g.spec.name, mode: req.mode, inputType, callType: req.call_type, texts, params,
        requestData: req.request_data ?? { model: '' },
      };
      const outcome = await this.invoke(hook, input, g.spec.timeout_ms);

      if (!outcome.ok) {
        this.logger.warn({ guardrail: g.spec.name, check: g.spec.check, mode: req.mode, error: outcome.error, fail_open: g.spec.fail_open }, 'guardrail failed to respond');
        if (g.spec.fail_open) {
          trace('not_run', `failed to respond (${outcome.error}); skipped because fail_open is true`);
          continue;
        }
        trace('guardrail_failed_to_respond', outcome.error);
        if (!canBlock) continue;
        const message = `Guardrail ${g.spec.name} failed to respond (${outcome.error}); the request was blocked because fail_open is not set`;
        return { action: 'block', block: { guardrail_name: g.spec.name, message, reason: 'guardrail_failed_to_respond' }, traces };
      }

      const result = outcome.result;
      if (result.action === 'block') {
        trace('guardrail_intervened', result.response ?? result.detail);
        if (!canBlock) continue;
        const block: GuardrailBlock = { guardrail_name: g.spec.name, message: blockMessage(g.spec.name, result.detail), reason: 'guardrail_intervened' };
        return { action: 'block', block, traces };
      }
      if (result.action === 'modify') {
        trace('success', result.response ?? 'modified', { ...(result.maskedEntityCount ?? {}) });
        if (canMask) {
          modified ||= result.texts.some((t, i) => t !== texts[i]);
          texts = result.texts;
          Object.assign(restore, result.restore ?? {});
        }
        continue;
      }
      trace('success', result.response ?? 'allow');
    }
    const reply: GuardrailsRunReply = { action: modified ? 'modify' : 'allow', traces };
    if (modified) reply.texts = texts;
    if (Object.keys(restore).length > 0) reply.restore = restore;
    return reply;
  }

  /** The guardrails this run asks for that are configured for its mode; unknown names and bad params are 400s. */
  private resolve(req: GuardrailsRunRequest): { g: RegisteredGuardrail; params: Record<string, unknown> }[] {
    const out: { g: RegisteredGuardrail; params: Record<string, unknown> }[] = [];
    for (const item of req.guardrails) {
      const name = typeof item === 'string' ? item : item?.name;
      const g = typeof name === 'string' ? this.registry.get(name) : undefined;
      if (!g) throw badRequest(`Unknown guardrail ${JSON.stringify(name)}: it is not in the config's guardrails list`);
      const params = typeof item === 'object' ? item.params : undefined;
      const problem = validateDynamicParams(g.spec, params);
      if (problem) throw badRequest(problem);
      if (!g.spec.modes.includes(req.mode as GuardrailMode)) continue;
      if (out.some((o) => o.g === g)) continue;
      out.push({ g, params: params ?? {} });
    }
    return out;
  }

  /** Runs a hook under its timeout; whatever it does (throw, hang, return junk) becomes an Outcome. */
  private async invoke(hook: NonNullable<ReturnType<typeof hookFor>>, input: Omit<CheckInput, 'signal'>, timeoutMs: number): Promise<Outcome> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new CheckTimeout(timeoutMs);
        controller.abort(err);
        reject(err);
      }, timeoutMs);
    });
    try {
      const raw = await Promise.race([Promise.resolve().then(() => hook({ ...input, signal: controller.signal })), timeout]);
      return { ok: true, result: checkResult(raw, input.texts.length) };
    } catch (e) {
      const error = e instanceof CheckTimeout || e instanceof ExternalCallError ? e.message : `check error: ${(e as Error)?.message ?? String(e)}`;
      return { ok: false, error };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A custom check may return anything: only a well-formed result counts. */
function checkResult(raw: unknown, textCount: number): CheckResult {
  if (raw === undefined || raw === null) return { action: 'allow' };
  const r = raw as Partial<Record<string, unknown>>;
  switch (r.action) {
    case 'allow':
      return raw as CheckResult;
    case 'block':
      if (typeof r.detail !== 'string' || !r.detail) throw new Error('a block result needs a detail string');
      return raw as CheckResult;
    case 'modify':
      if (!Array.isArray(r.texts) || r.texts.length !== textCount || !r.texts.every((t) => typeof t === 'string')) {
        throw new Error(`a modify result needs ${textCount} texts`);
      }
      return raw as CheckResult;
    default:
      throw new Error(`unknown result action ${JSON.stringify(r.action)}`);
  }
}
