import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { TeamRow } from './team.types';

/** POST /team/member_delete: body `{ team_id, user_id | user_email }`. */
export const TeamMemberDelete = defineRpc<ManagementRequest, TeamRow>('keys', 'keys.team.member_delete');
