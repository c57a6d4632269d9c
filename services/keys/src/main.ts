import '@tollgate/tracing/register';
import { runServiceProcess } from '@tollgate/service';
import { migrateKeysDatabase, optionsFromConfig, startKeysService } from './keys-service';
import { DEFAULT_HEALTH_PORT, resolveOptions } from './keys.options';

void runServiceProcess({
  service: 'keys',
  defaultHealthPort: DEFAULT_HEALTH_PORT,
  validate: (config) => resolveOptions(optionsFromConfig(config)),
  migrate: (config) => migrateKeysDatabase(optionsFromConfig(config)),
  start: (config, logger) => startKeysService({ ...optionsFromConfig(config), healthPort: null, logger }),
});
