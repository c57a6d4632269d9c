import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { TeamMemberUpdateResponse } from './team.types';

/** POST /team/member_update: body `{ team_id, user_id | user_email, role?, max_budget_in_team?, tpm_limit?, rpm_limit? }`. */
export const TeamMemberUpdate = defineRpc<ManagementRequest, TeamMemberUpdateResponse>('keys', 'keys.team.member_update');
