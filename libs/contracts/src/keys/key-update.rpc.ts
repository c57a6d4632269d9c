import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { KeyUpdateResponse } from './key.types';

/** POST /key/update: body `{ key, ...fields to change }`. */
export const KeyUpdate = defineRpc<ManagementRequest, KeyUpdateResponse>('keys', 'keys.key.update');
