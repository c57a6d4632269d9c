import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { KeyInfoResponse } from './key.types';

/** GET /key/info?key= (raw key or hash; default: the caller's own key). */
export const KeyInfo = defineRpc<ManagementRequest, KeyInfoResponse>('keys', 'keys.key.info');
