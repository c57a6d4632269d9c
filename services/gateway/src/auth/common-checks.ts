import { ErrorCode, ResolvedKey, TollgateError } from '@tollgate/contracts';

/**
 * LiteLLM's common checks on a resolved key, with its statuses, types and messages. Pure: the
 * key comes from the cache, so a request pays for no I/O here.
 */
export function checkKeyUsable(key: ResolvedKey, now: number = Date.now()): void {
  if (key.blocked) {
    throw new TollgateError(ErrorCode.AuthInvalid, "Authentication Error, Key is blocked. Update via `/key/unblock` if you're admin.", { status: 401, param: 'key' });
  }
  if (key.expires && Date.parse(key.expires) < now) {
    throw new TollgateError(
      ErrorCode.ExpiredKey,
      `Authentication Error - Expired Key. Key Expiry time ${key.expires} and current time ${new Date(now).toISOString()}`,
      { status: 400, param: key.key_name ?? 'key' },
    );
  }
  if (key.team?.blocked) {
    throw new TollgateError(ErrorCode.AuthInvalid, `Authentication Error, Team=${key.team.team_id} is blocked. Update via \`/team/unblock\` if your admin.`, { status: 401, param: 'team' });
  }
}

/** Routes a key may call when it lists `allowed_routes` ([] = no restriction). */
export function checkRoute(key: ResolvedKey, route: string): void {
  if (key.allowed_routes.length === 0) return;
  if (key.allowed_routes.some((r) => r === route || (r.endsWith('*') && route.startsWith(r.slice(0, -1))))) return;
  throw new TollgateError(ErrorCode.Forbidden, `Authentication Error, key is not allowed to call route ${route}. Allowed routes: ${key.allowed_routes.join(', ')}`, { status: 403, param: 'route' });
}

export function modelDenied(who: 'key' | 'team' | 'user', allowed: readonly string[], model: string): TollgateError {
  const code = who === 'key' ? ErrorCode.KeyModelAccessDenied : who === 'team' ? ErrorCode.TeamModelAccessDenied : ErrorCode.UserModelAccessDenied;
  return new TollgateError(code, `${who} not allowed to access model. This ${who} can only access models=${JSON.stringify(allowed)}. Tried to access ${model}`, { status: 401, param: 'model' });
}

/** A request may only name its own guardrails when its team allows it (LiteLLM's modify_guardrails). */
export function checkGuardrailOverride(key: ResolvedKey, body: Record<string, unknown>): void {
  const meta = body.metadata as Record<string, unknown> | undefined;
  const sends = body.guardrails !== undefined || (meta !== undefined && meta !== null && typeof meta === 'object' && meta.guardrails !== undefined);
  if (!sends) return;
  if (key.team && !key.team.permissions.modify_guardrails) {
    throw new TollgateError(ErrorCode.Forbidden, 'Your team does not have permission to modify guardrails.', { status: 403, param: 'guardrails' });
  }
}
