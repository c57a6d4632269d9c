import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Agent, Dispatcher } from 'undici';
import {
  ErrorCode, isRpcErrorBody, JOBS_FORWARDED_HEADERS, JOBS_HTTP_ROUTES, JOBS_INTERNAL_HEADERS, JOBS_INTERNAL_PATHS, JobsCaller,
  jobsCallerHeaders, jobsInternalContentPath, JobsRequest, RpcDef, TollgateError,
} from '@tollgate/contracts';
import type { Bus } from '@tollgate/messaging';
import { asTollgateError, toOpenAIError } from '../errors/openai-error';

type HeaderBag = Record<string, string | string[] | undefined>;

export interface JobsRoutesDeps {
  /** authenticates the key (throws the usual auth TollgateError) */
  authenticate(headers: HeaderBag): Promise<JobsCaller>;
  bus: Pick<Bus, 'request'>;
  /** the jobs service's internal listener(s): config.env.jobsInternalUrl, one URL or a comma-separated list (one per replica; used in turn) */
  jobsInternalUrl: string;
  /** config.env.jobsInternalSecret: signs the caller header (required when the listener is not on loopback) */
  internalSecret?: string;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** RPC timeout (default 30 s: these calls wait on the provider) */
  timeoutMs?: number;
}

const PREFIXES = ['/v1', ''] as const;

/**
 * `/v1/files`, `/v1/batches`, `/v1/fine_tuning/jobs` (and the un-prefixed forms): JSON routes are
 * forwarded over NATS to the jobs service with the authenticated caller; file upload and content
 * stream to and from the jobs service's internal listener (undici, no buffering: the multipart
 * body is never parsed here). Registered in its own Fastify scope so its multipart parser, which
 * leaves the body unread, applies to these routes only.
 */
export function registerJobsRoutes(fastify: FastifyInstance, deps: JobsRoutesDeps): void {
  const agent = new Agent({ keepAliveTimeout: 30_000, headersTimeout: 300_000, bodyTimeout: 300_000 });
  const bases = deps.jobsInternalUrl.split(',').map((u) => u.trim().replace(/\/+$/, '')).filter(Boolean);
  if (bases.length === 0) throw new Error('registerJobsRoutes: jobsInternalUrl is empty');
  let turn = 0;
  // every replica can take any upload or download (the rows are shared in Postgres)
  const base = (): string => bases[turn++ % bases.length]!;
  fastify.addHook('onClose', async () => agent.close());
  void fastify.register(async (scope) => {
    scope.addContentTypeParser('multipart/form-data', (_req, _payload, done) => done(null, undefined));
    for (const prefix of PREFIXES) {
      for (const route of JOBS_HTTP_ROUTES) {
        scope.route({ method: route.method, url: `${prefix}${route.path}`, handler: (req, reply) => forwardRpc(deps, route.rpc, req, reply) });
      }
      scope.post(`${prefix}/files`, (req, reply) => upload(deps, agent, base(), req, reply));
      scope.get(`${prefix}/files/:file_id/content`, (req, reply) => content(deps, agent, base(), req, reply));
    }
  });
}

async function forwardRpc(deps: JobsRoutesDeps, rpc: RpcDef<JobsRequest, unknown>, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  try {
    const caller = await callerOf(deps, req.headers);
    const body = req.body === undefined || req.body === null ? {} : req.body;
    if (typeof body !== 'object' || Array.isArray(body)) throw new TollgateError(ErrorCode.InvalidJson, 'Request body must be a JSON object', { status: 400 });
    const request: JobsRequest = {
      caller,
      body: body as Record<string, unknown>,
      query: stringRecord(req.query),
      params: stringRecord(req.params),
      headers: forwardedHeaders(req.headers),
    };
    const result = await deps.bus.request(rpc, request, { timeoutMs: deps.timeoutMs ?? 30_000 });
    void reply.code(200).header('content-type', 'application/json').send(JSON.stringify(result));
  } catch (e) {
    sendError(deps, reply, e, req.url);
  }
}

