import { createHmac, timingSafeEqual } from 'node:crypto';
import { ErrorCode, TollgateError } from '../errors';
import { JobsCaller } from './jobs-caller';
import { JOBS_INTERNAL_HEADERS, JOBS_INTERNAL_MAX_SKEW_MS } from './jobs-internal-http';

function sign(secret: string, ts: string, caller: string): string {
  return createHmac('sha256', secret).update(`${ts}.${caller}`).digest('hex');
}

/** The headers the gateway sends to the jobs internal listener (signed when a secret is configured). */
export function jobsCallerHeaders(caller: JobsCaller, secret: string | undefined, nowMs = Date.now()): Record<string, string> {
  const encoded = Buffer.from(JSON.stringify(caller), 'utf8').toString('base64url');
  const ts = String(nowMs);
  const out: Record<string, string> = { [JOBS_INTERNAL_HEADERS.caller]: encoded, [JOBS_INTERNAL_HEADERS.timestamp]: ts };
  if (secret) out[JOBS_INTERNAL_HEADERS.signature] = sign(secret, ts, encoded);
  return out;
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The listener's side: the caller, or a 401 when the header is missing, unsigned, forged or stale. */
export function verifyJobsCaller(headers: Record<string, string | string[] | undefined>, secret: string | undefined, nowMs = Date.now()): JobsCaller {
  const deny = (why: string): TollgateError => new TollgateError(ErrorCode.AuthInvalid, `jobs internal listener: ${why}`, { status: 401 });
  const encoded = one(headers[JOBS_INTERNAL_HEADERS.caller]);
  if (!encoded) throw deny('missing caller header');
  if (secret) {
    const ts = one(headers[JOBS_INTERNAL_HEADERS.timestamp]) ?? '';
    const sig = one(headers[JOBS_INTERNAL_HEADERS.signature]) ?? '';
    const expected = Buffer.from(sign(secret, ts, encoded), 'hex');
    const given = Buffer.from(sig, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw deny('bad caller signature');
    if (!(Math.abs(nowMs - Number(ts)) <= JOBS_INTERNAL_MAX_SKEW_MS)) throw deny('stale caller signature');
  }
  let caller: unknown;
  try {
    caller = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw deny('malformed caller header');
  }
  const c = caller as Partial<JobsCaller> | null;
  const str = (v: unknown): v is string | null => v === null || typeof v === 'string';
  if (!c || typeof c.keyHash !== 'string' || typeof c.isAdmin !== 'boolean' || !str(c.userId) || !str(c.teamId) || !str(c.keyAlias) || !str(c.teamAlias)) {
    throw deny('malformed caller header');
  }
  return { keyHash: c.keyHash, isAdmin: c.isAdmin, userId: c.userId, teamId: c.teamId, keyAlias: c.keyAlias, teamAlias: c.teamAlias };
}
