import { defineRpc } from '../define';
import { JobsRequest } from './jobs-request';
import { OpenAIFineTuningJob } from './openai-objects';

/** GET /v1/fine_tuning/jobs/{fine_tuning_job_id}. */
export const FineTuningJobRetrieve = defineRpc<JobsRequest, OpenAIFineTuningJob>('jobs', 'jobs.fine_tuning_job.retrieve');
