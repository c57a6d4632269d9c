import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { ModelDeleteResponse } from './model.types';

/** POST /model/delete: body `{ id }`. */
export const ModelDelete = defineRpc<ManagementRequest, ModelDeleteResponse>('keys', 'keys.model.delete');
