import { OpenAIFineTuningJob } from '@tollgate/contracts';
import { FineTuningRow } from './fine-tuning.repository';

export const FT_TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** The provider's job object with Tollgate's ids for the job and its files. */
export function toPublicJob(row: FineTuningRow): OpenAIFineTuningJob {
  return { ...row.object, id: row.id, training_file: row.training_file_id, validation_file: row.validation_file_id } as OpenAIFineTuningJob;
}
