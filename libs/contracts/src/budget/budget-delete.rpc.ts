import { defineRpc } from '../define';
import { ManagementRequest } from '../keys/management-request';
import { BudgetRow } from './budget.types';

/** /budget/delete {id}: refused while a key still uses the tier */
export const BudgetDelete = defineRpc<ManagementRequest, BudgetRow>('budget', 'budget.budget.delete');
