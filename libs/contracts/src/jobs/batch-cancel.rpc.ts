import { defineRpc } from '../define';
import { JobsRequest } from './jobs-request';
import { OpenAIBatchObject } from './openai-objects';

/** POST /v1/batches/{batch_id}/cancel. */
export const BatchCancel = defineRpc<JobsRequest, OpenAIBatchObject>('jobs', 'jobs.batch.cancel');
