import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { TeamMemberAddResponse } from './team.types';

/** POST /team/member_add: body `{ team_id, member: Member | Member[], max_budget_in_team? }`. */
export const TeamMemberAdd = defineRpc<ManagementRequest, TeamMemberAddResponse>('keys', 'keys.team.member_add');
