import { defineRpc } from '../define';
import { ManagementRequest } from '../keys/management-request';
import { BudgetRow } from './budget.types';

/** /budget/new: create a tier (proxy admins only) */
export const BudgetNew = defineRpc<ManagementRequest, BudgetRow>('budget', 'budget.budget.new');
