import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig, TollgateConfig } from '@tollgate/config';
import { PriceTable } from '@tollgate/pricing';
import { AppModule } from './app.module';
import { fastifyErrorToTollgate, OpenAIErrorFilter } from './errors/http-exception.filter';
import { toOpenAIError } from './errors/openai-error';
import { registerManagementRoutes } from './management/management.routes';
import { createRuntime, GatewayRuntime } from './runtime';

export interface Gateway {
  app: NestFastifyApplication;
  runtime: GatewayRuntime;
  /** e.g. http://127.0.0.1:4000 */
  url: string;
  close(): Promise<void>;
}

/** Builds and starts the gateway; used by main.ts and by tests (port 0 = any free port). */
export async function startGateway(opts: { config?: TollgateConfig; port?: number; host?: string; prices?: PriceTable } = {}): Promise<Gateway> {
  const config = opts.config ?? loadConfig();
  const runtime = await createRuntime(config, opts.prices);
  const adapter = new FastifyAdapter({ bodyLimit: config.maxBodyBytes, logger: false, keepAliveTimeout: 65_000 });
  const fastify = adapter.getInstance();
  fastify.setErrorHandler((error, _req, reply) => {
    const err = fastifyErrorToTollgate(error, config.maxBodyBytes);
    if (err.status >= 500) runtime.log.error({ err: error.message }, 'request failed before routing');
    void reply.code(err.status).header('content-type', 'application/json').send(JSON.stringify(toOpenAIError(err)));
  });
  registerManagementRoutes(fastify, runtime);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.withRuntime(runtime), adapter, { logger: ['error', 'warn'], bodyParser: true });
  app.useGlobalFilters(new OpenAIErrorFilter(runtime.log, config.maxBodyBytes));
  const port = opts.port ?? config.env.port;
  const host = opts.host ?? config.env.host;
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`;
  let closed = false;
  return {
    app,
    runtime,
    url,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await runtime.close();
    },
  };
}
