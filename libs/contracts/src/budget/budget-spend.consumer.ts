import { defineConsumer } from '../define';
import { UsageStream } from '../usage/usage.stream';

/** The budget service's durable consumer of successful calls: the only path by which spend grows. */
export const BudgetSpendConsumer = defineConsumer({
  stream: UsageStream,
  durable: 'budget_spend',
  filterSubjects: ['usage.recorded'],
  ackWaitSeconds: 10,
  maxDeliver: -1,
});
