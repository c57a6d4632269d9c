import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { HealthReply } from '@tollgate/contracts';
import { Registry } from 'prom-client';

export interface HealthServerHandle {
  port: number;
  close(): Promise<void>;
}

/**
 * The probes' and Prometheus' port: GET /health/live is 200 while the process runs;
 * GET /health/ready is 200 when NATS is connected, Postgres answers and the consumer runs, else
 * 503 (body: the same checks as the RPC); GET /metrics is the service's registry.
 */
export async function startHealthServer(
  check: () => Promise<HealthReply>,
  registry: Registry | (() => Registry | undefined),
  port: number,
  host: string,
): Promise<HealthServerHandle> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const send = (status: number, body: string, type = 'application/json'): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, JSON.stringify({ error: 'method not allowed' }));
    if (path === '/health/live') return send(200, JSON.stringify({ status: 'ok', service: 'logging' }));
    if (path === '/health/ready') {
      check().then(
        (r) => send(r.ready ? 200 : 503, JSON.stringify(r)),
        () => send(503, JSON.stringify({ service: 'logging', ready: false, checks: {} })),
      );
      return;
    }
    if (path === '/metrics') {
      // main.ts serves the probes before the service has started: no metrics yet then
      const reg = typeof registry === 'function' ? registry() : registry;
      if (!reg) return send(503, JSON.stringify({ error: 'not started' }));
      reg.metrics().then(
        (text) => send(200, text, reg.contentType),
        (e: Error) => send(500, JSON.stringify({ error: e.message })),
      );
      return;
    }
    send(404, JSON.stringify({ error: 'not found' }));
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
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
