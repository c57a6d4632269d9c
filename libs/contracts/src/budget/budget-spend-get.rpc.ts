import { defineRpc } from '../define';

/** Entity kinds whose spend the budget service keeps (LiteLLM's key / user / team / team member + tier and key+model). */
export type SpendEntityType = 'key' | 'user' | 'team' | 'member' | 'keymodel' | 'tier';

export interface SpendEntityQuery {
  type: SpendEntityType;
  /** key hash, user id, team id, budget id; `member`: `<team>:<user>` and `keymodel`: `<hash>:<model>`, each part URI-encoded */
  id: string;
}

export interface SpendEntityTotal extends SpendEntityQuery {
  /** dollars (float, for display) */
  spend: number;
  /** exact pico-dollars as a decimal string */
  spend_pico: string;
  budget_duration: string | null;
  budget_reset_at: string | null;
}

/** Current spend from the budget service, the source of truth (the keys service's spend columns are informational). */
export const BudgetSpendGet = defineRpc<{ entities: SpendEntityQuery[] }, SpendEntityTotal[]>('budget', 'budget.spend.get');
