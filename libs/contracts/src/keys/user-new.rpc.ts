import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { NewUserResponse } from './user.types';

/** POST /user/new: creates a user and (auto_create_key, default true) its first key. */
export const UserNew = defineRpc<ManagementRequest, NewUserResponse>('keys', 'keys.user.new');
