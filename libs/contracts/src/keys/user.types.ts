import { KeyRow } from './key.types';
import { UserRole } from './roles';
import { TeamRow } from './team.types';

/** LiteLLM_UserTable row (no password: Tollgate stores none). */
export interface UserRow {
  user_id: string;
  user_email: string | null;
  user_alias: string | null;
  user_role: UserRole;
  /** read-only here: written by the budget service */
  spend: number;
  max_budget: number | null;
  models: string[];
  tpm_limit: number | null;
  rpm_limit: number | null;
  max_parallel_requests: number | null;
  budget_duration: string | null;
  budget_reset_at: string | null;
  metadata: Record<string, unknown>;
  /** ids of the teams the user belongs to */
  teams: string[];
  created_at: string;
  updated_at: string;
}

/** `/user/new`: the first key's fields (key = '' when auto_create_key=false) plus the user's. */
export type NewUserResponse = Omit<UserRow, 'spend' | 'metadata'> & {
  key: string;
  key_name: string | null;
  key_alias: string | null;
  expires: string | null;
  metadata: Record<string, unknown>;
  [field: string]: unknown;
};

export interface UserInfoResponse {
  user_id: string | null;
  user_info: UserRow | Record<string, unknown> | null;
  keys: (KeyRow & { team_alias: string | null })[];
  teams: TeamRow[];
}

export interface UserUpdateResponse {
  user_id: string;
  data: UserRow;
}

/** `/user/delete` answers the number of users deleted (prisma's delete_many count). */
export type UserDeleteResponse = number;

export interface UserListResponse {
  users: (UserRow & { key_count: number })[];
  total: number;
  page: number;
  page_size: number;
  total_pages: number;
}
