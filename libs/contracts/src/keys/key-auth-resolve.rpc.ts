import { defineRpc } from '../define';
import { ResolvedKey } from './resolved-key';

export interface KeyAuthResolveRequest {
  /** sha256 hex of the presented key */
  keyHash: string;
}

/**
 * The gateway's cache miss: one round trip returns the key with its user, team, membership and
 * team deployments, or null when no such key exists. Blocked and expired keys ARE returned (the
 * gateway answers them with LiteLLM's specific messages).
 */
export const KeyAuthResolve = defineRpc<KeyAuthResolveRequest, ResolvedKey | null>('keys', 'keys.auth.resolve');
