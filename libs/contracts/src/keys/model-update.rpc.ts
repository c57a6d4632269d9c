import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { ModelRow } from './model.types';

/** POST /model/update: body `{ model_info: { id }, model_name?, litellm_params? }` (litellm_params and model_info merged). */
export const ModelUpdate = defineRpc<ManagementRequest, ModelRow>('keys', 'keys.model.update');
