import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { KeyListResponse } from './key.types';

/** GET /key/list?page&size&user_id&team_id&key_hash&key_alias&return_full_object&include_team_keys&sort_by&sort_order. */
export const KeyList = defineRpc<ManagementRequest, KeyListResponse>('keys', 'keys.key.list');
