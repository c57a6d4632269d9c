import { defineRpc } from '../define';

/**
 * `GET /spend/logs?summarize=true&start_date=..&end_date=..` (LiteLLM's summarized view): one
 * entry per UTC day in the range. start_date and end_date are required (YYYY-MM-DD, end inclusive).
 */
export interface SpendLogsSummaryRequest {
  start_date: string;
  end_date: string;
  /** sha256 hash of the key (the gateway hashes a raw sk- key before asking) */
  api_key?: string;
  user_id?: string;
  team_id?: string;
  request_id?: string;
}

/**
 * `{"startTime": "2024-03-01", "spend": 1.5, "<api_key hash>": 1.5, "users": {"u1": 1.5},
 * "models": {"gpt-4o": 1.5}}`: spend per key sits at the top level under the key's hash, as LiteLLM
 * returns it. Days inside the range without spend are present with spend 0.
 */
export interface SpendLogsDaySummary {
  startTime: string;
  spend: number;
  users: Record<string, number>;
  models: Record<string, number>;
  [apiKeyHash: string]: string | number | Record<string, number>;
}

export const SpendLogsSummary = defineRpc<SpendLogsSummaryRequest, SpendLogsDaySummary[]>('logging', 'logging.spend_logs.summary');
