import '@tollgate/tracing/register';
import { runServiceProcess } from '@tollgate/service';
import { migrateBudgetDatabase, optionsFromConfig, startBudgetService } from './budget-service';
import { DEFAULT_HEALTH_PORT, resolveOptions } from './budget.options';

void runServiceProcess({
  service: 'budget',
  defaultHealthPort: DEFAULT_HEALTH_PORT,
  validate: (config) => resolveOptions(optionsFromConfig(config)),
  migrate: (config) => migrateBudgetDatabase(optionsFromConfig(config)),
  start: (config, logger) => startBudgetService({ ...optionsFromConfig(config), healthPort: null, logger }),
});
