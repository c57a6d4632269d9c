import { defineStream } from '../define';

/** Durable budget facts for alerting (its subjects are not the budget RPC subjects). */
export const BudgetEventsStream = defineStream({
  name: 'BUDGET_EVENTS',
  subjects: ['budget_events.>'],
  duplicateWindowSeconds: 3600,
  maxAgeSeconds: 7 * 24 * 3600,
});
