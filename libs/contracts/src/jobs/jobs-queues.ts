/**
 * BullMQ queues of the jobs service. The Redis key prefix is `nsKey(namespace, JOBS_QUEUE_PREFIX)`
 * (`<ns>:bull`), so deployments and test runs sharing one Redis never see each other's jobs.
 */
export const JOBS_QUEUE_PREFIX = 'bull';

export const JobsQueues = Object.freeze({
  /** one repeatable job (job scheduler `batch:<id>`) per open batch: polls status, charges cost once */
  batchPoll: 'jobs-batch-poll',
  /** one repeatable job (`ftjob:<id>`) per open fine-tuning job */
  fineTuningPoll: 'jobs-fine-tuning-poll',
});

/** The data of a poll job: which row to poll, and the W3C trace context of the call that opened it. */
export interface JobsPollData {
  id: string;
  trace: Record<string, string>;
}
