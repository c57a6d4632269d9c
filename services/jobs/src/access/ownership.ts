import { JobsCaller } from '@tollgate/contracts';

/** The owner columns every jobs row carries. */
export interface Owner {
  owner_key_hash: string;
  owner_key_alias: string | null;
  owner_user_id: string | null;
  owner_team_id: string | null;
  owner_team_alias: string | null;
}

export function ownerOf(c: JobsCaller): Owner {
  return { owner_key_hash: c.keyHash, owner_key_alias: c.keyAlias, owner_user_id: c.userId, owner_team_id: c.teamId, owner_team_alias: c.teamAlias };
}

/**
 * A key sees (and cancels, deletes, downloads) what its team created, or, without a team, what it
 * created itself; admins see everything. Anything else reads as "not found", never "forbidden", so
 * ids of other teams' objects cannot be probed.
 */
export function canSee(row: Owner, c: JobsCaller): boolean {
  if (c.isAdmin) return true;
  if (row.owner_key_hash === c.keyHash) return true;
  return row.owner_team_id !== null && c.teamId !== null && row.owner_team_id === c.teamId;
}

/** The same rule as SQL, for lists: appends its parameters to `params` and returns the condition. */
export function visibleSql(c: JobsCaller, params: unknown[]): string {
  if (c.isAdmin) return 'TRUE';
  params.push(c.keyHash);
  const key = `"owner_key_hash" = $${params.length}`;
  if (c.teamId === null) return `(${key})`;
  params.push(c.teamId);
  return `(${key} OR "owner_team_id" = $${params.length})`;
}
