import { TollgateError } from '@tollgate/contracts';
import { badRequest, conflict } from './errors';

/** A unique-index race (two writers passed the pre-check at once) becomes the same 4xx the pre-check gives. */
const UNIQUE_MESSAGES: Record<string, () => TollgateError> = {
  keys_key_alias_key: () => badRequest('Key with this alias already exists. Unique key aliases across all keys are required.', 'key_alias'),
  keys_pkey: () => badRequest('A key with this value already exists.', 'key'),
  users_pkey: () => conflict('User with this user_id already exists', 'user_id'),
  users_email_lower_key: () => conflict('User with this email already exists', 'user_email'),
  teams_pkey: () => badRequest('Team id already exists. Please use a different team id.', 'team_id'),
  team_members_pkey: () => badRequest('User already in team.', 'member'),
};

export function mapDbError(e: unknown): unknown {
  const pg = e as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = pg.driverError?.code ?? pg.code;
  const constraint = pg.driverError?.constraint ?? pg.constraint ?? '';
  if (code === '23505') {
    const make = UNIQUE_MESSAGES[constraint] ?? Object.entries(UNIQUE_MESSAGES).find(([k]) => constraint.endsWith(k))?.[1];
    return make ? make() : badRequest('A record with these values already exists.');
  }
  if (code === '23503') return badRequest('A referenced team or user does not exist (or still has keys).');
  return e;
}
