import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Flavour, MockError } from './errors';
import { streamErrorEvent } from './errors';

export interface MockUpstreamOptions {
  /** when set, requests must carry this key (`Authorization: Bearer`, `api-key`, `x-api-key`), else 401 */
  apiKey?: string;
  /** a fixed answer text instead of the echo of the last user message */
  reply?: string;
  /** embedding length when the request has no `dimensions` (default 8) */
  embeddingDimensions?: number;
  /** ids listed by `GET /v1/models` */
  models?: string[];
  /** when set, Azure deployments not in the list answer 404 DeploymentNotFound */
  azureDeployments?: string[];
  /** pause between stream chunks for every request (a request can set `x-mock-chunk-delay-ms`) */
  chunkDelayMs?: number;
  /** record requests in `requests` (default true; a benchmark turns it off) */
  record?: boolean;
}

/** Per-request controls read from `x-mock-*` headers. */
export interface MockControls {
  /** `x-mock-status: 429` (or a `mock-error-429` model / deployment): answer that error */
  status?: number;
  /** `x-mock-delay-ms: N`: wait before the response headers */
  delayMs: number;
  /** `x-mock-chunk-delay-ms: N`: wait between stream chunks */
  chunkDelayMs: number;
  /** `x-mock-stream-error: after-N` (drop the connection) or `event-after-N` (send the provider's error event, end) */
  streamError?: { mode: 'drop' | 'event'; after: number };
}

export interface SseOut {
  event?: string;
  data: string;
}

/** What a route handler gets. */
export class MockExchange {
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly body: unknown,
    readonly query: URLSearchParams,
    readonly controls: MockControls,
    readonly opts: MockUpstreamOptions,
    readonly flavour: Flavour,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly nextId: () => number,
  ) {}

  id(prefix: string): string {
    return `${prefix}${this.nextId()}`;
  }

  /** false once the client went away (a timeout test aborted) or the server is closing */
  get open(): boolean {
    return !this.res.destroyed && !this.res.writableEnded;
  }

  json(status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (!this.open) return;
    const text = JSON.stringify(body);
    this.res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
    this.res.end(text);
  }

  bytes(status: number, contentType: string, data: Buffer): void {
    if (!this.open) return;
    this.res.writeHead(status, { 'content-type': contentType, 'content-length': String(data.length) });
    this.res.end(data);
  }

  error(err: MockError): void {
    if (!this.open) return;
    const text = typeof err.body === 'string' ? err.body : JSON.stringify(err.body);
    this.res.writeHead(err.status, { ...err.headers, 'content-length': String(Buffer.byteLength(text)) });
    this.res.end(text);
  }

  /** Writes the events one `write` each, honouring the chunk delay and the stream-error control. */
  async sse(events: SseOut[]): Promise<void> {
    if (!this.open) return;
    this.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const failure = this.controls.streamError;
    let written: Promise<void> = Promise.resolve();
    for (let i = 0; i < events.length; i++) {
      if (failure && i === failure.after) {
        if (failure.mode === 'event') {
          this.res.end(frame(streamErrorEvent(this.flavour)));
        } else {
          // let the first chunks reach the client, then cut the connection without a final chunk
          await written;
          this.res.socket?.destroy();
        }
        return;
      }
      if (i > 0 && this.controls.chunkDelayMs > 0) {
        await this.sleep(this.controls.chunkDelayMs);
        if (!this.open) return;
      }
      if (failure) written = new Promise((resolve) => this.res.write(frame(events[i]), () => resolve()));
      else this.res.write(frame(events[i]));
    }
    this.res.end();
  }
}

function frame(e: SseOut): string {
  return e.event === undefined ? `data: ${e.data}\n\n` : `event: ${e.event}\ndata: ${e.data}\n\n`;
}

export function readControls(req: IncomingMessage, opts: MockUpstreamOptions, model: unknown): MockControls {
  const controls: MockControls = {
    delayMs: intHeader(req, 'x-mock-delay-ms') ?? 0,
    chunkDelayMs: intHeader(req, 'x-mock-chunk-delay-ms') ?? opts.chunkDelayMs ?? 0,
  };
  const status = intHeader(req, 'x-mock-status') ?? statusFromModel(model);
  if (status !== undefined && status >= 400) controls.status = status;
  const streamError = req.headers['x-mock-stream-error'];
  if (typeof streamError === 'string') {
    const m = /^(event-)?after-(\d+)$/.exec(streamError.trim());
    if (m) controls.streamError = { mode: m[1] ? 'event' : 'drop', after: Number(m[2]) };
  }
  return controls;
}

function statusFromModel(model: unknown): number | undefined {
  if (typeof model !== 'string') return undefined;
  const m = /mock-error-(\d{3})$/.exec(model);
  return m ? Number(m[1]) : undefined;
}

function intHeader(req: IncomingMessage, name: string): number | undefined {
  const v = req.headers[name];
  if (typeof v !== 'string') return undefined;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
