import type { ResolvedKey, ResolvedTeam, ResolvedTeamMember, ResolvedUser, TeamMemberRole, UserRole } from '@tollgate/contracts';
import { asNumberRecord, asRecord, asStringList, iso, num, num0 } from '../common/rows';
import { toDeployment } from '../models/models.mapping';
import { AuthRow } from './auth.repository';

type Json = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const n = (v: unknown): number | null => num(v as string | number | null | undefined);

/**
 * The ResolvedKey the gateway caches. A temporary budget increase (metadata temp_budget_increase
 * while temp_budget_expiry is in the future) is already added to max_budget, as LiteLLM does at auth.
 */
export function toResolvedKey(row: AuthRow, now: Date): ResolvedKey {
  const k = row.key;
  const meta = asRecord(k.metadata);
  return {
    token: String(k.token),
    key_alias: str(k.key_alias),
    key_name: str(k.key_name),
    user_id: str(k.user_id),
    team_id: str(k.team_id),
    organization_id: str(k.organization_id),
    blocked: k.blocked === true,
    expires: iso(str(k.expires)),
    models: asStringList(k.models),
    max_budget: effectiveBudget(n(k.max_budget), meta, now),
    spend: num0(k.spend as string | number | null),
    budget_duration: str(k.budget_duration),
    budget_reset_at: iso(str(k.budget_reset_at)),
    tpm_limit: n(k.tpm_limit),
    rpm_limit: n(k.rpm_limit),
    max_parallel_requests: n(k.max_parallel_requests),
    budget_id: str(k.budget_id),
    model_max_budget: asRecord(k.model_max_budget),
    model_rpm_limit: asNumberRecord(meta.model_rpm_limit),
    model_tpm_limit: asNumberRecord(meta.model_tpm_limit),
    metadata: meta,
    guardrails: asStringList(meta.guardrails),
    permissions: asRecord(k.permissions),
    aliases: asRecord(k.aliases),
    tags: asStringList(meta.tags),
    allowed_routes: asStringList(k.allowed_routes),
    user: row.user && toUser(row.user),
    team: row.team && toTeam(row.team),
    team_member: row.member && toMember(row.member),
    team_models: row.models.map((x) =>
      toDeployment(
        {
          model_id: String(x.model_id), model_name: String(x.model_name), team_id: String(x.team_id), public_model_name: String(x.public_model_name),
          litellm_params: asRecord(x.litellm_params), model_info: asRecord(x.model_info),
        },
        true,
      ),
    ),
  };
}

function effectiveBudget(max: number | null, meta: Json, now: Date): number | null {
  const inc = meta.temp_budget_increase;
  const expiry = typeof meta.temp_budget_expiry === 'string' ? Date.parse(meta.temp_budget_expiry) : NaN;
  if (max === null || typeof inc !== 'number' || !(expiry > now.getTime())) return max;
  return max + inc;
}

function toUser(u: Json): ResolvedUser {
  return {
    user_id: String(u.user_id),
    user_role: u.user_role as UserRole,
    user_email: str(u.user_email),
    max_budget: n(u.max_budget),
    spend: num0(u.spend as string | number | null),
    models: asStringList(u.models),
    tpm_limit: n(u.tpm_limit),
    rpm_limit: n(u.rpm_limit),
    max_parallel_requests: n(u.max_parallel_requests),
    budget_duration: str(u.budget_duration),
    budget_reset_at: iso(str(u.budget_reset_at)),
  };
}

/** LiteLLM's can_modify_guardrails: only an explicit metadata.guardrails.modify_guardrails=false forbids */
export function canModifyGuardrails(metadata: Json): boolean {
  const g = metadata.guardrails;
  return !(g !== null && typeof g === 'object' && !Array.isArray(g) && (g as Json).modify_guardrails === false);
}

function toTeam(t: Json): ResolvedTeam {
  const meta = asRecord(t.metadata);
  return {
    team_id: String(t.team_id),
    team_alias: str(t.team_alias),
    blocked: t.blocked === true,
    models: asStringList(t.models),
    max_budget: n(t.max_budget),
    spend: num0(t.spend as string | number | null),
    tpm_limit: n(t.tpm_limit),
    rpm_limit: n(t.rpm_limit),
    max_parallel_requests: n(t.max_parallel_requests),
    budget_duration: str(t.budget_duration),
    budget_reset_at: iso(str(t.budget_reset_at)),
    guardrails: asStringList(meta.guardrails),
    model_rpm_limit: asNumberRecord(meta.model_rpm_limit),
    model_tpm_limit: asNumberRecord(meta.model_tpm_limit),
    model_aliases: asRecord(t.model_aliases) as Record<string, string>,
    metadata: meta,
    permissions: {
      modify_guardrails: canModifyGuardrails(meta),
      team_member_permissions: Array.isArray(t.team_member_permissions) ? asStringList(t.team_member_permissions) : null,
    },
  };
}

function toMember(m: Json): ResolvedTeamMember {
  return {
    user_id: String(m.user_id),
    role: m.role as TeamMemberRole,
    max_budget: n(m.max_budget_in_team),
    spend: num0(m.spend as string | number | null),
    tpm_limit: n(m.tpm_limit),
    rpm_limit: n(m.rpm_limit),
  };
}
