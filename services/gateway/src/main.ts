import '@tollgate/tracing/register';
import { ConfigError, loadConfig } from '@tollgate/config';
import { shutdownTracing } from '@tollgate/tracing';
import { startGateway } from './bootstrap';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`tollgate gateway: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const gateway = await startGateway({ config });
  gateway.runtime.log.info(
    { url: gateway.url, config: config.source, models: gateway.runtime.router.modelNames(), auth: config.masterKey ? 'master key' : 'open (no master key set)' },
    'gateway listening',
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const graceMs = config.env.shutdownGraceMs;
    gateway.runtime.log.info({ signal, grace_ms: graceMs }, 'gateway draining');
    // whatever hangs (a stream that never ends, NATS unreachable), the process ends within the grace period
    setTimeout(() => {
      gateway.runtime.log.error({ grace_ms: graceMs, usage_events_pending: gateway.runtime.publisher.pending }, 'shutdown grace period over; exiting');
      process.exit(1);
    }, graceMs).unref();
    try {
      await gateway.close();
    } catch (e) {
      gateway.runtime.log.error({ err: (e as Error).message }, 'shutdown failed');
      await shutdownTracing();
      process.exit(1);
    }
    await shutdownTracing();
    gateway.runtime.log.info('gateway stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  process.stderr.write(`tollgate gateway failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});
