import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { UserUpdateResponse } from './user.types';

/** POST /user/update: body `{ user_id | user_email, ...fields }`. */
export const UserUpdate = defineRpc<ManagementRequest, UserUpdateResponse>('keys', 'keys.user.update');
