import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { HealthReply } from '@tollgate/contracts';

export interface HealthServerHandle {
  /** the port actually bound (0 asks for any free one) */
  port: number;
  close(): Promise<void>;
}

/** What an extra route answers: a string body is sent as is, anything else as JSON. */
export interface HealthRouteReply {
  status: number;
  body: unknown;
  /** default application/json */
  contentType?: string;
}

/** An extra GET route on the probes' port (logging's `/metrics`); a throw answers 500. */
export type HealthRoute = (req: IncomingMessage) => Promise<HealthRouteReply> | HealthRouteReply;

export interface HealthServerOptions {
  port: number;
  host: string;
  /** what `/health/ready` serves: 200 when `ready` is true, else 503, with the reply as the body */
  ready: () => Promise<HealthReply> | HealthReply;
  /** named in the `/health/live` body and in the 503 body when the check itself fails */
  service: string;
  /** more GET routes by path, e.g. `{ '/metrics': ... }` */
  extraRoutes?: Readonly<Record<string, HealthRoute>>;
}

/**
 * A backend service's probes port, on plain node:http so it answers before (and without) Nest:
 * GET /health/live is 200 while the process runs, GET /health/ready is 200 or 503 with the same
 * checks as the service's health RPC.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServerHandle> {
  const { service, extraRoutes = {} } = options;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: unknown, contentType = 'application/json'): void => {
      res.writeHead(status, { 'content-type': contentType });
      res.end(req.method === 'HEAD' ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: 'method not allowed' });
    if (path === '/health/live') return send(200, { status: 'ok', service });
    if (path === '/health/ready') {
      Promise.resolve()
        .then(options.ready)
        .then(
          (r) => send(r.ready ? 200 : 503, r),
          () => send(503, { service, ready: false, checks: {} }),
        );
      return;
    }
    const route = Object.prototype.hasOwnProperty.call(extraRoutes, path) ? extraRoutes[path] : undefined;
    if (route) {
      Promise.resolve()
        .then(() => route(req))
        .then(
          (r) => send(r.status, r.body, r.contentType),
          (e: unknown) => send(500, { error: e instanceof Error ? e.message : String(e) }),
        );
      return;
    }
    send(404, { error: 'not found' });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
