import { defineRpc } from '../define';
import { JobsRequest } from './jobs-request';
import { OpenAIBatchObject, OpenAIList } from './openai-objects';

/** GET /v1/batches (query limit, after): the caller's visible batches. */
export const BatchList = defineRpc<JobsRequest, OpenAIList<OpenAIBatchObject>>('jobs', 'jobs.batch.list');
