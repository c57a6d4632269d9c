import { BuiltinCheckType, CHECK_PARAMS, isBuiltinCheck, ParamDecl, ParamType } from './check-params';
import { GUARDRAIL_MODES, GuardrailMode, isGuardrailMode } from './guardrail-trace';

/**
 * One configured guardrail, normalized and free of secrets: what the gateway needs to decide which
 * guardrails a request runs (and with which per-request params) without asking the guardrails service.
 */
export interface GuardrailSpec {
  name: string;
  /** `litellm_params.guardrail`: a built-in check type or a custom module `./file.js:ExportName` */
  check: string;
  custom: boolean;
  modes: GuardrailMode[];
  default_on: boolean;
  fail_open: boolean;
  /** per-check timeout (`litellm_params.timeout` seconds, default 5) */
  timeout_ms: number;
  /**
   * Params a request may pass for this guardrail: the check's dynamic params plus any declared in the
   * config's `guardrail_info.params`. `null` for a custom module without `guardrail_info`: its own
   * declaration lives in the module, so the guardrails service validates them.
   */
  dynamic_params: ParamDecl[] | null;
}

export const DEFAULT_GUARDRAIL_TIMEOUT_MS = 5000;

/** `./path/to/module.js:ExportName` (relative to the config file) or `/abs/path.js:ExportName` */
const CUSTOM_CHECK = /^(\.{1,2}\/|\/)[^:]+:[A-Za-z_$][\w$]*$/;

