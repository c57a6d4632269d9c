import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { TeamRow } from './team.types';

/** POST /team/new */
export const TeamNew = defineRpc<ManagementRequest, TeamRow>('keys', 'keys.team.new');
