import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { TeamListResponse } from './team.types';

/** GET /team/list?user_id= */
export const TeamList = defineRpc<ManagementRequest, TeamListResponse>('keys', 'keys.team.list');
