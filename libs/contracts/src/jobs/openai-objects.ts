/**
 * The OpenAI objects the jobs routes return. Provider objects are passed through (providers add
 * fields often), so these name the core fields and allow extra ones.
 */
export interface OpenAIFileObject {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status?: string;
  expires_at?: number | null;
  [extra: string]: unknown;
}

export interface OpenAIFileDeleted {
  id: string;
  object: 'file';
  deleted: boolean;
}

export type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

export interface OpenAIBatchObject {
  id: string;
  object: 'batch';
  endpoint: string;
  input_file_id: string;
  completion_window: string;
  status: BatchStatus;
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  request_counts?: { total: number; completed: number; failed: number };
  metadata?: Record<string, string> | null;
  [extra: string]: unknown;
}

export type FineTuningStatus = 'validating_files' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface OpenAIFineTuningJob {
  id: string;
  object: 'fine_tuning.job';
  model: string;
  created_at: number;
  finished_at: number | null;
  fine_tuned_model: string | null;
  status: FineTuningStatus;
  training_file: string;
  validation_file: string | null;
  trained_tokens: number | null;
  hyperparameters?: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface OpenAIFineTuningEvent {
  id: string;
  object: 'fine_tuning.job.event';
  created_at: number;
  level: string;
  message: string;
  [extra: string]: unknown;
}

export interface OpenAIList<T> {
  object: 'list';
  data: T[];
  first_id?: string | null;
  last_id?: string | null;
  has_more: boolean;
}
