import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { ModelInfoResponse } from './model.types';

/** GET /model/info?litellm_model_id=: the team deployments the caller may see. */
export const ModelInfo = defineRpc<ManagementRequest, ModelInfoResponse>('keys', 'keys.model.info');
