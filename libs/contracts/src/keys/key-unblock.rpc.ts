import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { KeyRow } from './key.types';

/** POST /key/unblock: body `{ key }`; answers the updated row. */
export const KeyUnblock = defineRpc<ManagementRequest, KeyRow>('keys', 'keys.key.unblock');
