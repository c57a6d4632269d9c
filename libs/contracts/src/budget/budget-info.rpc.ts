import { defineRpc } from '../define';
import { ManagementRequest } from '../keys/management-request';
import { BudgetRow } from './budget.types';

/** /budget/info: the listed tiers (body {budgets: [...]} or query budget_id / budgets=a,b) */
export const BudgetInfo = defineRpc<ManagementRequest, BudgetRow[]>('budget', 'budget.budget.info');
