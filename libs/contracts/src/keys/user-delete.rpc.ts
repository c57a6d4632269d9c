import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { UserDeleteResponse } from './user.types';

/** POST /user/delete: body `{ user_ids }`; also deletes their keys and memberships. */
export const UserDelete = defineRpc<ManagementRequest, UserDeleteResponse>('keys', 'keys.user.delete');
