import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { TeamRow } from './team.types';

/** POST /team/block: body `{ team_id }`. */
export const TeamBlock = defineRpc<ManagementRequest, TeamRow>('keys', 'keys.team.block');
