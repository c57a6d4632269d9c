import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boundaryOf, readMultipart } from './mock/jobs-multipart';
import { MockJobsState, type MockJobsUpstreamOptions } from './mock/jobs-state';

export type { MockJobsUpstreamOptions } from './mock/jobs-state';

export interface MockJobsRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

export interface MockJobsUpstream {
  /** `http://127.0.0.1:<port>`: OpenAI base `${url}/v1`, Azure api_base `url` */
  url: string;
  requests: MockJobsRequest[];
  state: MockJobsState;
  /** the next N batch / fine-tuning retrievals answer 500 (to test the poller's backoff) */
  failRetrievals(n: number): void;
  close(): Promise<void>;
}

const PURPOSES = new Set(['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals']);
const ENDPOINTS = new Set(['/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/v1/responses']);

type Send = (status: number, body: unknown) => void;

/**
 * A local stand-in for the providers' Files, Batches and Fine-tuning APIs: OpenAI's paths under
 * `/v1` (Bearer key) and Azure OpenAI's under `/openai` (`api-key` header, `api-version` query
 * required). Uploads stream to a temp directory, never into memory. Batches and fine-tuning jobs
 * finish after the configured delays (see MockJobsState for the output file's content).
 */
export async function startMockJobsUpstream(opts: MockJobsUpstreamOptions = {}): Promise<MockJobsUpstream> {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-mock-jobs-'));
  const state = new MockJobsState(dir, opts);
  const requests: MockJobsRequest[] = [];
  let failing = 0;

  const server = createServer((req, res) => {
    const send: Send = (status, body) => {
      if (res.headersSent || res.destroyed) return;
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
    };
    handle(req, res, send).catch((e: unknown) => {
      req.resume();
      send(500, { error: { message: `mock jobs upstream crashed: ${String(e)}`, type: 'server_error', param: null, code: null } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, send: Send): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers });
    const azure = url.pathname.startsWith('/openai/');
    const prefix = azure ? '/openai' : '/v1';
    if (!url.pathname.startsWith(`${prefix}/`)) return drain(req, () => send(404, err(`Invalid URL (${req.method} ${url.pathname})`)));
    const denied = checkAuth(headers, azure, url, opts.apiKey);
    if (denied) return drain(req, () => send(denied.status, denied.body));
    const path = url.pathname.slice(prefix.length).split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    if (path[0] === 'files') return files(req, res, send, method, path.slice(1), url);
    const body = await readJson(req);
    if (body === undefined) return send(400, err('We could not parse the JSON body of your request.'));
    if (path[0] === 'batches') return batches(send, method, path.slice(1), body, url);
    if (path[0] === 'fine_tuning' && path[1] === 'jobs') return fineTuning(send, method, path.slice(2), body, url);
    send(404, err(`Invalid URL (${method} ${url.pathname})`));
  }

  async function files(req: IncomingMessage, res: ServerResponse, send: Send, method: string, rest: string[], url: URL): Promise<void> {
    if (rest.length === 0 && method === 'POST') {
      const boundary = boundaryOf(req.headers['content-type']);
      if (!boundary) return drain(req, () => send(400, err('Content-Type must be multipart/form-data with a boundary')));
      const upload = await readMultipart(req, boundary, state.newFilePath());
      const purpose = upload.fields.purpose;
      if (!upload.file) return send(400, err("Missing required parameter: 'file'.", 'file'));
      if (!purpose || !PURPOSES.has(purpose)) return send(400, err(`Invalid value for 'purpose': ${purpose ?? '(missing)'}.`, 'purpose'));
      const f = { id: state.nextId('file-'), bytes: upload.file.bytes, created_at: Math.floor(Date.now() / 1000), filename: upload.file.filename, purpose, path: upload.file.path };
      state.files.set(f.id, f);
      return send(200, state.fileObject(f));
    }
    if (rest.length === 0 && method === 'GET') {
      const purpose = url.searchParams.get('purpose');
      const data = [...state.files.values()].filter((f) => !purpose || f.purpose === purpose).map((f) => state.fileObject(f));
      return send(200, { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: false });
    }
    const f = state.files.get(rest[0] ?? '');
    if (!f) return send(404, err(`No such File object: ${rest[0]}`, 'id'));
    if (rest.length === 1 && method === 'GET') return send(200, state.fileObject(f));
    if (rest.length === 1 && method === 'DELETE') {
      state.files.delete(f.id);
      return send(200, { id: f.id, object: 'file', deleted: true });
    }
    if (rest.length === 2 && rest[1] === 'content' && method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(f.bytes) });
      createReadStream(f.path).pipe(res);
      return;
    }
    send(404, err('Invalid URL'));
  }

  function batches(send: Send, method: string, rest: string[], body: Record<string, unknown>, url: URL): void {
    if (rest.length === 0 && method === 'POST') {
      const input = typeof body.input_file_id === 'string' ? state.files.get(body.input_file_id) : undefined;
      if (!input) return send(400, err(`Invalid input_file_id: ${String(body.input_file_id)}`, 'input_file_id'));
      const endpoint = typeof body.endpoint === 'string' ? body.endpoint : '';
      if (!ENDPOINTS.has(endpoint)) return send(400, err(`Invalid endpoint: ${endpoint}`, 'endpoint'));
      if (body.completion_window !== '24h') return send(400, err('completion_window must be 24h', 'completion_window'));
      const b = {
        id: state.nextId('batch_'), createdMs: Date.now(), endpoint, input_file_id: input.id, completion_window: '24h',
        metadata: (body.metadata as Record<string, string> | undefined) ?? null, cancelledMs: null, output_file_id: null, error_file_id: null,
        counts: { total: 0, completed: 0, failed: 0 },
      };
      state.batches.set(b.id, b);
      return send(200, state.batchObject(b));
    }
    if (rest.length === 0 && method === 'GET') {
      const data = [...state.batches.values()].reverse().map((b) => state.batchObject(b));
      return send(200, page(data, url));
    }
    const b = state.batches.get(rest[0] ?? '');
    if (!b) return send(404, err(`No batch found with id '${rest[0]}'.`));
    if (rest.length === 1 && method === 'GET') {
      if (failing > 0) {
        failing--;
        return send(500, err('The server had an error while processing your request. (forced)'));
      }
      return send(200, state.batchObject(b));
    }
    if (rest[1] === 'cancel' && method === 'POST') {
      const status = state.batchStatus(b);
      if (status === 'completed' || status === 'cancelled') return send(400, err(`Cannot cancel a batch with status '${status}'.`));
      b.cancelledMs = Date.now();
      return send(200, state.batchObject(b));
    }
    send(404, err('Invalid URL'));
  }

  function fineTuning(send: Send, method: string, rest: string[], body: Record<string, unknown>, url: URL): void {
    if (rest.length === 0 && method === 'POST') {
      const training = typeof body.training_file === 'string' ? state.files.get(body.training_file) : undefined;
      if (!training) return send(400, err(`invalid training_file: ${String(body.training_file)}`, 'training_file'));
      if (typeof body.model !== 'string') return send(400, err("Missing required parameter: 'model'.", 'model'));
      const j = {
        id: state.nextId('ftjob-'), createdMs: Date.now(), model: body.model, training_file: training.id,
        validation_file: typeof body.validation_file === 'string' ? body.validation_file : null,
        hyperparameters: (body.hyperparameters as Record<string, unknown> | undefined) ?? {},
        suffix: typeof body.suffix === 'string' ? body.suffix : null, cancelledMs: null,
      };
      state.fineTunes.set(j.id, j);
      return send(200, state.fineTuneObject(j));
    }
    if (rest.length === 0 && method === 'GET') return send(200, page([...state.fineTunes.values()].reverse().map((j) => state.fineTuneObject(j)), url));
    const j = state.fineTunes.get(rest[0] ?? '');
    if (!j) return send(404, err(`Could not find fine-tune: ${rest[0]}`));
    if (rest.length === 1 && method === 'GET') {
      if (failing > 0) {
        failing--;
        return send(500, err('The server had an error while processing your request. (forced)'));
      }
      return send(200, state.fineTuneObject(j));
    }
    if (rest[1] === 'cancel' && method === 'POST') {
      const status = state.fineTuneStatus(j);
      if (status === 'succeeded' || status === 'cancelled') return send(400, err(`Job has already ${status}.`));
      j.cancelledMs = Date.now();
      return send(200, state.fineTuneObject(j));
    }
    if (rest[1] === 'events' && method === 'GET') return send(200, page(state.fineTuneEvents(j), url));
    send(404, err('Invalid URL'));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    state,
    failRetrievals: (n) => {
      failing = n;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function err(message: string, param: string | null = null): unknown {
  return { error: { message, type: 'invalid_request_error', param, code: null } };
}

function page(data: Record<string, unknown>[], url: URL): Record<string, unknown> {
  const after = url.searchParams.get('after');
  const limit = Number(url.searchParams.get('limit') ?? 20) || 20;
  const start = after ? data.findIndex((d) => d.id === after) + 1 : 0;
  const slice = data.slice(start, start + limit);
  return { object: 'list', data: slice, first_id: slice[0]?.id ?? null, last_id: slice.at(-1)?.id ?? null, has_more: start + limit < data.length };
}

function checkAuth(headers: Record<string, string>, azure: boolean, url: URL, apiKey: string | undefined): { status: number; body: unknown } | undefined {
  const bearer = headers.authorization?.startsWith('Bearer ') ? headers.authorization.slice(7) : undefined;
  if (azure) {
    if (!url.searchParams.get('api-version')) return { status: 404, body: { error: { code: '404', message: 'Resource not found' } } };
    const key = headers['api-key'] ?? bearer;
    if (!key || (apiKey !== undefined && key !== apiKey)) {
      return { status: 401, body: { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint.' } } };
    }
    return undefined;
  }
  if (apiKey === undefined) return undefined;
  if (bearer !== apiKey) return { status: 401, body: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } };
  return undefined;
}

function drain(req: IncomingMessage, then: () => void): void {
  req.resume();
  if (req.readableEnded) then();
  else req.once('end', then);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(raw);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
