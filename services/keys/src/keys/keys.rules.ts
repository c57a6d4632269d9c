import { canModifyKey, isProxyAdmin, isTeamAdmin, isTeamMember, keyOutsideTeam, LimitSet, limitAbove, modelsOutside } from '../access/access.policy';
import { Caller } from '../access/caller';
import { requestedLimits, touchesLimits } from './keys.mapping';
import { KeyFieldsInput } from './keys.schemas';

export interface TeamView extends LimitSet {
  team_id: string;
  models: string[];
  team_member_permissions: string[] | null;
}

export interface OwnerView extends LimitSet {
  user_id: string;
  models: string[];
}

/** What a key write needs to be judged: the request, the key before and the team / owner after. */
export interface KeyWrite {
  caller: Caller;
  /** `/key/generate`, `/key/update`, `/key/regenerate`, `/user/new` */
  route: string;
  input: KeyFieldsInput;
  /** null on create */
  current: { token: string; user_id: string | null; team_id: string | null } | null;
  /** the key's user and team once the write is applied */
  userId: string | null;
  team: TeamView | null;
  userIsTeamMember: boolean;
  /** the owner's user row, for personal keys */
  owner: OwnerView | null;
}

/**
 * Who may write which key (LiteLLM's rules, closed where they leak): proxy admins anything; a team
 * admin keys of their team for its members, within the team's models and limits; a plain member
 * only their own key and only where the team's member permissions allow, never its limits; an
 * internal user only their own personal keys, within their own models and limits.
 * Returns the 403 message, or null when allowed.
 */
export function keyWriteRefusal(w: KeyWrite): string | null {
  const { caller: c, input } = w;
  if (isProxyAdmin(c)) return null;
  if (input.budget_id !== undefined && input.budget_id !== null) return 'Only proxy admins can attach a key to a budget tier (budget_id).';
  if (input.permissions !== undefined && input.permissions !== null && Object.keys(input.permissions).length > 0) {
    return 'Only proxy admins can set key permissions.';
  }
  if (w.current !== null && !canModifyKey(c, w.current)) return `You are not authorized to ${verb(w.route)} this key`;
  return w.team !== null ? teamKeyRefusal(w, w.team) : personalKeyRefusal(w);
}

function verb(route: string): string {
  return route.includes('regenerate') ? 'regenerate' : route.includes('update') ? 'update' : 'create';
}

function teamKeyRefusal(w: KeyWrite, team: TeamView): string | null {
  const c = w.caller;
  const admin = isTeamAdmin(c, team.team_id);
  const movedIn = w.current !== null && w.current.team_id !== team.team_id;
  if (!isTeamMember(c, team.team_id)) return `User=${c.userId} not assigned to team=${team.team_id}`;
  if (movedIn && !admin) return `User=${c.userId} is not a Proxy Admin or Team Admin for team=${team.team_id}. Only they can move keys into the team.`;
  if (!admin) {
    if (w.current === null && !(team.team_member_permissions ?? []).includes(w.route === '/user/new' ? '/key/generate' : w.route)) {
      return `Team member role user is not allowed to call ${w.route} for team=${team.team_id}: only team admins can, unless the team's team_member_permissions include it`;
    }
    if (w.userId !== c.userId) return `User can only create keys for themselves. Got user_id=${w.userId}, Your ID=${c.userId}`;
    if (w.current !== null && touchesLimits(w.input)) return 'Only team admins can change the budget, limits, models or team of a team key.';
  }
  if (w.userId !== null && !w.userIsTeamMember) {
    return `User=${w.userId} is not a member of the team=${team.team_id}. Check team members via \`/team/info\`.`;
  }
  return keyOutsideTeam(requestedLimits(w.input), team);
}

function personalKeyRefusal(w: KeyWrite): string | null {
  const c = w.caller;
  if (w.current !== null && w.current.team_id !== null && !isTeamAdmin(c, w.current.team_id)) {
    return `Only admins of team=${w.current.team_id} can take a key out of the team.`;
  }
  if (w.userId !== c.userId) {
    return w.current === null
      ? `User can only create keys for themselves. Got user_id=${w.userId}, Your ID=${c.userId}`
      : `User=${c.userId} is not allowed to update key=${w.current.token.slice(0, 8)}... to belong to user=${w.userId}`;
  }
  if (w.owner === null) return null;
  const req = requestedLimits(w.input);
  const outside = modelsOutside(req.models ?? [], w.owner.models);
  if (outside.length > 0) {
    return `user not allowed to access model. This user can only access models=[${w.owner.models.join(', ')}]. Tried to give a key [${outside.join(', ')}]`;
  }
  return limitAbove(req, w.owner, 'key', `user=${w.owner.user_id}`);
}
