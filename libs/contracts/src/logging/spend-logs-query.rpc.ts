import { defineRpc } from '../define';
import { SpendLogRow } from './spend-log';

export interface SpendLogsQueryRequest {
  request_id?: string;
  /** sha256 hash of the key (the gateway hashes a raw sk- key before asking) */
  api_key?: string;
  user_id?: string;
  team_id?: string;
  /** YYYY-MM-DD or ISO timestamp; inclusive */
  start_date?: string;
  /** YYYY-MM-DD (inclusive, whole day) or ISO timestamp */
  end_date?: string;
  limit?: number;
  offset?: number;
}

export const SpendLogsQuery = defineRpc<SpendLogsQueryRequest, SpendLogRow[]>('logging', 'logging.spend_logs.query');
