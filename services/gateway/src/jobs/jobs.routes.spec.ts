import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { BatchCreate, ErrorCode, JobsRequest, RpcDef, TollgateError } from '@tollgate/contracts';
import { AuthService } from '../auth/auth.service';
import { JobsRoutesDeps, registerJobsRoutes } from './jobs.routes';

const silent = { warn: () => undefined, error: () => undefined };

function app(seen: { def: RpcDef<JobsRequest, unknown>; req: JobsRequest }[], reply: unknown = { id: 'batch_1', object: 'batch' }) {
  const fastify = Fastify();
  registerJobsRoutes(fastify, {
    authenticate: async (h) => {
      if (h.authorization !== 'Bearer sk-good') throw new TollgateError(ErrorCode.AuthInvalid, 'bad key', { status: 401 });
      return { keyHash: 'h', isAdmin: false, userId: 'u', teamId: 't', keyAlias: null, teamAlias: null, key: { secret: 'never forwarded' } } as never;
    },
    bus: {
      request: (async (def: RpcDef<JobsRequest, unknown>, req: JobsRequest) => {
        seen.push({ def, req });
        if (req.params.batch_id === 'missing') throw new TollgateError(ErrorCode.NotFound, 'No batch found', { param: 'batch_id' });
        return reply;
      }) as JobsRoutesDeps['bus']['request'],
    },
    jobsInternalUrl: 'http://127.0.0.1:1',
    log: silent,
  });
  return fastify;
}

test('JSON routes forward the caller (identity only), body, query, params and routing headers', async () => {
  const seen: { def: RpcDef<JobsRequest, unknown>; req: JobsRequest }[] = [];
  const f = app(seen);
  const res = await f.inject({
    method: 'POST', url: '/v1/batches?x=1', headers: { authorization: 'Bearer sk-good', 'custom-llm-provider': 'azure', 'x-secret': 'no' },
    payload: { input_file_id: 'file-1', endpoint: '/v1/chat/completions' },
  });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { id: 'batch_1', object: 'batch' });
  assert.equal(seen[0]!.def, BatchCreate);
  assert.deepEqual(seen[0]!.req, {
    caller: { keyHash: 'h', isAdmin: false, userId: 'u', teamId: 't', keyAlias: null, teamAlias: null },
    body: { input_file_id: 'file-1', endpoint: '/v1/chat/completions' },
    query: { x: '1' },
    params: {},
    headers: { 'custom-llm-provider': 'azure' },
  });
  assert.equal((await f.inject({ method: 'GET', url: '/batches/b1', headers: { authorization: 'Bearer sk-good' } })).statusCode, 200, 'un-prefixed form');
  await f.close();
});

test('errors leave in the OpenAI shape', async () => {
  const f = app([]);
  const unauth = await f.inject({ method: 'GET', url: '/v1/files', headers: { authorization: 'Bearer sk-bad' } });
  assert.equal(unauth.statusCode, 401);
  assert.deepEqual(unauth.json(), { error: { message: 'bad key', type: 'auth_error', param: null, code: '401' } });
  const missing = await f.inject({ method: 'GET', url: '/v1/batches/missing', headers: { authorization: 'Bearer sk-good' } });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error.type, 'not_found_error');
  const down = await f.inject({ method: 'GET', url: '/v1/files/f1/content', headers: { authorization: 'Bearer sk-good' } });
  assert.equal(down.statusCode, 503, 'jobs listener unreachable');
  await f.close();
});

test('the gateway\'s AuthService plugs in as authenticate', () => {
  const auth = new AuthService(undefined);
  const deps: Pick<JobsRoutesDeps, 'authenticate'> = { authenticate: (h) => auth.authenticate(h) };
  assert.equal(typeof deps.authenticate, 'function');
});
