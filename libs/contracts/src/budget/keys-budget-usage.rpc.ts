import { defineRpc } from '../define';

/** Answered by the keys service (it owns keys.budget_id): how many keys use a tier. Asked before a tier is deleted. */
export const KeysBudgetUsage = defineRpc<{ budget_id: string }, { count: number }>('keys', 'keys.budget.usage');
