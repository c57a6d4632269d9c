import { defineBroadcast } from '../define';

/**
 * Which cached auth entries are stale. Entries match when their key hash, team id or user id is
 * listed (a key's user and team count); `all` drops the whole cache. Published after the commit.
 */
export interface KeysChangedPayload {
  keyHashes?: string[];
  teamIds?: string[];
  userIds?: string[];
  all?: boolean;
}

/** NATS core fan-out: every gateway replica receives it (no queue group, no JetStream). */
export const KeysChanged = defineBroadcast<KeysChangedPayload>('keys.changed');
