import { defineRpc } from '../define';
import { JobsRequest } from './jobs-request';
import { OpenAIFineTuningJob } from './openai-objects';

/** POST /v1/fine_tuning/jobs/{fine_tuning_job_id}/cancel. */
export const FineTuningJobCancel = defineRpc<JobsRequest, OpenAIFineTuningJob>('jobs', 'jobs.fine_tuning_job.cancel');
