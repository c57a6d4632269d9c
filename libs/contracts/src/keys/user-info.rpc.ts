import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { UserInfoResponse } from './user.types';

/** GET /user/info?user_id= */
export const UserInfo = defineRpc<ManagementRequest, UserInfoResponse>('keys', 'keys.user.info');
