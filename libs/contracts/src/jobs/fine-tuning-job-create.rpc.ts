import { defineRpc } from '../define';
import { JobsRequest } from './jobs-request';
import { OpenAIFineTuningJob } from './openai-objects';

/** POST /v1/fine_tuning/jobs: on the deployment that holds training_file; logged as acreate_fine_tuning_job. */
export const FineTuningJobCreate = defineRpc<JobsRequest, OpenAIFineTuningJob>('jobs', 'jobs.fine_tuning_job.create');
