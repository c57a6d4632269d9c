import { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig, TollgateConfig } from '@tollgate/config';
import { PriceTable } from '@tollgate/pricing';
import { AppModule } from './app.module';
import { fastifyErrorToTollgate, OpenAIErrorFilter } from './errors/http-exception.filter';
import { toOpenAIError } from './errors/openai-error';
import { registerJobsRoutes } from './jobs/jobs.routes';
import { registerLlmRoutes } from './llm/llm.routes';
import { registerManagementRoutes } from './management/management.routes';
import { createRuntime, GatewayRuntime } from './runtime';

export interface Gateway {
  app: NestFastifyApplication;
  runtime: GatewayRuntime;
  /** e.g. http://127.0.0.1:4000 */
  url: string;
  /** true from the first close() on: /health/ready answers 503 */
  readonly draining: boolean;
  /**
   * Graceful stop: /health/ready answers 503, after `delayMs` (default TOLLGATE_SHUTDOWN_DELAY_MS)
   * no new connection is accepted, in-flight requests and streams finish (each connection is
   * closed right after its response), then pending usage events are published and NATS drained.
   */
  close(opts?: { delayMs?: number }): Promise<void>;
}

/** How long an idle keep-alive connection may stay open once draining (a client may be about to use it). */
const IDLE_LINGER_MS = 1000;
const DRAIN_POLL_MS = 20;

/** Builds and starts the gateway; used by main.ts and by tests (port 0 = any free port). */
export async function startGateway(opts: { config?: TollgateConfig; port?: number; host?: string; prices?: PriceTable } = {}): Promise<Gateway> {
  const config = opts.config ?? loadConfig();
  const runtime = await createRuntime(config, opts.prices);
  // return503OnClosing: false: a request that arrives on an open connection while Fastify closes is
  // served, not refused (close() below waits for connections to end before Fastify closes anyway)
  const adapter = new FastifyAdapter({ bodyLimit: config.maxBodyBytes, logger: false, keepAliveTimeout: 65_000, forceCloseConnections: 'idle', return503OnClosing: false });
  const fastify = adapter.getInstance();
  const state = { draining: false, refusing: false };
  fastify.addHook('onRequest', (req, reply, done) => {
    if (state.refusing) void reply.header('connection', 'close');
    if (state.draining && req.url.split('?')[0] === '/health/ready') {
      void reply.code(503).header('content-type', 'application/json').send(JSON.stringify({ status: 'draining' }));
      return;
    }
    done();
  });
  fastify.setErrorHandler((error, _req, reply) => {
    const err = fastifyErrorToTollgate(error, config.maxBodyBytes);
    if (err.status >= 500) runtime.log.error({ err: error.message }, 'request failed before routing');
    void reply.code(err.status).header('content-type', 'application/json').send(JSON.stringify(toOpenAIError(err)));
  });
  // LiteLLM reads every body as JSON whatever its Content-Type; so does Tollgate (`curl -d` sends
  // application/x-www-form-urlencoded). Multipart uploads get their own parser in the jobs routes.
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      const err = e as Error & { statusCode?: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });
  registerLlmRoutes(fastify, runtime.handler);
  registerManagementRoutes(fastify, runtime);
  registerJobsRoutes(fastify, {
    authenticate: (headers) => runtime.auth.authenticate(headers),
    bus: runtime.bus,
    jobsInternalUrl: config.env.jobsInternalUrl,
    internalSecret: config.env.jobsInternalSecret,
    log: runtime.log,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.withRuntime(runtime), adapter, { logger: ['error', 'warn'], bodyParser: false });
  app.useGlobalFilters(new OpenAIErrorFilter(runtime.log, config.maxBodyBytes));
  const port = opts.port ?? config.env.port;
  const host = opts.host ?? config.env.host;
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`;
  let closing: Promise<void> | undefined;
  return {
    app,
    runtime,
    url,
    get draining() {
      return state.draining;
    },
    close: (closeOpts = {}) =>
      (closing ??= (async () => {
        state.draining = true;
        const delayMs = closeOpts.delayMs ?? config.env.shutdownDelayMs;
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        await drainConnections(app.getHttpServer() as Server, state);
        await app.close();
        await runtime.close();
      })()),
  };
}

/**
 * Stops accepting connections and waits until every open one has ended. Only the listening socket
 * is closed first (net.Server#close; http.Server#close would also drop idle keep-alive connections
 * at once, racing a client that is writing its next request on one): from then on every response
 * carries `Connection: close`, so each connection ends cleanly after the response in flight, and a
 * connection still idle after IDLE_LINGER_MS is closed. The caller's grace timer bounds the wait.
 */
async function drainConnections(server: Server, state: { refusing: boolean }): Promise<void> {
  if (!server.listening) return;
  state.refusing = true;
  let ended = false;
  const closed = new Promise<void>((resolve) =>
    NetServer.prototype.close.call(server, () => {
      ended = true;
      resolve();
    }),
  );
  const lingerUntil = Date.now() + IDLE_LINGER_MS;
  while (!ended) {
    if (Date.now() >= lingerUntil) server.closeIdleConnections();
    await Promise.race([closed, new Promise((r) => setTimeout(r, DRAIN_POLL_MS))]);
  }
}
