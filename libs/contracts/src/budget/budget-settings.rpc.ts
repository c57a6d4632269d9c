import { defineRpc } from '../define';
import { ManagementRequest } from '../keys/management-request';
import { BudgetSettingsField } from './budget.types';

/** /budget/settings?budget_id=: the tier's fields as LiteLLM's admin UI lists them */
export const BudgetSettings = defineRpc<ManagementRequest, BudgetSettingsField[]>('budget', 'budget.budget.settings');
