import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { TeamUpdateResponse } from './team.types';

/** POST /team/update: body `{ team_id, ...fields }`. */
export const TeamUpdate = defineRpc<ManagementRequest, TeamUpdateResponse>('keys', 'keys.team.update');
