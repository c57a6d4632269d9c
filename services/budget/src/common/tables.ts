import { Inject, Injectable } from '@nestjs/common';
import { BUDGET_OPTIONS, ResolvedBudgetOptions } from '../budget.options';

/** Schema-qualified table names (the schema is per deployment / per test run). */
@Injectable()
export class Tables {
  readonly budgets: string;
  readonly totals: string;
  readonly processed: string;
  readonly alerts: string;

  constructor(@Inject(BUDGET_OPTIONS) opts: ResolvedBudgetOptions) {
    const s = `"${opts.schema.replace(/"/g, '""')}"`;
    this.budgets = `${s}."budgets"`;
    this.totals = `${s}."spend_totals"`;
    this.processed = `${s}."processed_events"`;
    this.alerts = `${s}."alerts"`;
  }
}
