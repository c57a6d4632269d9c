import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { TeamDeleteResponse } from './team.types';

/** POST /team/delete: body `{ team_ids }`; also deletes the teams' keys and models. */
export const TeamDelete = defineRpc<ManagementRequest, TeamDeleteResponse>('keys', 'keys.team.delete');
