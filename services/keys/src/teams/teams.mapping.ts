import type { TeamMembershipRow, TeamRow } from '@tollgate/contracts';
import { asRecord, asStringList, iso, isoNow, num, num0 } from '../common/rows';
import { TeamEntity } from './team.entity';
import { MemberRow } from './teams.repository';

export function toTeamRow(t: TeamEntity, members: MemberRow[]): TeamRow {
  return {
    team_id: t.team_id,
    team_alias: t.team_alias,
    organization_id: t.organization_id,
    admins: [],
    members: [],
    members_with_roles: members.map((m) => ({ user_id: m.user_id, user_email: m.user_email, role: m.role })),
    team_member_permissions: t.team_member_permissions,
    metadata: asRecord(t.metadata),
    tpm_limit: num(t.tpm_limit),
    rpm_limit: num(t.rpm_limit),
    max_parallel_requests: t.max_parallel_requests,
    max_budget: num(t.max_budget),
    budget_duration: t.budget_duration,
    budget_reset_at: iso(t.budget_reset_at),
    models: asStringList(t.models),
    blocked: t.blocked,
    spend: num0(t.spend),
    model_aliases: asRecord(t.model_aliases) as Record<string, string>,
    created_at: isoNow(t.created_at),
    updated_at: isoNow(t.updated_at),
  };
}

export function toMembership(m: MemberRow): TeamMembershipRow {
  const budget = num(m.max_budget_in_team);
  const tpm = num(m.tpm_limit);
  const rpm = num(m.rpm_limit);
  return {
    user_id: m.user_id,
    team_id: m.team_id,
    role: m.role,
    spend: num0(m.spend),
    max_budget_in_team: budget,
    tpm_limit: tpm,
    rpm_limit: rpm,
    litellm_budget_table: budget === null && tpm === null && rpm === null ? null : { max_budget: budget, tpm_limit: tpm, rpm_limit: rpm },
  };
}
