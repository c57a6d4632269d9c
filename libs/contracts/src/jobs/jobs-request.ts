import { JobsCaller } from './jobs-caller';

/**
 * Every JSON jobs RPC takes the HTTP request as the gateway saw it (like ManagementRequest), so a
 * new route needs no gateway change. `headers` carries only the routing headers LiteLLM reads
 * (`custom-llm-provider`, `x-litellm-model`), never credentials.
 */
export interface JobsRequest {
  caller: JobsCaller;
  /** parsed JSON body ({} for GET) */
  body: Record<string, unknown>;
  /** query string, one value per name */
  query: Record<string, string>;
  /** path parameters: `file_id`, `batch_id`, `fine_tuning_job_id` */
  params: Record<string, string>;
  headers: Record<string, string>;
}

/** The request headers the gateway forwards to the jobs service (lower case). */
export const JOBS_FORWARDED_HEADERS = ['custom-llm-provider', 'x-litellm-model'] as const;
