import { resolve } from 'node:path';
import { GuardrailMode, ParamDecl, parseCustomCheck } from '@tollgate/contracts';
import { GuardrailCheck } from './check';

/** What an operator's class receives in its constructor. */
export interface CustomCheckOptions {
  guardrailName: string;
  /** the guardrail's `litellm_params` (env references resolved; may hold the operator's own secrets) */
  litellmParams: Readonly<Record<string, unknown>>;
  modes: readonly GuardrailMode[];
}

const PARAM_TYPES = new Set(['string', 'float', 'integer', 'boolean', 'array', 'object', 'secret', 'any']);

function checkDeclaredParams(params: unknown, where: string): ParamDecl[] {
  if (params === undefined) return [];
  if (!Array.isArray(params)) throw new Error(`${where}: params must be a list of {name, type, description}`);
  return params.map((p: Partial<ParamDecl>, i) => {
    if (typeof p?.name !== 'string' || !p.name || !PARAM_TYPES.has(String(p.type))) {
      throw new Error(`${where}: params[${i}] needs a name and a type (${[...PARAM_TYPES].join(', ')})`);
    }
    return { ...p, description: p.description ?? '', dynamic: p.dynamic ?? true } as ParamDecl;
  });
}

const HOOK_OF: Record<GuardrailMode, (c: GuardrailCheck) => boolean> = {
  pre_call: (c) => typeof c.preCall === 'function',
  during_call: (c) => typeof c.duringCall === 'function' || typeof c.preCall === 'function',
  post_call: (c) => typeof c.postCall === 'function',
  logging_only: (c) => typeof c.preCall === 'function' || typeof c.postCall === 'function',
};

/**
 * Loads `./path/to/module.js:ExportName` (relative to `baseDir`, the config file's folder). The export
 * is a class (constructed with {@link CustomCheckOptions}) or an object implementing GuardrailCheck;
 * it must have a hook for each configured mode. Its `params` (on the instance or as a static field)
 * are its declared params, each settable per request unless `dynamic: false`.
 */
export function loadCustomCheck(spec: string, baseDir: string, options: CustomCheckOptions): GuardrailCheck {
  const parsed = parseCustomCheck(spec);
  if (!parsed) throw new Error(`"${spec}" is not a custom module reference (./path/to/module.js:ExportName)`);
  const file = resolve(baseDir, parsed.path);
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an operator's module is only known at run time
    mod = require(file) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`cannot load guardrail module ${parsed.path}: ${(e as Error).message}`);
  }
  const exported = mod[parsed.exportName];
  let check: GuardrailCheck;
  let staticParams: unknown;
  if (typeof exported === 'function') {
    staticParams = (exported as { params?: unknown }).params;
    check = new (exported as new (o: CustomCheckOptions) => GuardrailCheck)(options);
  } else if (typeof exported === 'object' && exported !== null) {
    check = exported as GuardrailCheck;
  } else {
    throw new Error(`guardrail module ${parsed.path} has no export "${parsed.exportName}"`);
  }
  const params = checkDeclaredParams(check.params ?? staticParams, `${parsed.path}:${parsed.exportName}`);
  for (const mode of options.modes) {
    if (!HOOK_OF[mode](check)) throw new Error(`${parsed.path}:${parsed.exportName} has no hook for mode ${mode}`);
  }
  return {
    params,
    preCall: check.preCall?.bind(check),
    duringCall: check.duringCall?.bind(check),
    postCall: check.postCall?.bind(check),
  };
}
