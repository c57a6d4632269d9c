import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { GenerateKeyResponse } from './key.types';

/** POST /key/regenerate and POST /key/:key/regenerate (key in params or body; optional new_key and update fields). */
export const KeyRegenerate = defineRpc<ManagementRequest, GenerateKeyResponse>('keys', 'keys.key.regenerate');
