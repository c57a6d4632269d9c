import { defineRpc } from '../define';

/** `team`, `customer`, `api_key`: LiteLLM's `/global/spend/report` shapes; `model` and `day`: Tollgate's. */
export const SPEND_REPORT_GROUPS = ['team', 'customer', 'api_key', 'model', 'day'] as const;
export type SpendReportGroupBy = (typeof SPEND_REPORT_GROUPS)[number];

/**
 * `GET /global/spend/report`. start_date and end_date are required (YYYY-MM-DD, end day
 * inclusive). group_by defaults to `team`, or to `api_key` when api_key / internal_user_id is given
 * (as LiteLLM answers those). Every filter given is applied.
 */
export interface SpendReportRequest {
  start_date: string;
  end_date: string;
  group_by?: SpendReportGroupBy;
  /** sha256 hash of the key */
  api_key?: string;
  internal_user_id?: string;
  team_id?: string;
  customer_id?: string;
}

/** spend of one (model, key) pair inside a team's or customer's day */
export interface SpendReportModelKeySpend {
  model: string;
  api_key: string;
  spend: number;
  total_tokens: number;
}

export interface SpendReportTeamDay {
  /** `2024-04-30T00:00:00+00:00` */
  group_by_day: string;
  teams: { team_name: string; team_id: string; total_spend: number; metadata: SpendReportModelKeySpend[] }[];
}

export interface SpendReportCustomerDay {
  group_by_day: string;
  customers: { customer: string; total_spend: number; metadata: SpendReportModelKeySpend[] }[];
}

export interface SpendReportModelDetail {
  model: string;
  total_cost: number;
  total_input_tokens: number;
  total_output_tokens: number;
}

/** group_by=api_key, highest total_cost first */
export interface SpendReportApiKey {
  api_key: string;
  total_cost: number;
  total_input_tokens: number;
  total_output_tokens: number;
  model_details: SpendReportModelDetail[];
}

/** group_by=model, highest total_cost first */
export interface SpendReportModel {
  model: string;
  total_cost: number;
  total_input_tokens: number;
  total_output_tokens: number;
  total_tokens: number;
  api_requests: number;
}

/** group_by=day, oldest first */
export interface SpendReportDay {
  group_by_day: string;
  total_spend: number;
  total_input_tokens: number;
  total_output_tokens: number;
  total_tokens: number;
  api_requests: number;
}

export type SpendReportReply =
  | SpendReportTeamDay[]
  | SpendReportCustomerDay[]
  | SpendReportApiKey[]
  | SpendReportModel[]
  | SpendReportDay[];

export const SpendReport = defineRpc<SpendReportRequest, SpendReportReply>('logging', 'logging.spend.report');
