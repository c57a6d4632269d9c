import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { GenerateKeyResponse } from './key.types';

/** POST /key/generate: body GenerateKeyRequest. */
export const KeyGenerate = defineRpc<ManagementRequest, GenerateKeyResponse>('keys', 'keys.key.generate');
