/**
 * A team deployment added with `/model/new` (`model_info.team_id` set). `model_name` is the team's
 * public name; the internal unique name LiteLLM generates is `model_info.internal_model_name`.
 */
export interface TeamDeployment {
  model_name: string;
  /** `model` is `provider/model` as in config.yaml; holds the provider api_key in the resolve reply only */
  litellm_params: { model: string; [param: string]: unknown };
  model_info: {
    id: string;
    team_id: string;
    team_public_model_name: string;
    internal_model_name: string;
    db_model: true;
    [field: string]: unknown;
  };
}

/** LiteLLM_ProxyModelTable row as `/model/new` and `/model/update` answer it (secrets removed). */
export interface ModelRow {
  model_id: string;
  model_name: string;
  litellm_params: Record<string, unknown>;
  model_info: Record<string, unknown>;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

/** `/model/info`: the DB (team) models the caller may see; the gateway adds config models. */
export interface ModelInfoResponse {
  data: TeamDeployment[];
}

export interface ModelDeleteResponse {
  message: string;
}
