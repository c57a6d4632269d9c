import type { ModelRow, TeamDeployment } from '@tollgate/contracts';
import { asRecord, isoNow } from '../common/rows';
import { TeamModelEntity } from './team-model.entity';

const SECRET = /(api_key|secret|token|password|credential|access_key)/i;

/** litellm_params without provider credentials: what any management reply shows */
export function redactParams(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([k]) => !SECRET.test(k)));
}

/** The deployment the gateway routes; `withSecrets` only for the auth-resolve reply. */
export function toDeployment(e: Pick<TeamModelEntity, 'model_id' | 'model_name' | 'team_id' | 'public_model_name' | 'litellm_params' | 'model_info'>, withSecrets: boolean): TeamDeployment {
  const params = asRecord(e.litellm_params);
  return {
    model_name: e.public_model_name,
    litellm_params: { ...(withSecrets ? params : redactParams(params)), model: String(params.model) },
    model_info: {
      ...asRecord(e.model_info),
      id: e.model_id,
      team_id: e.team_id,
      team_public_model_name: e.public_model_name,
      internal_model_name: e.model_name,
      db_model: true,
    },
  };
}

export function toModelRow(e: TeamModelEntity): ModelRow {
  const d = toDeployment(e, false);
  return {
    model_id: e.model_id,
    model_name: e.model_name,
    litellm_params: d.litellm_params,
    model_info: d.model_info,
    created_at: isoNow(e.created_at),
    created_by: e.created_by,
    updated_at: isoNow(e.updated_at),
    updated_by: e.updated_by,
  };
}
