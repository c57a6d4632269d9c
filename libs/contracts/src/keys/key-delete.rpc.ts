import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { KeyDeleteResponse } from './key.types';

/** POST /key/delete: body `{ keys?: string[], key_aliases?: string[] }`. */
export const KeyDelete = defineRpc<ManagementRequest, KeyDeleteResponse>('keys', 'keys.key.delete');
