import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { HealthReply } from '@tollgate/contracts';

/**
 * The probes' port: GET /health/live answers 200 while the process runs; GET /health/ready 200
 * when NATS is connected and Postgres and Redis answer, else 503 (body: the same checks as the RPC).
 */
export async function startHealthServer(check: () => Promise<HealthReply>, port: number, host: string): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: 'method not allowed' });
    if (path === '/health/live') return send(200, { status: 'ok', service: 'jobs' });
    if (path === '/health/ready') {
      check().then(
        (r) => send(r.ready ? 200 : 503, r),
        () => send(503, { service: 'jobs', ready: false, checks: {} }),
      );
      return;
    }
    send(404, { error: 'not found' });
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
