import { defineRpc } from '../define';
import { JobsRequest } from './jobs-request';
import { OpenAIFineTuningJob, OpenAIList } from './openai-objects';

/** GET /v1/fine_tuning/jobs (query limit, after, custom_llm_provider). */
export const FineTuningJobList = defineRpc<JobsRequest, OpenAIList<OpenAIFineTuningJob>>('jobs', 'jobs.fine_tuning_job.list');
