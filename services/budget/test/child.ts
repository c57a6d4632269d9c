/*
 * A budget service in its own process, so a test can SIGKILL it mid-batch (no graceful close).
 * argv[2]: JSON { namespace, schema }.
 */
import { createLogger, readEnv } from '@tollgate/config';
import { startBudgetService } from '../src/budget-service';
import { DATABASE_URL, NATS_URL } from './support';

const { namespace, schema } = JSON.parse(process.argv[2]) as { namespace: string; schema: string };
const env = readEnv({ TOLLGATE_NAMESPACE: namespace, NATS_URL, LOG_LEVEL: 'warn' });
startBudgetService({ env, databaseUrl: DATABASE_URL, schema, logger: createLogger('budget', 'warn'), healthPort: null, resetIntervalMs: 500, projectionCheckMs: 500 }).then(
  () => process.send?.('ready'),
  (e: Error) => {
    console.error(e);
    process.exit(1);
  },
);
