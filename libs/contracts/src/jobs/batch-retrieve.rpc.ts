import { defineRpc } from '../define';
import { JobsRequest } from './jobs-request';
import { OpenAIBatchObject } from './openai-objects';

/** GET /v1/batches/{batch_id} (fresh from the provider; output/error file ids become Tollgate ids). */
export const BatchRetrieve = defineRpc<JobsRequest, OpenAIBatchObject>('jobs', 'jobs.batch.retrieve');