export function parseCustomCheck(check: string): { path: string; exportName: string } | null {
  if (!CUSTOM_CHECK.test(check)) return null;
  const i = check.lastIndexOf(':');
  return { path: check.slice(0, i), exportName: check.slice(i + 1) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TYPE_ALIASES: Record<string, ParamType> = {
  float: 'float', number: 'float', double: 'float',
  int: 'integer', integer: 'integer',
  bool: 'boolean', boolean: 'boolean',
  str: 'string', string: 'string',
  list: 'array', array: 'array',
  dict: 'object', object: 'object',
};

/** `guardrail_info.params` as written by an operator (LiteLLM's free-form shape) → dynamic param decls. */
function declaredInInfo(info: unknown, where: string): ParamDecl[] | null {
  if (!isRecord(info) || info.params === undefined) return null;
  if (!Array.isArray(info.params)) throw new Error(`${where}.guardrail_info.params must be a list`);
  return info.params.map((p, i) => {
    if (!isRecord(p) || typeof p.name !== 'string' || !p.name) throw new Error(`${where}.guardrail_info.params[${i}] needs a name`);
    const type = typeof p.type === 'string' ? TYPE_ALIASES[p.type.toLowerCase()] ?? 'any' : 'any';
    return { name: p.name, type, description: typeof p.description === 'string' ? p.description : '', dynamic: true };
  });
}

function parseModes(mode: unknown, where: string): GuardrailMode[] {
  const list = Array.isArray(mode) ? mode : [mode];
  if (mode === undefined || list.length === 0) {
    throw new Error(`${where}.litellm_params.mode is required (one of ${GUARDRAIL_MODES.join(', ')}, or a list)`);
  }
  const out: GuardrailMode[] = [];
  for (const m of list) {
    const v = typeof m === 'string' ? m.toLowerCase() : m;
    if (!isGuardrailMode(v)) {
      throw new Error(`${where}.litellm_params.mode: unsupported mode ${JSON.stringify(m)} (supported: ${GUARDRAIL_MODES.join(', ')})`);
    }
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

function bool(v: unknown, field: string, where: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new Error(`${where}.litellm_params.${field} must be true or false`);
}

function timeoutMs(v: unknown, where: string): number {
  if (v === undefined || v === null) return DEFAULT_GUARDRAIL_TIMEOUT_MS;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) throw new Error(`${where}.litellm_params.timeout must be a positive number of seconds`);
  return Math.round(n * 1000);
}

/** Type-checks the declared params a config entry sets (deeper checks belong to each check). */
function checkConfigParams(check: BuiltinCheckType, params: Record<string, unknown>, where: string): void {
  for (const decl of CHECK_PARAMS[check] as readonly ParamDecl[]) {
    const v = params[decl.name];
    if (v === undefined || v === null) continue;
    const problem = typeProblem(decl, v);
    if (problem) throw new Error(`${where}.litellm_params.${decl.name} ${problem}`);
  }
}

/**
 * The config's `guardrails:` list → specs. Throws an Error naming the bad entry and field; names must
 * be unique. Secrets (`api_key`) are not copied.
 */
export function normalizeGuardrailConfig(configGuardrails: readonly unknown[]): GuardrailSpec[] {
  const seen = new Set<string>();
  return configGuardrails.map((entry, i) => {
    let where = `guardrails[${i}]`;
    if (!isRecord(entry)) throw new Error(`${where} must be an object`);
    const name = entry.guardrail_name;
    if (typeof name !== 'string' || name.trim() === '') throw new Error(`${where}.guardrail_name is required`);
    where = `${where} (${name})`;
    if (seen.has(name)) throw new Error(`${where}: duplicate guardrail_name`);
    seen.add(name);
    const lp = entry.litellm_params;
    if (!isRecord(lp)) throw new Error(`${where}.litellm_params is required`);
    const check = lp.guardrail;
    if (typeof check !== 'string' || check === '') throw new Error(`${where}.litellm_params.guardrail is required`);
    const custom = parseCustomCheck(check) !== null;
    if (!custom && !isBuiltinCheck(check)) {
      throw new Error(
        `${where}.litellm_params.guardrail: unknown guardrail type "${check}" (built-in: ${Object.keys(CHECK_PARAMS).join(', ')}; custom: ./path/to/module.js:ExportName)`,
      );
    }
    if (!custom) checkConfigParams(check as BuiltinCheckType, lp, where);
    const fromInfo = declaredInInfo(entry.guardrail_info, where);
    let dynamic: ParamDecl[] | null;
    if (custom) dynamic = fromInfo;
    else {
      const own = (CHECK_PARAMS[check as BuiltinCheckType] as readonly ParamDecl[]).filter((p) => p.dynamic);
      dynamic = [...own, ...(fromInfo ?? []).filter((p) => !own.some((o) => o.name === p.name))];
    }
    return {
      name,
      check,
      custom,
      modes: parseModes(lp.mode, where),
      default_on: bool(lp.default_on ?? entry.default_on, 'default_on', where),
      fail_open: bool(lp.fail_open ?? entry.fail_open, 'fail_open', where),
      timeout_ms: timeoutMs(lp.timeout, where),
      dynamic_params: dynamic,
    };
  });
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Why `value` does not fit `decl`, or null when it does. Never echoes the value itself. */
export function typeProblem(decl: ParamDecl, value: unknown): string | null {
  switch (decl.type) {
    case 'any':
      return null;
    case 'secret':
    case 'string':
      if (typeof value !== 'string') return `must be a string (got ${typeName(value)})`;
      if (decl.values && !decl.values.includes(value)) return `must be one of ${decl.values.join(', ')}`;
      return null;
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be a boolean (got ${typeName(value)})`;
    case 'array':
      return Array.isArray(value) ? null : `must be a list (got ${typeName(value)})`;
    case 'object':
      return isRecord(value) ? null : `must be an object (got ${typeName(value)})`;
    case 'float':
    case 'integer': {
      const what = decl.type === 'integer' ? 'an integer' : 'a number';
      const range = decl.min !== undefined && decl.max !== undefined ? ` between ${decl.min} and ${decl.max}` : '';
      if (typeof value !== 'number' || !Number.isFinite(value) || (decl.type === 'integer' && !Number.isInteger(value))) {
        return `must be ${what}${range} (got ${typeName(value)})`;
      }
      if ((decl.min !== undefined && value < decl.min) || (decl.max !== undefined && value > decl.max)) return `must be ${what}${range}`;
      return null;
    }
  }
}

/**
 * Per-request params for one guardrail against what it declares; an error message naming the
 * guardrail and the parameter (for a 400), or null when they are acceptable.
 */
export function validateDynamicParams(
  spec: Pick<GuardrailSpec, 'name' | 'dynamic_params'>,
  params: unknown,
): string | null {
  if (params === undefined || params === null) return null;
  if (!isRecord(params)) return `guardrail "${spec.name}": params must be an object`;
  if (spec.dynamic_params === null) return null;
  for (const [key, value] of Object.entries(params)) {
    const decl = spec.dynamic_params.find((p) => p.name === key);
    if (!decl) {
      const accepted = spec.dynamic_params.map((p) => p.name);
      return `guardrail "${spec.name}": unknown parameter "${key}" (accepted: ${accepted.length ? accepted.join(', ') : 'none'})`;
    }
    const problem = typeProblem(decl, value);
    if (problem) return `guardrail "${spec.name}": parameter "${key}" ${problem}`;
  }
  return null;
}

export interface RequestedGuardrail {
  name: string;
  params?: Record<string, unknown>;
}

/**
 * A request's `guardrails` (body or metadata) in any LiteLLM form: `["a","b"]`,
 * `[{"a": {"extra_body": {...}}}]` or `{"a": {...}}` → names with their `extra_body` params.
 * Returns an error message for a malformed value.
 */
export function parseRequestedGuardrails(value: unknown): RequestedGuardrail[] | string {
  if (value === undefined || value === null) return [];
  const fromEntry = (name: string, body: unknown): RequestedGuardrail | string => {
    if (body === undefined || body === null || body === true) return { name };
    if (!isRecord(body)) return `guardrails: the settings of "${name}" must be an object`;
    const extra = body.extra_body;
    if (extra === undefined || extra === null) return { name };
    if (!isRecord(extra)) return `guardrails: "${name}".extra_body must be an object`;
    return { name, params: extra };
  };
  const out: RequestedGuardrail[] = [];
  const push = (r: RequestedGuardrail | string): string | null => {
    if (typeof r === 'string') return r;
    const existing = out.find((o) => o.name === r.name);
    if (existing) existing.params = r.params ?? existing.params;
    else out.push(r);
    return null;
  };
  if (isRecord(value)) {
    for (const [name, body] of Object.entries(value)) {
      const err = push(fromEntry(name, body));
      if (err) return err;
    }
    return out;
  }
  if (!Array.isArray(value)) return 'guardrails must be a list of guardrail names';
  for (const item of value) {
    if (typeof item === 'string') push({ name: item });
    else if (isRecord(item)) {
      for (const [name, body] of Object.entries(item)) {
        const err = push(fromEntry(name, body));
        if (err) return err;
      }
    } else return 'guardrails must be a list of guardrail names';
  }
  return out;
}
