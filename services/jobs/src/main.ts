import '@tollgate/tracing/register';
import { runServiceProcess } from '@tollgate/service';
import { migrateJobsDatabase, optionsFromConfig, startJobsService } from './jobs-service';
import { DEFAULT_HEALTH_PORT, resolveOptions } from './jobs.options';
import { assertInternalListenerSafe } from './upload/internal-server';

void runServiceProcess({
  service: 'jobs',
  defaultHealthPort: DEFAULT_HEALTH_PORT,
  validate: (config) => {
    const options = optionsFromConfig(config);
    resolveOptions(options);
    // a listener that would trust unsigned callers from other machines is a bad config, not an outage
    if (options.internalPort !== null) assertInternalListenerSafe(options.internalHost ?? config.env.jobsInternalHost, options.internalSecret);
  },
  migrate: (config) => migrateJobsDatabase(optionsFromConfig(config)),
  start: (config, logger) => startJobsService({ ...optionsFromConfig(config), healthPort: null, logger }),
});
