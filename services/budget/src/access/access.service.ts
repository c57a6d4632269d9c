import { Injectable } from '@nestjs/common';
import { CallerRef, KeyAuthResolve, UserRole } from '@tollgate/contracts';
import { badRequest, unauthorized } from '../common/errors';
import { NatsLink } from '../common/nats-link';

/** LiteLLM's proxy admin name: who the master key acts as (created_by / updated_by). */
export const PROXY_ADMIN_NAME = 'default_user_id';

export interface Caller {
  isMaster: boolean;
  userId: string | null;
  role: UserRole | null;
}

const READERS: ReadonlySet<UserRole> = new Set(['proxy_admin', 'proxy_admin_viewer']);

/**
 * Who calls a /budget/* route. The keys service owns keys and roles, so a virtual key is resolved
 * with the same RPC the gateway uses (`keys.auth.resolve`); the master key needs no call.
 */
@Injectable()
export class AccessService {
  constructor(private readonly nats: NatsLink) {}

  async caller(ref: CallerRef | undefined): Promise<Caller> {
    if (ref?.isMaster === true) return { isMaster: true, userId: PROXY_ADMIN_NAME, role: 'proxy_admin' };
    const hash = ref?.keyHash;
    if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) throw unauthorized('No api key passed in.');
    const key = await this.nats.requests.request(KeyAuthResolve, { keyHash: hash });
    if (!key) {
      throw unauthorized('Authentication Error, Invalid proxy server token passed. Unable to find token in cache or `LiteLLM_VerificationTokenTable`');
    }
    if (key.blocked) throw unauthorized("Authentication Error, Key is blocked. Update via `/key/unblock` if you're an admin.");
    if (key.expires !== null && Date.parse(key.expires) < Date.now()) throw unauthorized('Authentication Error - Expired Key.');
    return { isMaster: false, userId: key.user_id, role: key.user?.user_role ?? null };
  }

  /** proxy admins and proxy admin viewers (LiteLLM answers others with a 400) */
  async reader(ref: CallerRef | undefined): Promise<Caller> {
    const c = await this.caller(ref);
    if (!c.isMaster && (c.role === null || !READERS.has(c.role))) throw notAllowed(c);
    return c;
  }

  /** proxy admins only */
  async writer(ref: CallerRef | undefined): Promise<Caller> {
    const c = await this.caller(ref);
    if (!c.isMaster && c.role !== 'proxy_admin') throw notAllowed(c);
    return c;
  }
}

function notAllowed(c: Caller) {
  return badRequest(`Admin-only endpoint. Not allowed to access this., your role=${c.role ?? 'None'}`);
}
