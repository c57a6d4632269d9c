import { createHash, timingSafeEqual } from 'node:crypto';
import { ErrorCode, TollgateError } from '@tollgate/contracts';

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

  constructor(masterKey: string | undefined) {
    this.masterDigest = masterKey ? createHash('sha256').update(masterKey).digest() : undefined;
    this.masterHash = masterKey ? sha256Hex(masterKey) : undefined;
  }

  get enabled(): boolean {
    return this.masterDigest !== undefined;
  }

  /** Admits or throws a 401 with LiteLLM's messages. Virtual keys arrive with the keys service. */
  authenticate(headers: HeaderBag): AuthContext {
    if (!this.masterDigest) return { keyHash: '', keyAlias: null, userId: PROXY_ADMIN_USER, teamId: null, teamAlias: null, isAdmin: true };
    const key = extractApiKey(headers);
    if (key === undefined) throw authError('No api key passed in.');
    if (key === '') throw authError('Malformed API Key passed in. Ensure Key has `Bearer ` prefix.');
    // compare digests: equal length, constant time, and the key's length is not leaked
    const digest = createHash('sha256').update(key).digest();
    if (timingSafeEqual(digest, this.masterDigest)) {
      return { keyHash: this.masterHash!, keyAlias: null, userId: PROXY_ADMIN_USER, teamId: null, teamAlias: null, isAdmin: true };
    }
    if (!key.startsWith('sk-')) {
      throw authError(`LiteLLM Virtual Key expected. Received=${abbreviateKey(key)}, expected to start with 'sk-'.`);
    }
    throw authError(`Invalid proxy server token passed. Received API Key = ${abbreviateKey(key)}, Key Hash (Token) =${digest.toString('hex')}. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\``, 'key');
  }
}

function authError(message: string, param: string | null = null): TollgateError {
  return new TollgateError(ErrorCode.AuthInvalid, `Authentication Error, ${message}`, { status: 401, param });
}
