import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '@tollgate/config';
import { ErrorCode, JOBS_INTERNAL_HEADERS, JOBS_INTERNAL_PATHS, TollgateError, verifyJobsCaller } from '@tollgate/contracts';
import { FilesService } from '../files/files.service';
import { UploadService } from './upload.service';

export interface InternalServerDeps {
  upload: UploadService;
  files: FilesService;
  secret: string | undefined;
  logger: Logger;
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

/** The listener trusts the caller header only when signed: without a secret it must listen on loopback only. */
export function assertInternalListenerSafe(host: string, secret: string | undefined): void {
  if (!secret && !isLoopback(host)) {
    throw new Error(`JOBS_INTERNAL_HOST=${host} is reachable from other machines: set JOBS_INTERNAL_SECRET (the gateway signs the caller with it)`);
  }
}

/**
 * The jobs service's internal HTTP listener: the gateway pipes `POST /v1/files` bodies in and file
 * content out, so files never cross NATS nor sit whole in memory. It trusts the caller header only
 * when signed with the shared secret; without a secret it must listen on loopback only.
 */
export async function startInternalServer(deps: InternalServerDeps, port: number, host: string): Promise<{ port: number; close(): Promise<void> }> {
  assertInternalListenerSafe(host, deps.secret);
  const server: Server = createServer((req, res) => {
    handle(deps, req, res).catch((e: unknown) => fail(deps, req, res, e));
  });
  server.requestTimeout = 0; // uploads may take long; undici's idle timeouts guard the provider side
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

async function handle(deps: InternalServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://internal');
  const caller = verifyJobsCaller(req.headers, deps.secret);
  if (req.method === 'POST' && url.pathname === JOBS_INTERNAL_PATHS.upload) {
    const length = req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : undefined;
    const file = await deps.upload.upload(caller, {
      contentType: req.headers['content-type'],
      contentLength: Number.isFinite(length) ? length : undefined,
      query: url.searchParams,
      headers: req.headers,
      body: req,
    });
    const text = JSON.stringify(file);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
    return;
  }
  const { contentPrefix, contentSuffix } = JOBS_INTERNAL_PATHS;
  if (req.method === 'GET' && url.pathname.startsWith(contentPrefix) && url.pathname.endsWith(contentSuffix)) {
    const id = decodeURIComponent(url.pathname.slice(contentPrefix.length, url.pathname.length - contentSuffix.length));
    const content = await deps.files.content(id, caller);
    const headers: Record<string, string> = { 'content-type': content.headers['content-type'] ?? 'application/octet-stream' };
    if (content.headers['content-length']) headers['content-length'] = content.headers['content-length'];
    res.writeHead(200, headers);
    await pipeline(content.body, res);
    return;
  }
  throw new TollgateError(ErrorCode.NotFound, `no internal route ${req.method} ${url.pathname}`);
}

function fail(deps: InternalServerDeps, req: IncomingMessage, res: ServerResponse, e: unknown): void {
  const err = e instanceof TollgateError ? e : new TollgateError(ErrorCode.Internal, 'internal error');
  if (err !== e) deps.logger.error({ err: (e as Error)?.message, path: req.url }, 'jobs internal listener failed');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(err.toBody());
  // the rest of an unread upload is dropped with the connection
  res.writeHead(err.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), [JOBS_INTERNAL_HEADERS.error]: '1', connection: 'close' });
  res.end(text);
  if (!req.readableEnded) req.resume();
}
