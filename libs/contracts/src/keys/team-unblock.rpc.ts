import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { TeamRow } from './team.types';

/** POST /team/unblock: body `{ team_id }`. */
export const TeamUnblock = defineRpc<ManagementRequest, TeamRow>('keys', 'keys.team.unblock');
