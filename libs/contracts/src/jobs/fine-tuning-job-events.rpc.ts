import { defineRpc } from '../define';
import { JobsRequest } from './jobs-request';
import { OpenAIFineTuningEvent, OpenAIList } from './openai-objects';

/** GET /v1/fine_tuning/jobs/{fine_tuning_job_id}/events (query limit, after). */
export const FineTuningJobEvents = defineRpc<JobsRequest, OpenAIList<OpenAIFineTuningEvent>>('jobs', 'jobs.fine_tuning_job.events');
