import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProviderCall } from '../providers/provider';
import { RequestHandler } from './request-handler';

const ROUTES: { call: ProviderCall; route: string; paths: string[]; modelPaths: string[] }[] = [
  { call: 'chat', route: '/v1/chat/completions', paths: ['/v1/chat/completions', '/chat/completions'], modelPaths: ['/engines/:model/chat/completions', '/openai/deployments/:model/chat/completions'] },
  { call: 'completion', route: '/v1/completions', paths: ['/v1/completions', '/completions'], modelPaths: ['/engines/:model/completions', '/openai/deployments/:model/completions'] },
  { call: 'embedding', route: '/v1/embeddings', paths: ['/v1/embeddings', '/embeddings'], modelPaths: ['/engines/:model/embeddings', '/openai/deployments/:model/embeddings'] },
  { call: 'speech', route: '/v1/audio/speech', paths: ['/v1/audio/speech', '/audio/speech'], modelPaths: [] },
];

/**
 * The OpenAI-compatible model routes, registered on the gateway's Fastify instance directly: the
 * hot path skips Nest's router layer (guards, pipes, interceptors it does not use), which measured
 * as a few percent of the gateway's CPU. Every route runs the same pipeline (RequestHandler).
 */
export function registerLlmRoutes(fastify: FastifyInstance, handler: RequestHandler): void {
  for (const r of ROUTES) {
    for (const url of r.paths) {
      fastify.post(url, (req: FastifyRequest, reply: FastifyReply) => handler.handle(r.call, r.route, req, reply));
    }
    for (const url of r.modelPaths) {
      fastify.post(url, (req: FastifyRequest<{ Params: { model: string } }>, reply: FastifyReply) => handler.handle(r.call, r.route, req, reply, req.params.model));
    }
  }
}
