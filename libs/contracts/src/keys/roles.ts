/** LiteLLM's `LitellmUserRoles` that Tollgate stores on a user. */
export const USER_ROLES = ['proxy_admin', 'proxy_admin_viewer', 'internal_user', 'internal_user_viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Role of a user inside one team (`LiteLLMTeamRoles`). */
export const TEAM_MEMBER_ROLES = ['admin', 'user'] as const;
export type TeamMemberRole = (typeof TEAM_MEMBER_ROLES)[number];
