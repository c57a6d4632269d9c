import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { JOBS_QUEUE_PREFIX, JobsPollData, JobsQueues, nsKey } from '@tollgate/contracts';

export type PollKind = 'batch' | 'ftjob';

/** Attempts of one poll tick; provider errors retry with exponential backoff before the next tick. */
export const POLL_ATTEMPTS = 5;
export const POLL_BACKOFF_MS = 5_000;

/**
 * One BullMQ job scheduler (a repeatable job) per open batch / fine-tuning job, every
 * PROXY_BATCH_POLLING_INTERVAL, with its first run delayed by a random jitter so polls spread out.
 * Queues live under the namespaced prefix `<ns>:bull`.
 */
export class PollScheduler {
  readonly prefix: string;
  readonly queues: Record<PollKind, Queue<JobsPollData>>;
  private readonly connection: IORedis;

  constructor(redisUrl: string, namespace: string, private readonly intervalMs: number, private readonly jitterMs: number) {
    this.prefix = nsKey(namespace, JOBS_QUEUE_PREFIX);
    this.connection = new IORedis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.queues = {
      batch: new Queue<JobsPollData>(JobsQueues.batchPoll, { connection: this.connection, prefix: this.prefix }),
      ftjob: new Queue<JobsPollData>(JobsQueues.fineTuningPoll, { connection: this.connection, prefix: this.prefix }),
    };
  }

  get redis(): IORedis {
    return this.connection;
  }

  /** Idempotent: re-scheduling an open job (e.g. at start-up) keeps one scheduler per id. */
  async schedule(kind: PollKind, id: string, trace: Record<string, string>): Promise<void> {
    const jitter = this.jitterMs > 0 ? Math.floor(Math.random() * this.jitterMs) : 0;
    await this.queues[kind].upsertJobScheduler(
      schedulerId(kind, id),
      { every: this.intervalMs, startDate: Date.now() + this.intervalMs + jitter },
      { name: 'poll', data: { id, trace }, opts: jobOpts() },
    );
  }

  async unschedule(kind: PollKind, id: string): Promise<void> {
    await this.queues[kind].removeJobScheduler(schedulerId(kind, id));
  }

  /** One poll now (a caller saw the job finish): the row's state guard makes a repeat harmless. */
  async pollNow(kind: PollKind, id: string, trace: Record<string, string>): Promise<void> {
    await this.queues[kind].add('poll-now', { id, trace }, jobOpts());
  }

  async ping(): Promise<boolean> {
    return this.connection.ping().then((r) => r === 'PONG', () => false);
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
    this.connection.disconnect();
  }
}

export function schedulerId(kind: PollKind, id: string): string {
  return `${kind}-${id}`;
}

function jobOpts() {
  return {
    attempts: POLL_ATTEMPTS,
    backoff: { type: 'exponential' as const, delay: POLL_BACKOFF_MS },
    removeOnComplete: { count: 100 },
    removeOnFail: { count: 500 },
  };
}
