import type { ResolvedKey } from '@tollgate/contracts';

/** A resolved key with no limits of its own; tests override what they need. */
export function resolvedKey(over: Partial<ResolvedKey> = {}): ResolvedKey {
  return {
    token: 'a'.repeat(64),
    key_alias: 'alias-1',
    key_name: 'sk-...abcd',
    user_id: null,
    team_id: null,
    organization_id: null,
    blocked: false,
    expires: null,
    models: [],
    max_budget: null,
    spend: 0,
    budget_duration: null,
    budget_reset_at: null,
    tpm_limit: null,
    rpm_limit: null,
    max_parallel_requests: null,
    budget_id: null,
    model_max_budget: {},
    model_rpm_limit: {},
    model_tpm_limit: {},
    metadata: {},
    guardrails: [],
    permissions: {},
    aliases: {},
    tags: [],
    allowed_routes: [],
    user: null,
    team: null,
    team_member: null,
    team_models: [],
    ...over,
  };
}

export function team(id: string, over: Partial<NonNullable<ResolvedKey['team']>> = {}): NonNullable<ResolvedKey['team']> {
  return {
    team_id: id, team_alias: null, blocked: false, models: [], max_budget: null, spend: 0, tpm_limit: null, rpm_limit: null,
    max_parallel_requests: null, budget_duration: null, budget_reset_at: null, guardrails: [], model_rpm_limit: {}, model_tpm_limit: {},
    model_aliases: {}, metadata: {}, permissions: { modify_guardrails: true, team_member_permissions: null }, ...over,
  };
}

export function user(id: string, over: Partial<NonNullable<ResolvedKey['user']>> = {}): NonNullable<ResolvedKey['user']> {
  return {
    user_id: id, user_role: 'internal_user', user_email: null, max_budget: null, spend: 0, models: [], tpm_limit: null, rpm_limit: null,
    max_parallel_requests: null, budget_duration: null, budget_reset_at: null, ...over,
  };
}
