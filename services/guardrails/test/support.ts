import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

export const NATS_URL = 'nats://127.0.0.1:4222';

export function runId(): string {
  return randomBytes(5).toString('hex');
}

export interface SeenRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- whatever JSON the service sent; each test asserts its shape
}

/** A route answers with [status, json], or `'hang'` to never answer. */
export type Route = (body: any, req: IncomingMessage) => [number, unknown] | 'hang'; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A vendor API stand-in on 127.0.0.1 that records what it was sent. */
export class MockVendor {
  readonly seen: SeenRequest[] = [];
  private readonly sockets = new Set<Socket>();
  private server!: Server;
  base = '';

  constructor(private readonly routes: Record<string, Route>) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  requests(path: string): SeenRequest[] {
    return this.seen.filter((s) => s.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? JSON.parse(text) : null;
    const path = (req.url ?? '').split('?')[0];
    this.seen.push({ path, headers: req.headers, body });
    const route = this.routes[path];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const out = route(body, req);
    if (out === 'hang') return;
    res.writeHead(out[0], { 'content-type': 'application/json' }).end(JSON.stringify(out[1]));
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}
