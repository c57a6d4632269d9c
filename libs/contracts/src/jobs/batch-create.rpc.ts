import { defineRpc } from '../define';
import { JobsRequest } from './jobs-request';
import { OpenAIBatchObject } from './openai-objects';

/** POST /v1/batches: on the deployment that holds input_file_id; cost tracked until it ends. */
export const BatchCreate = defineRpc<JobsRequest, OpenAIBatchObject>('jobs', 'jobs.batch.create');
