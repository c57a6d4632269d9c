import type { TeamMemberRole, UserRole } from '@tollgate/contracts';

/** LiteLLM's `litellm_proxy_admin_name`: the user id the master key acts as. */
export const PROXY_ADMIN_NAME = 'default_user_id';

/** Who is calling, as the rules need it; loaded once per management request. */
export interface Caller {
  isMaster: boolean;
  /** hash of the calling key (null for the master key) */
  keyHash: string | null;
  userId: string | null;
  /** null: a key with no user (or no user row) — it may read its own key, nothing else */
  role: UserRole | null;
  keyTeamId: string | null;
  /** team_id → the caller's role in that team */
  teams: ReadonlyMap<string, TeamMemberRole>;
}

export function masterCaller(): Caller {
  return { isMaster: true, keyHash: null, userId: PROXY_ADMIN_NAME, role: 'proxy_admin', keyTeamId: null, teams: new Map() };
}
