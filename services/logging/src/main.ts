import '@tollgate/tracing/register';
import { runServiceProcess } from '@tollgate/service';
import { metricsRoute } from './health/metrics.route';
import { migrateLoggingDatabase, optionsFromConfig, startLoggingService } from './logging-service';
import { DEFAULT_HEALTH_PORT, resolveOptions } from './logging.options';

void runServiceProcess({
  service: 'logging',
  defaultHealthPort: DEFAULT_HEALTH_PORT,
  // logging's probes have always bound every interface, whatever HOST says
  healthHost: '0.0.0.0',
  validate: (config) => resolveOptions(optionsFromConfig(config)),
  migrate: (config) => migrateLoggingDatabase(optionsFromConfig(config)),
  start: (config, logger) => startLoggingService({ ...optionsFromConfig(config), healthPort: null, logger }),
  extraRoutes: (current) => ({ '/metrics': metricsRoute(() => current()?.metrics.registry) }),
});
