import {
  ErrorCode, GuardrailMode, GuardrailSpec, GuardrailsRun, GuardrailsRunReply, GuardrailTrace, normalizeGuardrailConfig,
  parseRequestedGuardrails, RequestedGuardrail, TollgateError, validateDynamicParams,
} from '@tollgate/contracts';
import { Bus } from '@tollgate/messaging/client';

/** Which guardrails of each mode one request runs, with their per-request params. */
export interface GuardrailPlan {
  pre_call: RequestedGuardrail[];
  during_call: RequestedGuardrail[];
  post_call: RequestedGuardrail[];
  logging_only: RequestedGuardrail[];
  /** false when no guardrail applies: then the request never calls the guardrails service */
  any: boolean;
}

/** Guardrails a key or team lists for every one of its requests. */
export interface GuardrailOwner {
  keyGuardrails?: readonly string[] | null;
  teamGuardrails?: readonly string[] | null;
}

const EMPTY_PLAN: GuardrailPlan = Object.freeze({ pre_call: [], during_call: [], post_call: [], logging_only: [], any: false });

function badGuardrails(message: string): TollgateError {
  return new TollgateError(ErrorCode.BadRequest, message, { status: 400, param: 'guardrails' });
}

/**
 * The gateway's half of guardrails: selection is local (from the same config the guardrails service
 * reads), so a request with no applicable guardrail costs nothing; running is one NATS request per
 * mode that has guardrails.
 */
export class GatewayGuardrails {
  private readonly specs = new Map<string, GuardrailSpec>();
  private readonly defaults: GuardrailSpec[];

  constructor(configGuardrails: readonly unknown[], private readonly bus: Bus) {
    for (const s of normalizeGuardrailConfig(configGuardrails)) this.specs.set(s.name, s);
    this.defaults = [...this.specs.values()].filter((s) => s.default_on);
  }

  get configured(): boolean {
    return this.specs.size > 0;
  }

  /** Throws 400 naming an unknown guardrail or a bad per-request parameter. */
  plan(body: Record<string, unknown>, owner: GuardrailOwner = {}): GuardrailPlan {
    const fromBody = body.guardrails ?? (isRecord(body.metadata) ? body.metadata.guardrails : undefined);
    if (fromBody === undefined && this.defaults.length === 0 && !owner.keyGuardrails?.length && !owner.teamGuardrails?.length) return EMPTY_PLAN;
    const requested = parseRequestedGuardrails(fromBody);
    if (typeof requested === 'string') throw badGuardrails(requested);
    const chosen = new Map<string, RequestedGuardrail>();
    for (const s of this.defaults) chosen.set(s.name, { name: s.name });
    for (const name of [...(owner.teamGuardrails ?? []), ...(owner.keyGuardrails ?? [])]) if (this.specs.has(name)) chosen.set(name, { name });
    for (const r of requested) {
      const spec = this.specs.get(r.name);
      if (!spec) {
        throw badGuardrails(`Guardrail "${r.name}" does not exist. Configured guardrails: ${[...this.specs.keys()].join(', ') || 'none'}`);
      }
      const problem = validateDynamicParams(spec, r.params);
      if (problem) throw badGuardrails(problem);
      chosen.set(r.name, r);
    }
    const plan: GuardrailPlan = { pre_call: [], during_call: [], post_call: [], logging_only: [], any: chosen.size > 0 };
    for (const g of chosen.values()) for (const mode of this.specs.get(g.name)!.modes) plan[mode].push(g);
    return plan;
  }

  /**
   * Runs one mode. When the guardrails service cannot be reached, fail_open guardrails are traced
   * `not_run` and skipped; any other makes the request fail with a 503 naming it.
   */
  async run(
    mode: GuardrailMode,
    guardrails: RequestedGuardrail[],
    texts: string[],
    req: { call_type: string; model: string; user?: string | null; input_type?: 'request' | 'response' },
  ): Promise<GuardrailsRunReply> {
    const budgetMs = guardrails.reduce((s, g) => s + (this.specs.get(g.name)?.timeout_ms ?? 5000), 0) + 1000;
    try {
      return await this.bus.request(
        GuardrailsRun,
        { mode, guardrails, call_type: req.call_type, texts, input_type: req.input_type, request_data: { model: req.model, user: req.user ?? null } },
        { timeoutMs: budgetMs },
      );
    } catch (e) {
      if (!(e instanceof TollgateError) || e.code !== ErrorCode.DependencyUnavailable) throw e;
      return this.unreachable(mode, guardrails, e);
    }
  }

  private unreachable(mode: GuardrailMode, guardrails: RequestedGuardrail[], cause: TollgateError): GuardrailsRunReply {
    const now = Date.now() / 1000;
    const traces: GuardrailTrace[] = guardrails.map((g) => {
      const spec = this.specs.get(g.name)!;
      return {
        guardrail_name: g.name,
        guardrail_mode: mode,
        guardrail_status: spec.fail_open ? 'not_run' : 'guardrail_failed_to_respond',
        guardrail_response: cause.message,
        guardrail_provider: spec.check,
        start_time: now,
        end_time: now,
        duration: 0,
        masked_entity_count: {},
      };
    });
    const blocking = guardrails.find((g) => !this.specs.get(g.name)!.fail_open);
    if (!blocking || mode === 'logging_only') return { action: 'allow', traces };
    return {
      action: 'block',
      block: { guardrail_name: blocking.name, reason: 'guardrail_failed_to_respond', message: `Guardrail ${blocking.name} could not run (${cause.message}) and is not fail_open` },
      traces,
    };
  }
}

/** A block as the client sees it: 400 for a policy decision, 503 for a check that could not run. */
export function blockError(reply: GuardrailsRunReply): TollgateError {
  const b = reply.block!;
  if (b.reason === 'guardrail_failed_to_respond') {
    return new TollgateError(ErrorCode.DependencyUnavailable, b.message, { status: 503 });
  }
  return new TollgateError(ErrorCode.BadRequest, b.message, { status: 400, param: null });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
