import { TeamDeployment } from './model.types';
import { TeamMemberRole, UserRole } from './roles';

/** The key owner, as admission needs it (personal budget and model list apply to keys without a team). */
export interface ResolvedUser {
  user_id: string;
  user_role: UserRole;
  user_email: string | null;
  max_budget: number | null;
  spend: number;
  models: string[];
  tpm_limit: number | null;
  rpm_limit: number | null;
  max_parallel_requests: number | null;
  budget_duration: string | null;
  budget_reset_at: string | null;
}

export interface ResolvedTeam {
  team_id: string;
  team_alias: string | null;
  blocked: boolean;
  models: string[];
  max_budget: number | null;
  spend: number;
  tpm_limit: number | null;
  rpm_limit: number | null;
  max_parallel_requests: number | null;
  budget_duration: string | null;
  budget_reset_at: string | null;
  /** `metadata.guardrails` when it is a list of guardrail names */
  guardrails: string[];
  model_rpm_limit: Record<string, number>;
  model_tpm_limit: Record<string, number>;
  /** public model name → internal deployment name (team models added with /model/new) */
  model_aliases: Record<string, string>;
  metadata: Record<string, unknown>;
  permissions: {
    /**
     * LiteLLM's `can_modify_guardrails(team)`: false only when the team's
     * `metadata.guardrails.modify_guardrails` is explicitly false.
     */
    modify_guardrails: boolean;
    /** routes plain members may call (null = LiteLLM's default `["/key/info", "/key/health"]`) */
    team_member_permissions: string[] | null;
  };
}

/** The key owner's membership in the key's team (`max_budget_in_team` and its spend). */
export interface ResolvedTeamMember {
  user_id: string;
  role: TeamMemberRole;
  max_budget: number | null;
  spend: number;
  tpm_limit: number | null;
  rpm_limit: number | null;
}

/**
 * Everything the gateway needs to admit a request with no further call. Fields the key stores in
 * `metadata` in LiteLLM (model_rpm_limit, model_tpm_limit, guardrails, tags) are lifted out here.
 */
export interface ResolvedKey {
  /** sha256 hex of the raw key */
  token: string;
  key_alias: string | null;
  /** `sk-...abcd`, safe to log and to show in errors */
  key_name: string | null;
  user_id: string | null;
  team_id: string | null;
  organization_id: string | null;
  blocked: boolean;
  /** ISO timestamp or null (never expires); the gateway compares it with now */
  expires: string | null;
  /** [] = every model the team / user may use; may hold "all-team-models", "*", "openai/*"… */
  models: string[];
  max_budget: number | null;
  spend: number;
  budget_duration: string | null;
  budget_reset_at: string | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  max_parallel_requests: number | null;
  /** rate-limit tier owned by the budget service; its values are the fallback for the key's null ones */
  budget_id: string | null;
  /** `{ "<model>": { "budget_limit": number, "time_period": "30d" } }` */
  model_max_budget: Record<string, unknown>;
  model_rpm_limit: Record<string, number>;
  model_tpm_limit: Record<string, number>;
  metadata: Record<string, unknown>;
  guardrails: string[];
  permissions: Record<string, unknown>;
  /** model alias map, e.g. `{ "gpt-3.5-turbo": "my-free-tier" }` */
  aliases: Record<string, unknown>;
  tags: string[];
  /** [] = no route restriction */
  allowed_routes: string[];
  user: ResolvedUser | null;
  team: ResolvedTeam | null;
  team_member: ResolvedTeamMember | null;
  /** the team's own deployments (public name in model_name), routable without a restart */
  team_models: TeamDeployment[];
}
