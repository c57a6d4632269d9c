import { createHash, randomBytes } from 'node:crypto';
import { badRequest } from './errors';

/** 24 random bytes = 192 bits, url-safe base64 (LiteLLM uses 16 bytes; more costs nothing). */
const RANDOM_BYTES = 24;
const HASH = /^[0-9a-f]{64}$/;

export function generateRawKey(): string {
  return `sk-${randomBytes(RANDOM_BYTES).toString('base64url')}`;
}

export function hashKey(raw: string): string {
  return createHash('sha256').update(raw).digest('hex');
}

/** `sk-...abcd`: LiteLLM's key_name, safe to store and show */
export function abbreviateKey(raw: string): string {
  return `sk-...${raw.slice(-4)}`;
}

/** `sk-a****wxyz`: how a key appears in an error message */
export function maskKey(raw: string): string {
  if (raw.length <= 8) return '****';
  return `${raw.slice(0, 4)}****${raw.slice(-4)}`;
}

/**
 * Any endpoint that takes a key accepts the raw `sk-` key or its sha256 hex (LiteLLM's
 * `_hash_token_if_needed`). Anything else is refused rather than looked up.
 */
export function toKeyHash(keyOrHash: string, param = 'key'): string {
  if (keyOrHash.startsWith('sk-')) return hashKey(keyOrHash);
  if (HASH.test(keyOrHash)) return keyOrHash;
  throw badRequest(`Invalid key format. Pass a virtual key (sk-...) or its sha256 hash. Received: ${maskKey(keyOrHash)}`, param);
}

/** A caller-chosen key must look like a LiteLLM virtual key. */
export function assertCustomKey(raw: string, param = 'key'): void {
  if (!raw.startsWith('sk-')) {
    throw badRequest(`Invalid key format. LiteLLM Virtual Key must start with 'sk-'. Received: ${maskKey(raw)}`, param);
  }
  if (raw.length < 8) throw badRequest(`Invalid key format. A virtual key needs at least 5 characters after 'sk-'.`, param);
}
