import { defineRpc } from '../define';
import { ManagementRequest } from './management-request';
import { ModelRow } from './model.types';

/** POST /model/new: a team deployment (`model_info.team_id` required). */
export const ModelNew = defineRpc<ManagementRequest, ModelRow>('keys', 'keys.model.new');
