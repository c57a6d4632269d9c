import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BUDGET_HTTP_ROUTES, ErrorCode, KEYS_HTTP_ROUTES, ManagementRequest, ModelInfo, ModelInfoResponse, RpcDef, TollgateError } from '@tollgate/contracts';
import { visibleModels } from '../auth/model-access';
import { asTollgateError, toOpenAIError } from '../errors/openai-error';
import { GatewayRuntime } from '../runtime';

function stringRecord(v: unknown, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (v === undefined || v === null) return out;
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (typeof val !== 'string') throw new TollgateError(ErrorCode.BadRequest, `${what} parameter ${k} must be given once`, { status: 400, param: k });
    out[k] = val;
  }
  return out;
}

/**
 * The management API of the keys service (`/key/*`, `/user/*`, `/team/*`, `/model/*`) and of the
 * budget service (`/budget/*`), forwarded over NATS from the route tables in contracts: the gateway says who calls, the keys service decides
 * what that caller may do. A new endpoint there needs no change here.
 */
export function registerManagementRoutes(fastify: FastifyInstance, rt: GatewayRuntime): void {
  for (const route of [...KEYS_HTTP_ROUTES, ...BUDGET_HTTP_ROUTES]) {
    fastify.route({
      method: route.method,
      url: route.path,
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        try {
          const caller = rt.auth.caller(req.headers);
          const body = req.body === undefined || req.body === null ? {} : req.body;
          if (typeof body !== 'object' || Array.isArray(body)) throw new TollgateError(ErrorCode.InvalidJson, 'Request body must be a JSON object', { status: 400 });
          const request: ManagementRequest = {
            caller,
            body: body as Record<string, unknown>,
            query: stringRecord(req.query, 'query'),
            params: stringRecord(req.params, 'path'),
          };
          let result = await rt.bus.request(route.rpc as RpcDef<ManagementRequest, unknown>, request, { timeoutMs: 10_000 });
          if (route.rpc === ModelInfo) result = await withConfigModels(rt, req, result as ModelInfoResponse);
          void reply.code(200).header('content-type', 'application/json').send(JSON.stringify(result));
        } catch (e) {
          const err = asTollgateError(e);
          if (err !== e) rt.log.error({ err: (e as Error)?.message, route: route.path }, 'management request failed');
          void reply.code(err.status).header('content-type', 'application/json').send(JSON.stringify(toOpenAIError(err)));
        }
      },
    });
  }
}

/** `/model/info` lists the config's deployments the caller may use beside the team's own (never an api key). */
async function withConfigModels(rt: GatewayRuntime, req: FastifyRequest, reply: ModelInfoResponse): Promise<ModelInfoResponse> {
  const auth = await rt.auth.authenticate(req.headers);
  const key = auth.key;
  const allowed = new Set(visibleModels(key, rt.router.modelNames(), (m) => rt.deployments.litellmModelsOf(m, key)));
  const config = rt.config.deployments
    .filter((d) => allowed.has(d.modelName))
    .map((d) => ({
      model_name: d.modelName,
      litellm_params: { model: d.litellmModel, ...(d.apiBase ? { api_base: d.apiBase } : {}), ...(d.apiVersion ? { api_version: d.apiVersion } : {}) },
      model_info: { id: d.id, db_model: false, ...(d.mode ? { mode: d.mode } : {}) },
    }));
  return { ...reply, data: [...(config as unknown as ModelInfoResponse['data']), ...reply.data] };
}
