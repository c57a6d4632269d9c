import { Job, Worker } from 'bullmq';
import type { Logger } from '@tollgate/config';
import { JobsPollData, JobsQueues } from '@tollgate/contracts';
import { context, extractTraceContext, SpanStatusCode, trace, tracer } from '@tollgate/tracing';
import { PollOutcome } from '../batches/batch-poller';
import { PollScheduler } from './poll-scheduler';

/** Thrown so BullMQ retries later: another worker holds the cost claim right now. */
class ClaimBusy extends Error {
  constructor(id: string) {
    super(`cost of ${id} is being charged by another worker; will check again`);
  }
}

/**
 * The BullMQ workers that run the pollers. Each poll runs in a span parented by the trace of the
 * request that created the batch / job (carried in the job data). A provider error fails the
 * attempt: BullMQ retries it with exponential backoff (POLL_ATTEMPTS); the next tick tries again.
 */
export function startPollWorkers(
  scheduler: PollScheduler,
  pollers: { batch: (id: string) => Promise<PollOutcome>; ftjob: (id: string) => Promise<PollOutcome> },
  logger: Logger,
): { close(): Promise<void> } {
  const make = (queue: string, kind: 'batch' | 'ftjob'): Worker<JobsPollData> =>
    new Worker<JobsPollData>(
      queue,
      async (job: Job<JobsPollData>) => {
        const parent = extractTraceContext(job.data.trace ?? {});
        const span = tracer().startSpan(`jobs poll ${kind}`, { attributes: { 'tollgate.job_id': job.data.id, 'tollgate.attempt': job.attemptsMade + 1 } }, parent);
        try {
          const outcome = await context.with(trace.setSpan(parent, span), () => pollers[kind](job.data.id));
          span.setAttribute('tollgate.outcome', outcome);
          if (outcome === 'busy') throw new ClaimBusy(job.data.id);
          return outcome;
        } catch (e) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
          throw e;
        } finally {
          span.end();
        }
      },
      { connection: scheduler.redis.duplicate({ maxRetriesPerRequest: null }), prefix: scheduler.prefix, concurrency: 4 },
    );
  const workers = [make(JobsQueues.batchPoll, 'batch'), make(JobsQueues.fineTuningPoll, 'ftjob')];
  for (const w of workers) {
    w.on('failed', (job, err) => logger.warn({ queue: w.name, job_id: job?.data.id, attempts: job?.attemptsMade, err: err.message }, 'poll attempt failed'));
    w.on('error', (err) => logger.warn({ queue: w.name, err: err.message }, 'poll worker error'));
  }
  return {
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(workers.map((w) => w.disconnect().catch(() => undefined)));
    },
  };
}
