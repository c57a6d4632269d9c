import { KeysHttpRoute } from '../keys/keys-http-routes';
import { BudgetDelete } from './budget-delete.rpc';
import { BudgetInfo } from './budget-info.rpc';
import { BudgetList } from './budget-list.rpc';
import { BudgetNew } from './budget-new.rpc';
import { BudgetSettings } from './budget-settings.rpc';
import { BudgetUpdate } from './budget-update.rpc';

/** Every /budget/* route; the gateway forwards `{ caller, body, query, params }` exactly as for KEYS_HTTP_ROUTES. */
export const BUDGET_HTTP_ROUTES: readonly KeysHttpRoute[] = Object.freeze([
  { method: 'POST', path: '/budget/new', rpc: BudgetNew },
  { method: 'POST', path: '/budget/update', rpc: BudgetUpdate },
  { method: 'GET', path: '/budget/info', rpc: BudgetInfo },
  { method: 'POST', path: '/budget/info', rpc: BudgetInfo },
  { method: 'GET', path: '/budget/list', rpc: BudgetList },
  { method: 'POST', path: '/budget/delete', rpc: BudgetDelete },
  { method: 'GET', path: '/budget/settings', rpc: BudgetSettings },
] as KeysHttpRoute[]);
