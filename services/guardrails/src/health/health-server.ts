import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { HealthReply } from '@tollgate/contracts';

/**
 * `/health/live` (the process answers) and `/health/ready` (NATS is connected) for Kubernetes probes,
 * on their own small port: the service has no other HTTP surface.
 */
export async function startHealthServer(health: { check(): HealthReply }, host: string, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: 'method not allowed' });
    if (path === '/health/live') return send(200, { status: 'ok' });
    if (path === '/health/ready') {
      const reply = health.check();
      return send(reply.ready ? 200 : 503, reply);
    }
    send(404, { error: 'not found' });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
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
