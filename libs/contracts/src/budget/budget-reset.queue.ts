/**
 * BullMQ queue of the budget reset (one repeatable job scheduler shared by every budget replica;
 * the queue's Redis prefix is namespaced: `{<ns>:bull}`).
 */
export const BUDGET_RESET_QUEUE = 'budget-reset';
export const BUDGET_RESET_SCHEDULER_ID = 'budget-reset-every';
