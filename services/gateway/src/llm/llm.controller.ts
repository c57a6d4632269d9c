import { Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAY_RUNTIME, GatewayRuntime } from '../runtime';

/** OpenAI-compatible model routes; every one runs the same pipeline (RequestHandler). */
@Controller()
export class LlmController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly rt: GatewayRuntime) {}

  @Post(['v1/chat/completions', 'chat/completions'])
  chat(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.rt.handler.handle('chat', '/v1/chat/completions', req, reply);
  }

  @Post(['engines/:model/chat/completions', 'openai/deployments/:model/chat/completions'])
  chatForModel(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('model') model: string): Promise<void> {
    return this.rt.handler.handle('chat', '/v1/chat/completions', req, reply, model);
  }

  @Post(['v1/completions', 'completions'])
  completion(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.rt.handler.handle('completion', '/v1/completions', req, reply);
  }

  @Post(['engines/:model/completions', 'openai/deployments/:model/completions'])
  completionForModel(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('model') model: string): Promise<void> {
    return this.rt.handler.handle('completion', '/v1/completions', req, reply, model);
  }

  @Post(['v1/embeddings', 'embeddings'])
  embedding(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.rt.handler.handle('embedding', '/v1/embeddings', req, reply);
  }

  @Post(['engines/:model/embeddings', 'openai/deployments/:model/embeddings'])
  embeddingForModel(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('model') model: string): Promise<void> {
    return this.rt.handler.handle('embedding', '/v1/embeddings', req, reply, model);
  }

  @Post(['v1/audio/speech', 'audio/speech'])
  speech(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.rt.handler.handle('speech', '/v1/audio/speech', req, reply);
  }
}
