/** `model_max_budget` entry; LiteLLM accepts both spellings (budget_limit / time_period are the documented aliases). */
export interface ModelMaxBudgetEntry {
  budget_limit?: number;
  max_budget?: number;
  time_period?: string;
  budget_duration?: string;
  rpm_limit?: number;
  tpm_limit?: number;
}

/** LiteLLM_BudgetTable: a budget / rate-limit tier. Money is a float at this edge (NUMERIC inside). */
export interface BudgetRow {
  budget_id: string;
  max_budget: number | null;
  soft_budget: number | null;
  max_parallel_requests: number | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  model_max_budget: Record<string, ModelMaxBudgetEntry> | null;
  budget_duration: string | null;
  budget_reset_at: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

/** One row of GET /budget/settings. */
export interface BudgetSettingsField {
  field_name: string;
  field_type: 'Integer' | 'Float' | 'String' | 'Object';
  field_description: string;
  field_value: unknown;
  stored_in_db: boolean;
  field_default_value: unknown;
  premium_field: boolean;
  nested_fields: null;
}
