import {
  BuiltinCheckType, GuardrailListItem, GuardrailSpec, GuardrailsListReply, normalizeGuardrailConfig, ParamDecl, publicParams,
} from '@tollgate/contracts';
import { CHECKS, GuardrailCheck } from '../checks';
import { loadCustomCheck } from '../checks/custom-module';
import { HttpClient } from '../external/http-client';

export interface RegisteredGuardrail {
  /** for a custom module, `dynamic_params` is filled from the module's own declaration */
  spec: GuardrailSpec;
  check: GuardrailCheck;
  listItem: GuardrailListItem;
}

export interface RegistryDeps {
  /** folder that custom module paths are relative to (the config file's) */
  baseDir: string;
  http: HttpClient;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function listItem(spec: GuardrailSpec, declared: readonly ParamDecl[], info: unknown): GuardrailListItem {
  return {
    guardrail_name: spec.name,
    litellm_params: { guardrail: spec.check, mode: spec.modes.length === 1 ? spec.modes[0] : [...spec.modes], default_on: spec.default_on },
    guardrail_info: isRecord(info) ? info : { params: publicParams(declared) },
  };
}

/**
 * The configured guardrails, each built once at start-up from the config's `guardrails:` list. A bad
 * entry stops the service with an error naming it: better than a guardrail silently not running.
 */
export class GuardrailRegistry {
  private constructor(private readonly byName: ReadonlyMap<string, RegisteredGuardrail>) {}

  static fromConfig(configGuardrails: readonly unknown[], deps: RegistryDeps): GuardrailRegistry {
    const specs = normalizeGuardrailConfig(configGuardrails);
    const byName = new Map<string, RegisteredGuardrail>();
    specs.forEach((spec, i) => {
      const entry = configGuardrails[i] as Record<string, unknown>;
      const litellmParams = entry.litellm_params as Record<string, unknown>;
      let check: GuardrailCheck;
      try {
        check = spec.custom
          ? loadCustomCheck(spec.check, deps.baseDir, { guardrailName: spec.name, litellmParams, modes: spec.modes })
          : CHECKS[spec.check as BuiltinCheckType].create({ guardrailName: spec.name, litellmParams, http: deps.http });
      } catch (e) {
        throw new Error(`guardrails[${i}] (${spec.name}): ${(e as Error).message}`);
      }
      const declared = check.params ?? [];
      const effective: GuardrailSpec =
        spec.dynamic_params === null ? { ...spec, dynamic_params: declared.filter((p) => p.dynamic !== false && p.type !== 'secret') } : spec;
      byName.set(spec.name, { spec: effective, check, listItem: listItem(spec, declared, entry.guardrail_info) });
    });
    return new GuardrailRegistry(byName);
  }

  get(name: string): RegisteredGuardrail | undefined {
    return this.byName.get(name);
  }

  get size(): number {
    return this.byName.size;
  }

  list(): GuardrailsListReply {
    return { guardrails: [...this.byName.values()].map((g) => g.listItem) };
  }
}
