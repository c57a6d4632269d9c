import { defineRpc } from '../define';
import { ManagementRequest } from '../keys/management-request';
import { BudgetRow } from './budget.types';

/** /budget/list: every tier (proxy admins and viewers) */
export const BudgetList = defineRpc<ManagementRequest, BudgetRow[]>('budget', 'budget.budget.list');
