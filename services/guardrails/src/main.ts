import '@tollgate/tracing/register';
import { runServiceProcess } from '@tollgate/service';
import { DEFAULT_HEALTH_PORT } from './guardrails.options';
import { optionsFromConfig, startGuardrailsService, validateGuardrailsConfig } from './guardrails-service';

void runServiceProcess({
  service: 'guardrails',
  defaultHealthPort: DEFAULT_HEALTH_PORT,
  validate: (config) => validateGuardrailsConfig(optionsFromConfig(config)),
  start: (config, logger) => startGuardrailsService({ ...optionsFromConfig(config), healthPort: null, logger }),
});
