import { nsKey } from '../define';

/**
 * The logging service's BullMQ queue: repeatable spend-log maintenance (retention, monthly
 * partitions). Job schedulers make one run per period across every replica. The queue name has
 * no namespace (BullMQ refuses `:` in it): the namespace is the Redis key prefix.
 */
export const SpendLogsMaintenanceQueue = Object.freeze({
  name: 'logging_spend_logs_maintenance',
  jobs: Object.freeze({ retention: 'retention', partitions: 'partitions' }),
  /** job scheduler ids */
  schedulers: Object.freeze({ retention: 'spend-logs-retention', partitions: 'spend-logs-partitions' }),
  /** `<ns>:bull`: the Redis key prefix of the queue */
  prefix: (ns: string): string => nsKey(ns, 'bull'),
});
