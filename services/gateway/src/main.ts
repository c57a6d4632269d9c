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
    gateway.runtime.log.info({ signal }, 'gateway draining');
    await gateway.close();
    await shutdownTracing();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  process.stderr.write(`tollgate gateway failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});
