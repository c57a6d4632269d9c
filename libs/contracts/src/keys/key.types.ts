/** A virtual key as the management API shows it (LiteLLM's LiteLLM_VerificationToken row). */
export interface KeyRow {
  /** sha256 hex of the raw key; the raw key itself is never stored */
  token: string;
  /** abbreviated display form `sk-...abcd` */
  key_name: string | null;
  key_alias: string | null;
  /** read-only here: written by the budget service */
  spend: number;
  max_budget: number | null;
  /** ISO timestamp, null = never expires */
  expires: string | null;
  models: string[];
  aliases: Record<string, unknown>;
  config: Record<string, unknown>;
  user_id: string | null;
  team_id: string | null;
  organization_id: string | null;
  max_parallel_requests: number | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  budget_duration: string | null;
  budget_reset_at: string | null;
  budget_id: string | null;
  /** holds model_rpm_limit, model_tpm_limit, guardrails, tags, … as LiteLLM does */
  metadata: Record<string, unknown>;
  allowed_cache_controls: string[];
  allowed_routes: string[];
  permissions: Record<string, unknown>;
  model_spend: Record<string, unknown>;
  model_max_budget: Record<string, unknown>;
  soft_budget_cooldown: boolean;
  blocked: boolean | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

/** `/key/generate` and `/key/regenerate`: the row, the request's fields echoed, and the raw key once. */
export type GenerateKeyResponse = KeyRow & {
  /** the raw `sk-` key: shown in this reply only */
  key: string;
  /** = token (the hash) */
  token_id: string;
  duration: string | null;
  [field: string]: unknown;
};

/** `/key/info`: `info` is the row without `token`. */
export interface KeyInfoResponse {
  key: string;
  info: Omit<KeyRow, 'token'>;
}

/** `/key/update`: the key as passed plus the updated row's fields. */
export type KeyUpdateResponse = Omit<KeyRow, 'token'> & { key: string; token: string };

export interface KeyDeleteResponse {
  /** exactly what was passed in */
  deleted_keys: string[];
}

export interface KeyListResponse {
  /** hashes, or full rows with `return_full_object=true` */
  keys: string[] | KeyRow[];
  total_count: number;
  current_page: number;
  total_pages: number;
}
