import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { TeamInfoResponse } from './team.types';

/** GET /team/info?team_id= */
export const TeamInfo = defineRpc<ManagementRequest, TeamInfoResponse>('keys', 'keys.team.info');
