import { defineRpc } from '../define';
import { ManagementRequest } from '../keys/management-request';
import { BudgetRow } from './budget.types';

/** /budget/update: change the set fields of a tier; keys on it see the change on their next request */
export const BudgetUpdate = defineRpc<ManagementRequest, BudgetRow>('budget', 'budget.budget.update');
