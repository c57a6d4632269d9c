import { defineEvent } from '../define';
import { BudgetEventsStream } from './budget-events.stream';
import { SpendEntityType } from './budget-spend-get.rpc';

/** LiteLLM's `soft_budget_crossed` alert: published once per entity per budget period (Nats-Msg-Id = alert_id). */
export interface SoftBudgetCrossedPayload {
  event: 'soft_budget_crossed';
  alert_id: string;
  entity_type: SpendEntityType;
  entity_id: string;
  budget_id: string | null;
  spend: number;
  soft_budget: number;
  max_budget: number | null;
  /** ISO time the spend that crossed it was applied */
  crossed_at: string;
}

export const SoftBudgetCrossed = defineEvent<SoftBudgetCrossedPayload>(BudgetEventsStream, 'budget_events.soft_budget_crossed');
