import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { UserListResponse } from './user.types';

/** GET /user/list?role&user_ids&user_email&team&page&page_size&sort_by&sort_order */
export const UserList = defineRpc<ManagementRequest, UserListResponse>('keys', 'keys.user.list');
