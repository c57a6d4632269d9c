import { defineConsumer } from '../define';
import { UsageStream } from '../usage/usage.stream';

/** The logging service's durable consumer: every usage event becomes one spend log row. */
export const SpendLogsConsumer = defineConsumer({
  stream: UsageStream,
  durable: 'logging_spend_logs',
  filterSubjects: ['usage.>'],
  ackWaitSeconds: 30,
  maxDeliver: -1,
});
