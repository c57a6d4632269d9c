import { createHash, timingSafeEqual } from 'node:crypto';
import { CallerRef, ErrorCode, ResolvedKey, TollgateError } from '@tollgate/contracts';
import { checkKeyUsable } from './common-checks';
import { CustomAuth, toResolvedKey, UserAPIKeyAuth } from './custom-auth';
import { KeyCache } from './key-cache';

export type HeaderBag = Record<string, string | string[] | undefined>;

/** Who is calling, as the rest of the pipeline and the usage event need it. */
export interface AuthContext {
  /** sha256 hex of the presented key ('' when no master key is configured and none was sent) */
  keyHash: string;
  keyAlias: string | null;
  userId: string | null;
  teamId: string | null;
  teamAlias: string | null;
  isAdmin: boolean;
  /** the virtual key with its user, team and limits; absent for the master key */
  key?: ResolvedKey;
}

/** LiteLLM names the master-key caller this in spend logs */
const PROXY_ADMIN_USER = 'default_user_id';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function header(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function stripScheme(value: string): string {
  if (value.startsWith('Bearer ') || value.startsWith('bearer ')) return value.slice(7).trim();
  if (value.startsWith('Basic ')) return value.slice(6).trim();
  return '';
}

/**
 * The key a request presents, LiteLLM's order: `x-litellm-api-key` (raw or Bearer), `Authorization`
 * (Bearer), `api-key` (Azure clients), `x-api-key` (Anthropic clients). undefined = none sent;
 * '' = sent but malformed.
 */
export function extractApiKey(headers: HeaderBag): string | undefined {
  const litellm = header(headers, 'x-litellm-api-key');
  if (litellm !== undefined) return litellm.startsWith('Bearer ') || litellm.startsWith('bearer ') ? stripScheme(litellm) : litellm.trim();
  const authorization = header(headers, 'authorization');
  if (authorization !== undefined) return stripScheme(authorization);
  const azure = header(headers, 'api-key');
  if (azure !== undefined) return azure.trim();
  const anthropic = header(headers, 'x-api-key');
  if (anthropic !== undefined) return anthropic.trim();
  return undefined;
}

/** `sk-...abcd`: enough to recognise a key in an error, never enough to use it. */
export function abbreviateKey(key: string): string {
  if (key.length <= 8) return '****';
  return `${key.slice(0, 3)}...${key.slice(-4)}`;
}

export class AuthService {
  private readonly masterDigest: Buffer | undefined;
  private readonly masterHash: string | undefined;

  constructor(masterKey: string | undefined, private readonly keys?: KeyCache, private readonly custom?: CustomAuth) {
    this.masterDigest = masterKey ? createHash('sha256').update(masterKey).digest() : undefined;
    this.masterHash = masterKey ? sha256Hex(masterKey) : undefined;
  }

  get enabled(): boolean {
    return this.masterDigest !== undefined;
  }

  /**
   * Who is calling, for management endpoints (the keys service applies the role rules itself).
   * Without a master key configured every caller is the proxy admin, as in LiteLLM.
   */
  caller(headers: HeaderBag): CallerRef {
    if (!this.masterDigest) return { keyHash: null, isMaster: true };
    const { key, digest } = this.presented(headers);
    if (timingSafeEqual(digest, this.masterDigest)) return { keyHash: this.masterHash!, isMaster: true };
    if (!key.startsWith('sk-')) throw authError(`LiteLLM Virtual Key expected. Received=${abbreviateKey(key)}, expected to start with 'sk-'.`);
    return { keyHash: digest.toString('hex'), isMaster: false };
  }

  /**
   * Admits or throws LiteLLM's errors. The master key is checked in constant time; a virtual key
   * is looked up in the in-memory cache, and only a miss costs one NATS request to `keys`.
   */
  async authenticate(headers: HeaderBag, request?: { url: string; method: string; body: unknown }): Promise<AuthContext> {
    if (!this.masterDigest && !this.custom) return OPEN_ADMIN;
    const { key, digest } = this.presented(headers);
    if (this.masterDigest && timingSafeEqual(digest, this.masterDigest)) {
      return { keyHash: this.masterHash!, keyAlias: null, userId: PROXY_ADMIN_USER, teamId: null, teamAlias: null, isAdmin: true };
    }
    if (this.custom) {
      const viaCustom = await this.customAuth(headers, key, digest.toString('hex'), request);
      if (viaCustom) return viaCustom;
    }
    if (!key.startsWith('sk-')) {
      throw authError(`LiteLLM Virtual Key expected. Received=${abbreviateKey(key)}, expected to start with 'sk-'.`);
    }
    const hash = digest.toString('hex');
    const resolved = this.keys ? await this.lookup(hash) : null;
    if (!resolved) {
      throw new TollgateError(
        ErrorCode.TokenNotFound,
        `Authentication Error, Invalid proxy server token passed. Received API Key = ${abbreviateKey(key)}, Key Hash (Token) =${hash}. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\``,
        { status: 401, param: 'key' },
      );
    }
    checkKeyUsable(resolved);
    return {
      keyHash: hash,
      keyAlias: resolved.key_alias,
      userId: resolved.user_id,
      teamId: resolved.team_id,
      teamAlias: resolved.team?.team_alias ?? null,
      isAdmin: resolved.user?.user_role === 'proxy_admin',
      key: resolved,
    };
  }

  /**
   * `general_settings.custom_auth`: the operator's function decides; its answer then goes through
   * the same common checks (and limits) as a virtual key. With `custom_auth_settings.mode: auto` a
   * refusal (throw or null) lets the built-in key check try; otherwise it is a 401.
   */
  private async customAuth(headers: HeaderBag, key: string, hash: string, request?: { url: string; method: string; body: unknown }): Promise<AuthContext | undefined> {
    let result: UserAPIKeyAuth | null | undefined;
    try {
      result = await this.custom!.fn({ headers, url: request?.url ?? '', method: request?.method ?? '', body: request?.body }, key);
    } catch (e) {
      if (this.custom!.fallback) return undefined;
      throw authError(`Custom auth refused the request: ${(e as Error)?.message ?? String(e)}`);
    }
    if (!result) {
      if (this.custom!.fallback) return undefined;
      throw authError('Custom auth refused the request.');
    }
    const resolved = toResolvedKey(result, hash);
    checkKeyUsable(resolved);
    return {
      keyHash: hash,
      keyAlias: resolved.key_alias,
      userId: resolved.user_id,
      teamId: resolved.team_id,
      teamAlias: resolved.team?.team_alias ?? null,
      isAdmin: result.user_role === 'proxy_admin',
      key: resolved,
    };
  }

  private async lookup(hash: string): Promise<ResolvedKey | null> {
    const cached = this.keys!.peek(hash);
    if (cached !== undefined) return cached;
    try {
      return await this.keys!.resolve(hash);
    } catch (e) {
      // never a wrong 401: the key may well exist, we just cannot ask
      if (e instanceof TollgateError && e.code === ErrorCode.DependencyUnavailable) {
        throw new TollgateError(ErrorCode.DependencyUnavailable, `Cannot verify the API key right now: ${e.message}. Retry shortly.`, { status: 503 });
      }
      throw e;
    }
  }

  private presented(headers: HeaderBag): { key: string; digest: Buffer } {
    const key = extractApiKey(headers);
    if (key === undefined) throw authError('No api key passed in.');
    if (key === '') throw authError('Malformed API Key passed in. Ensure Key has `Bearer ` prefix.');
    // compare digests: equal length, constant time, and the key's length is not leaked
    return { key, digest: createHash('sha256').update(key).digest() };
  }
}

const OPEN_ADMIN: AuthContext = Object.freeze({ keyHash: '', keyAlias: null, userId: PROXY_ADMIN_USER, teamId: null, teamAlias: null, isAdmin: true });

function authError(message: string, param: string | null = null): TollgateError {
  return new TollgateError(ErrorCode.AuthInvalid, `Authentication Error, ${message}`, { status: 401, param });
}
