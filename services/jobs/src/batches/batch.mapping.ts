import { OpenAIBatchObject } from '@tollgate/contracts';
import { BatchRow } from './batches.repository';

export const BATCH_TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

/** The provider's batch object with Tollgate's ids for the batch and its files. */
export function toPublicBatch(row: BatchRow): OpenAIBatchObject {
  return {
    ...row.object,
    id: row.id,
    input_file_id: row.input_file_id,
    output_file_id: row.output_file_id,
    error_file_id: row.error_file_id,
  } as OpenAIBatchObject;
}