async function upload(deps: JobsRoutesDeps, agent: Agent, base: string, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  try {
    const caller = await callerOf(deps, req.headers);
    const contentType = one(req.headers['content-type']);
    if (!contentType || !/^multipart\/form-data/i.test(contentType)) {
      throw new TollgateError(ErrorCode.BadRequest, 'POST /v1/files takes multipart/form-data (fields: file, purpose)', { status: 400, param: 'file' });
    }
    const headers: Record<string, string> = { ...forwardedHeaders(req.headers), ...jobsCallerHeaders(caller, deps.internalSecret), 'content-type': contentType };
    const length = one(req.headers['content-length']);
    if (length) headers['content-length'] = length;
    const res = await internal(agent, `${base}${JOBS_INTERNAL_PATHS.upload}${queryOf(req.url)}`, { method: 'POST', headers, body: req.raw });
    await relay(res, reply);
  } catch (e) {
    req.raw.resume();
    sendError(deps, reply, e, req.url);
  }
}

async function content(deps: JobsRoutesDeps, agent: Agent, base: string, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  try {
    const caller = await callerOf(deps, req.headers);
    const fileId = (req.params as Record<string, string>).file_id ?? '';
    const res = await internal(agent, `${base}${jobsInternalContentPath(fileId)}`, { method: 'GET', headers: jobsCallerHeaders(caller, deps.internalSecret) });
    await relay(res, reply);
  } catch (e) {
    sendError(deps, reply, e, req.url);
  }
}

async function internal(agent: Agent, url: string, opts: { method: Dispatcher.HttpMethod; headers: Record<string, string>; body?: Dispatcher.DispatchOptions['body'] }): Promise<Dispatcher.ResponseData> {
  try {
    return await agent.request({ origin: new URL(url).origin, path: url.slice(new URL(url).origin.length), ...opts });
  } catch (e) {
    throw new TollgateError(ErrorCode.DependencyUnavailable, `jobs service unavailable (${(e as Error).message})`, { status: 503 });
  }
}

/** Streams the listener's answer out; its errors arrive as RPC error bodies and leave in OpenAI's shape. */
async function relay(res: Dispatcher.ResponseData, reply: FastifyReply): Promise<void> {
  if (res.headers[JOBS_INTERNAL_HEADERS.error]) {
    const body: unknown = await res.body.json().catch(() => undefined);
    throw isRpcErrorBody(body) ? TollgateError.fromBody(body) : new TollgateError(ErrorCode.Internal, 'jobs service error');
  }
  const type = one(res.headers['content-type']);
  const length = one(res.headers['content-length']);
  void reply.code(res.statusCode);
  if (type) void reply.header('content-type', type);
  if (length) void reply.header('content-length', length);
  await reply.send(res.body);
}

function sendError(deps: JobsRoutesDeps, reply: FastifyReply, e: unknown, url: string): void {
  const err = asTollgateError(e);
  if (err !== e) deps.log.error({ err: (e as Error)?.message, route: url.split('?')[0] }, 'jobs request failed');
  if (reply.sent) return;
  void reply.code(err.status).header('content-type', 'application/json').send(JSON.stringify(toOpenAIError(err)));
}

/** Only the identity crosses to the jobs service (an AuthContext also carries the whole resolved key). */
async function callerOf(deps: JobsRoutesDeps, headers: HeaderBag): Promise<JobsCaller> {
  const a = await deps.authenticate(headers);
  return { keyHash: a.keyHash, isAdmin: a.isAdmin, userId: a.userId, teamId: a.teamId, keyAlias: a.keyAlias, teamAlias: a.teamAlias };
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function forwardedHeaders(h: HeaderBag): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of JOBS_FORWARDED_HEADERS) {
    const v = one(h[name]);
    if (v) out[name] = v;
  }
  return out;
}

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v === undefined || v === null) return out;
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (typeof val === 'string') out[k] = val;
    else if (Array.isArray(val) && typeof val[0] === 'string') out[k] = val[0];
  }
  return out;
}

function queryOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? '' : url.slice(q);
}
