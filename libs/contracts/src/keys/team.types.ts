import { KeyRow } from './key.types';
import { TeamMemberRole } from './roles';

export interface TeamMemberWithRole {
  user_id: string;
  user_email: string | null;
  role: TeamMemberRole;
}

/** LiteLLM_TeamMembership: a member's own budget inside the team. */
export interface TeamMembershipRow {
  user_id: string;
  team_id: string;
  role: TeamMemberRole;
  /** read-only here: written by the budget service */
  spend: number;
  max_budget_in_team: number | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  litellm_budget_table: { max_budget: number | null; tpm_limit: number | null; rpm_limit: number | null } | null;
}

/** LiteLLM_TeamTable row. */
export interface TeamRow {
  team_id: string;
  team_alias: string | null;
  organization_id: string | null;
  /** always [] / []: LiteLLM's legacy lists; roles live in members_with_roles */
  admins: string[];
  members: string[];
  members_with_roles: TeamMemberWithRole[];
  team_member_permissions: string[] | null;
  metadata: Record<string, unknown>;
  tpm_limit: number | null;
  rpm_limit: number | null;
  max_parallel_requests: number | null;
  max_budget: number | null;
  budget_duration: string | null;
  budget_reset_at: string | null;
  models: string[];
  blocked: boolean;
  /** read-only here: written by the budget service */
  spend: number;
  /** public model name → internal deployment name, for models added with `/model/new` */
  model_aliases: Record<string, string>;
  created_at: string;
  updated_at: string;
}

export interface TeamInfoResponse {
  team_id: string;
  team_info: TeamRow & { litellm_model_table: { model_aliases: Record<string, string> } | null };
  /** the team's non-expired keys */
  keys: KeyRow[];
  team_memberships: TeamMembershipRow[];
}

export interface TeamUpdateResponse {
  team_id: string;
  data: TeamRow;
}

export type TeamListResponse = (TeamRow & { team_memberships: TeamMembershipRow[]; keys: KeyRow[] })[];

export interface TeamDeleteResponse {
  deleted_teams: TeamRow[];
}

export type TeamMemberAddResponse = TeamRow & {
  updated_users: { user_id: string; user_email: string | null; user_role: string }[];
  updated_team_memberships: TeamMembershipRow[];
};

export interface TeamMemberUpdateResponse {
  team_id: string;
  user_id: string;
  user_email: string | null;
  role: TeamMemberRole;
  max_budget_in_team: number | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
}
