import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { messages } from './mock/anthropic';
import { MockExchange, readControls, type MockUpstreamOptions } from './mock/context';
import { forcedError, validationError, type Flavour, type MockError } from './mock/errors';
import { chatCompletions, completions, embeddings, models, speech } from './mock/openai';
import { isRecord } from './mock/text';

export type { MockUpstreamOptions, MockControls } from './mock/context';
export { countWords, mockAnswer, mockEmbedding, mockToolArguments, splitArguments, toolCallTokens, answerPieces, TOOL_ARGUMENT_PIECE } from './mock/text';
export { errorBody as mockErrorBody } from './mock/errors';

export interface RecordedRequest {
  method: string;
  /** path without the query string */
  path: string;
  query: Record<string, string>;
  /** lower-case names; repeated headers joined with `, ` */
  headers: Record<string, string>;
  /** the parsed JSON body, or undefined when the body was empty or not JSON */
  body: unknown;
  rawBody: string;
}

export interface MockUpstream {
  /** `http://127.0.0.1:<port>`; OpenAI base is `${url}/v1`, Anthropic base is `url`, Azure base is `url` */
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const AZURE_PREFIX = '/openai/deployments/';
const OPENAI_ROUTES: Record<string, string> = {
  '/chat/completions': 'chat',
  '/completions': 'completion',
  '/embeddings': 'embedding',
  '/audio/speech': 'speech',
};

/**
 * A local stand-in for the providers' real HTTP APIs (OpenAI, Azure OpenAI, Anthropic), for tests
 * and the benchmark. It speaks their wire formats, answers deterministically (see mock/text.ts),
 * records every request, and fails on demand:
 *   `x-mock-status: 400|401|429|500|503…` (or a model / deployment named `mock-error-<status>`),
 *   `x-mock-delay-ms: N`, `x-mock-chunk-delay-ms: N`,
 *   `x-mock-stream-error: after-N` (drop the connection after N events) / `event-after-N`.
 */
export async function startMockUpstream(opts: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const requests: RecordedRequest[] = [];
  const timers = new Map<NodeJS.Timeout, () => void>();
  let ids = 0;
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.set(t, resolve);
    });

  const server = createServer({ keepAlive: true }, (req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `mock upstream crashed: ${String(e)}`, type: 'server_error', param: null, code: null } }));
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
    }
    if (opts.record !== false) {
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: flatHeaders(req), body, rawBody: raw });
    }
    const route = resolveRoute(req.method ?? 'GET', url.pathname);
    const model = route.deployment ?? (isRecord(body) ? body.model : undefined);
    const controls = readControls(req, opts, model);
    const ex = new MockExchange(req, res, body, url.searchParams, controls, opts, route.flavour, sleep, () => ++ids);
    if (controls.delayMs > 0) await sleep(controls.delayMs);
    if (!ex.open) return;
    if (route.kind === 'unknown') return ex.error(validationError(route.flavour, 404, `Invalid URL (${req.method} ${url.pathname})`));
    const denied = checkAuth(req, route.flavour, opts);
    if (denied) return ex.error(denied);
    if (route.flavour === 'azure') {
      const problem = checkAzure(url, route.deployment ?? '', opts);
      if (problem) return ex.error(problem);
    }
    if (controls.status !== undefined) return ex.error(forcedError(route.flavour, controls.status, typeof model === 'string' ? model : ''));
    if (route.kind === 'models') return models(ex);
    if (!isRecord(body)) {
      return ex.error(validationError(route.flavour, 400, 'We could not parse the JSON body of your request. The body must be a JSON object.'));
    }
    const modelName = typeof model === 'string' ? model : '';
    switch (route.kind) {
      case 'chat':
        return chatCompletions(ex, body, modelName);
      case 'completion':
        return completions(ex, body, modelName);
      case 'embedding':
        return embeddings(ex, body, modelName);
      case 'speech':
        return speech(ex, body);
      case 'messages':
        return messages(ex, body);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: async () => {
      for (const [t, resolve] of timers) {
        clearTimeout(t);
        resolve();
      }
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

type RouteKind = 'chat' | 'completion' | 'embedding' | 'speech' | 'messages' | 'models' | 'unknown';

function resolveRoute(method: string, path: string): { kind: RouteKind; flavour: Flavour; deployment?: string } {
  if (path.startsWith(AZURE_PREFIX)) {
    const rest = path.slice(AZURE_PREFIX.length);
    const slash = rest.indexOf('/');
    const deployment = decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash));
    const kind = method === 'POST' && slash !== -1 ? OPENAI_ROUTES[rest.slice(slash)] : undefined;
    return { kind: (kind as RouteKind | undefined) ?? 'unknown', flavour: 'azure', deployment };
  }
  if (path === '/v1/messages') return { kind: method === 'POST' ? 'messages' : 'unknown', flavour: 'anthropic' };
  if (path === '/v1/models' && method === 'GET') return { kind: 'models', flavour: 'openai' };
  const kind = path.startsWith('/v1/') && method === 'POST' ? OPENAI_ROUTES[path.slice(3)] : undefined;
  return { kind: (kind as RouteKind | undefined) ?? 'unknown', flavour: 'openai' };
}

function checkAuth(req: IncomingMessage, flavour: Flavour, opts: MockUpstreamOptions): MockError | undefined {
  const h = req.headers;
  const bearer = typeof h.authorization === 'string' && h.authorization.startsWith('Bearer ') ? h.authorization.slice(7) : undefined;
  if (flavour === 'anthropic') {
    const key = h['x-api-key'];
    if (typeof key !== 'string' || key.length === 0) return validationError('anthropic', 401, 'x-api-key header is required');
    if (opts.apiKey !== undefined && key !== opts.apiKey) return validationError('anthropic', 401, 'invalid x-api-key');
    return undefined;
  }
  if (flavour === 'azure') {
    const key = typeof h['api-key'] === 'string' ? h['api-key'] : bearer;
    if (!key || (opts.apiKey !== undefined && key !== opts.apiKey)) return forcedError('azure', 401, '');
    return undefined;
  }
  if (opts.apiKey === undefined) return undefined;
  if (bearer === undefined) {
    return validationError('openai', 401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.");
  }
  if (bearer !== opts.apiKey) return validationError('openai', 401, 'Incorrect API key provided.', null, 'invalid_api_key');
  return undefined;
}

function checkAzure(url: URL, deployment: string, opts: MockUpstreamOptions): MockError | undefined {
  if (!url.searchParams.get('api-version')) return validationError('azure', 404, 'Resource not found', null, '404');
  if (opts.azureDeployments && !opts.azureDeployments.includes(deployment)) {
    return validationError('azure', 404, 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.', null, 'DeploymentNotFound');
  }
  return undefined;
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
