import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The logging service's Prometheus metrics, in a registry of its own (not prom-client's global
 * one), so two service instances in one process (tests) never collide. Served on `/metrics`.
 */
export class LoggingMetrics {
  readonly registry = new Registry();

  readonly eventsConsumed = new Counter({
    name: 'tollgate_logging_events_consumed_total',
    help: 'Usage events consumed, by outcome: inserted (new row), duplicate (row already stored), rejected (can never become a row)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly insertBatchSeconds = new Histogram({
    name: 'tollgate_logging_insert_batch_duration_seconds',
    help: 'Time to write one consumed batch of spend log rows',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly insertBatchFailures = new Counter({
    name: 'tollgate_logging_insert_batch_failures_total',
    help: 'Batches whose write failed (they are redelivered)',
    registers: [this.registry],
  });

  readonly consumerPending = new Gauge({
    name: 'tollgate_logging_consumer_pending_messages',
    help: 'Usage events in JetStream not yet delivered to the spend-log consumer (num_pending, sampled)',
    registers: [this.registry],
  });

  readonly consumerAckPending = new Gauge({
    name: 'tollgate_logging_consumer_ack_pending_messages',
    help: 'Usage events delivered but not yet acked (num_ack_pending, sampled)',
    registers: [this.registry],
  });

  readonly callbackQueueSize = new Gauge({
    name: 'tollgate_logging_callback_queue_size',
    help: 'Payloads waiting in a logging callback queue',
    labelNames: ['callback'] as const,
    registers: [this.registry],
  });

  readonly callbackSent = new Counter({
    name: 'tollgate_logging_callback_sent_total',
    help: 'Payloads a logging callback delivered',
    labelNames: ['callback'] as const,
    registers: [this.registry],
  });

  readonly callbackFailures = new Counter({
    name: 'tollgate_logging_callback_failures_total',
    help: 'Failed delivery attempts of a logging callback (each retry counts)',
    labelNames: ['callback'] as const,
    registers: [this.registry],
  });

  readonly callbackDropped = new Counter({
    name: 'tollgate_logging_callback_dropped_total',
    help: 'Payloads a logging callback dropped: queue_full (queue at its bound) or retries_exhausted',
    labelNames: ['callback', 'reason'] as const,
    registers: [this.registry],
  });

  readonly retentionDeletedRows = new Counter({
    name: 'tollgate_logging_retention_deleted_rows_total',
    help: 'Spend log rows removed by the retention job (batched deletes)',
    registers: [this.registry],
  });

  readonly retentionDroppedPartitions = new Counter({
    name: 'tollgate_logging_retention_dropped_partitions_total',
    help: 'Whole monthly spend log partitions dropped by the retention job',
    registers: [this.registry],
  });

  readonly maintenanceRuns = new Counter({
    name: 'tollgate_logging_maintenance_runs_total',
    help: 'Maintenance job runs, by job and outcome',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
