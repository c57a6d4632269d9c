import { forbidden } from '../common/errors';
import { Caller } from './caller';

/**
 * The authorization rules, as pure functions of the caller (and the rows involved), so each one is
 * unit-tested. Every refusal is a 403 that says what was refused and why.
 */

export const isProxyAdmin = (c: Caller): boolean => c.role === 'proxy_admin';
export const canViewAll = (c: Caller): boolean => c.role === 'proxy_admin' || c.role === 'proxy_admin_viewer';
export const isViewer = (c: Caller): boolean => c.role === 'proxy_admin_viewer' || c.role === 'internal_user_viewer';
export const isTeamAdmin = (c: Caller, teamId: string | null): boolean => teamId !== null && c.teams.get(teamId) === 'admin';
export const isTeamMember = (c: Caller, teamId: string | null): boolean => teamId !== null && c.teams.has(teamId);

function who(c: Caller): string {
  return `Your role=${c.role ?? 'none'}. Your user_id=${c.userId ?? 'none'}`;
}

/** A key without a user (or whose user has no row) may not manage anything. */
export function requireUser(c: Caller, route: string): void {
  if (c.role === null) {
    throw forbidden(
      `Only proxy admins, team admins and internal users can call management routes; this key belongs to no user. Route=${route}. ${who(c)}`,
    );
  }
}

/** Writes need a user whose role is not a viewer role. */
export function requireWriter(c: Caller, route: string): void {
  requireUser(c, route);
  if (isViewer(c)) throw forbidden(`${c.role} is a read-only role and cannot call ${route}. ${who(c)}`);
}

export function requireProxyAdmin(c: Caller, route: string): void {
  requireUser(c, route);
  if (!isProxyAdmin(c)) {
    throw forbidden(`Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=${route}. ${who(c)}`);
  }
}

export function requireViewAll(c: Caller, route: string, message?: string): void {
  requireUser(c, route);
  if (!canViewAll(c)) throw forbidden(message ?? `Only proxy admins and proxy admin viewers can call ${route}. ${who(c)}`);
}

/** proxy admin, or an admin of `teamId` (never a viewer) */
export function requireTeamAdmin(c: Caller, teamId: string, route: string): void {
  requireWriter(c, route);
  if (!isProxyAdmin(c) && !isTeamAdmin(c, teamId)) {
    throw forbidden(`Call not allowed. User not proxy admin OR team admin. route=${route}, team_id=${teamId}`);
  }
}

interface KeyOwnership {
  token: string;
  user_id: string | null;
  team_id: string | null;
}

/** LiteLLM's can_modify_verification_token: proxy admin; team key → its team's admin or its owner; personal key → its owner. */
export function canModifyKey(c: Caller, key: KeyOwnership): boolean {
  if (c.role === null || isViewer(c)) return false;
  if (isProxyAdmin(c)) return true;
  if (key.team_id !== null && isTeamAdmin(c, key.team_id)) return true;
  return key.user_id !== null && key.user_id === c.userId;
}

/** /key/info: admins and viewers, the key itself, its owner, or a member of its team */
export function canReadKey(c: Caller, key: KeyOwnership): boolean {
  if (canViewAll(c)) return true;
  if (c.keyHash !== null && c.keyHash === key.token) return true;
  if (c.role === null) return false;
  if (key.user_id !== null && key.user_id === c.userId) return true;
  return isTeamMember(c, key.team_id);
}

export interface LimitSet {
  max_budget?: number | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  max_parallel_requests?: number | null;
}

const LIMIT_FIELDS = ['max_budget', 'tpm_limit', 'rpm_limit', 'max_parallel_requests'] as const;

/** First limit in `inner` above the same limit in `outer` (null outer = unlimited), as a message. */
export function limitAbove(inner: LimitSet, outer: LimitSet, innerName: string, outerName: string): string | null {
  for (const f of LIMIT_FIELDS) {
    const i = inner[f];
    const o = outer[f];
    if (i === undefined || i === null || o === undefined || o === null) continue;
    if (i > o) return `${innerName} ${f}=${i} is higher than ${outerName} ${f}=${o}`;
  }
  return null;
}

const ALL_MODELS = new Set(['*', 'all-proxy-models']);

/** Can a holder of `allowed` (a team's or user's model list; [] = all) use model `m`? */
export function modelAllowed(m: string, allowed: readonly string[]): boolean {
  if (allowed.length === 0 || allowed.some((a) => ALL_MODELS.has(a))) return true;
  if (allowed.includes(m)) return true;
  return allowed.some((a) => a.endsWith('/*') && m.startsWith(a.slice(0, -1)));
}

/** The models of `requested` that `allowed` does not cover ("all-team-models" is always covered). */
export function modelsOutside(requested: readonly string[], allowed: readonly string[]): string[] {
  return requested.filter((m) => m !== 'all-team-models' && !modelAllowed(m, allowed));
}

/**
 * What a non-proxy-admin may put on a key of `team`: models the team can use, limits no higher
 * than the team's. Returns the refusal message, or null.
 */
export function keyOutsideTeam(key: LimitSet & { models?: readonly string[] }, team: LimitSet & { team_id: string; models: readonly string[] }): string | null {
  const outside = modelsOutside(key.models ?? [], team.models);
  if (outside.length > 0) {
    return `Team=${team.team_id} cannot use models [${outside.join(', ')}]; a key of the team may only use the team's models [${team.models.join(', ')}]`;
  }
  return limitAbove(key, team, 'key', `team=${team.team_id}`);
}

export interface TeamState extends LimitSet {
  models: readonly string[];
  budget_duration: string | null;
  blocked: boolean;
}

export type TeamChange = LimitSet & {
  models?: string[];
  budget_duration?: string | null;
  blocked?: boolean;
  guardrails?: unknown;
  model_rpm_limit?: unknown;
  model_tpm_limit?: unknown;
  metadata_guardrails_changed?: boolean;
};

/**
 * A team admin may restrict their team but never widen it: limits only down (never to unlimited),
 * models only a subset, no budget window, block, guardrail or per-model limit changes.
 */
export function teamAdminChangeRefused(current: TeamState, change: TeamChange): string | null {
  for (const f of LIMIT_FIELDS) {
    if (!(f in change) || change[f] === undefined) continue;
    const next = change[f] ?? null;
    const now = current[f] ?? null;
    if (next === now) continue;
    if (next === null || (now !== null && next > now)) {
      return `Team admins cannot raise their team's ${f} (current=${now ?? 'unlimited'}, requested=${next ?? 'unlimited'}). Ask a proxy admin.`;
    }
  }
  if (change.models !== undefined) {
    const outside = current.models.length === 0 ? [] : modelsOutside(change.models, current.models);
    const widens = current.models.length > 0 && change.models.length === 0;
    if (outside.length > 0 || widens) {
      return `Team admins cannot add models to their team (not allowed now: [${widens ? 'all models' : outside.join(', ')}]). Ask a proxy admin.`;
    }
  }
  if (change.budget_duration !== undefined && change.budget_duration !== current.budget_duration) {
    return 'Team admins cannot change their team\'s budget_duration. Ask a proxy admin.';
  }
  if (change.blocked !== undefined && change.blocked !== current.blocked) return 'Team admins cannot block or unblock their team. Ask a proxy admin.';
  if (change.guardrails !== undefined || change.metadata_guardrails_changed) return 'Team admins cannot change their team\'s guardrails. Ask a proxy admin.';
  if (change.model_rpm_limit !== undefined || change.model_tpm_limit !== undefined) {
    return 'Team admins cannot change their team\'s per-model rate limits. Ask a proxy admin.';
  }
  return null;
}
