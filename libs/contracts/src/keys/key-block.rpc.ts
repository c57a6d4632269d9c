import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { KeyRow } from './key.types';

/** POST /key/block: body `{ key }`; answers the updated row. */
export const KeyBlock = defineRpc<ManagementRequest, KeyRow>('keys', 'keys.key.block');
