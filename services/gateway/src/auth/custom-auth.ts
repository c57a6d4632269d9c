import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ErrorCode, ResolvedKey, TollgateError } from '@tollgate/contracts';
import type { HeaderBag } from './auth.service';

/** What an operator's function returns: LiteLLM's UserAPIKeyAuth fields (all optional). */
export interface UserAPIKeyAuth {
  api_key?: string | null;
  key_alias?: string | null;
  user_id?: string | null;
  team_id?: string | null;
  team_alias?: string | null;
  user_role?: string | null;
  models?: string[];
  team_models?: string[];
  max_budget?: number | null;
  spend?: number;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  max_parallel_requests?: number | null;
  blocked?: boolean;
  expires?: string | null;
  metadata?: Record<string, unknown>;
  guardrails?: string[];
}

export type CustomAuthFn = (request: { headers: HeaderBag; url: string; method: string; body: unknown }, apiKey: string) => Promise<UserAPIKeyAuth | null | undefined>;

export interface CustomAuth {
  fn: CustomAuthFn;
  /** `auto`: when the function refuses, the built-in key check gets its turn */
  fallback: boolean;
}

/**
 * `general_settings.custom_auth: ./path/to/module.js` (default export, or `userApiKeyAuth`) or
 * `./module.js:exportName`, relative to the config file. Loaded once at start; a missing module
 * or export stops start-up with a message naming it.
 */
export function loadCustomAuth(spec: unknown, mode: unknown, configSource: string): CustomAuth | undefined {
  if (spec === undefined || spec === null || spec === '') return undefined;
  if (typeof spec !== 'string') throw new Error('general_settings.custom_auth must be a module path, e.g. ./custom_auth.js:userApiKeyAuth');
  const colon = spec.lastIndexOf(':');
  const hasExport = colon > 1 && !spec.slice(colon).includes('/');
  const file = hasExport ? spec.slice(0, colon) : spec;
  const exportName = hasExport ? spec.slice(colon + 1) : undefined;
  const base = existsSync(configSource) ? dirname(resolve(configSource)) : process.cwd();
  const path = isAbsolute(file) ? file : resolve(base, file);
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(path) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`general_settings.custom_auth: cannot load ${path}: ${(e as Error).message}`);
  }
  const fn = exportName ? mod[exportName] : (mod.default ?? mod.userApiKeyAuth ?? mod.user_api_key_auth ?? mod);
  if (typeof fn !== 'function') throw new Error(`general_settings.custom_auth: ${path} exports no function ${exportName ?? '(default or userApiKeyAuth)'}`);
  if (mode !== undefined && mode !== 'on' && mode !== 'auto') throw new Error(`general_settings.custom_auth_settings.mode must be "on" or "auto" (got ${JSON.stringify(mode)})`);
  return { fn: fn as CustomAuthFn, fallback: mode === 'auto' };
}

/** The operator's answer as a resolved key, so the same common checks and limits apply. */
export function toResolvedKey(auth: UserAPIKeyAuth, keyHash: string): ResolvedKey {
  if (typeof auth !== 'object' || auth === null) {
    throw new TollgateError(ErrorCode.Internal, 'custom auth returned something that is not an object', { status: 500 });
  }
  const team = auth.team_id
    ? {
        team_id: auth.team_id, team_alias: auth.team_alias ?? null, blocked: false, models: auth.team_models ?? [], max_budget: null, spend: 0,
        tpm_limit: null, rpm_limit: null, max_parallel_requests: null, budget_duration: null, budget_reset_at: null, guardrails: [],
        model_rpm_limit: {}, model_tpm_limit: {}, model_aliases: {}, metadata: {}, permissions: { modify_guardrails: true, team_member_permissions: null },
      }
    : null;
  return {
    token: keyHash,
    key_alias: auth.key_alias ?? null,
    key_name: null,
    user_id: auth.user_id ?? null,
    team_id: auth.team_id ?? null,
    organization_id: null,
    blocked: auth.blocked === true,
    expires: auth.expires ?? null,
    models: auth.models ?? [],
    max_budget: auth.max_budget ?? null,
    spend: auth.spend ?? 0,
    budget_duration: null,
    budget_reset_at: null,
    tpm_limit: auth.tpm_limit ?? null,
    rpm_limit: auth.rpm_limit ?? null,
    max_parallel_requests: auth.max_parallel_requests ?? null,
    budget_id: null,
    model_max_budget: {},
    model_rpm_limit: {},
    model_tpm_limit: {},
    metadata: auth.metadata ?? {},
    guardrails: auth.guardrails ?? [],
    permissions: {},
    aliases: {},
    tags: [],
    allowed_routes: [],
    user: auth.user_id
      ? { user_id: auth.user_id, user_role: (auth.user_role as never) ?? 'internal_user', user_email: null, max_budget: null, spend: 0, models: [], tpm_limit: null, rpm_limit: null, max_parallel_requests: null, budget_duration: null, budget_reset_at: null }
      : null,
    team,
    team_member: null,
    team_models: [],
  };
}
