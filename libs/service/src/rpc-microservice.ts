import 'reflect-metadata';
import { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from '@tollgate/config';
import { NamespacedNatsServer, RpcErrorFilter } from '@tollgate/messaging';
import { PinoNestLogger } from './pino-nest-logger';

/**
 * A service's Nest microservice on its NATS server, logging through pino, every RPC failure
 * mapped by RpcErrorFilter. Not listening yet: the caller listens when its own start-up order
 * allows it (logging creates partitions first), and closes the app if a later step fails.
 */
export async function createRpcMicroservice(module: DynamicModule, server: NamespacedNatsServer, logger: Logger): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(module, { strategy: server, logger: new PinoNestLogger(logger), abortOnError: false });
  app.useGlobalFilters(new RpcErrorFilter());
  return app;
}

/**
 * Drains the server's NATS connection so the RPCs in hand answer (Nest's transport would close it
 * outright). Never throws: shutdown goes on either way.
 */
export async function drainNats(server: NamespacedNatsServer): Promise<void> {
  const nc = server.connection;
  if (nc && !nc.isClosed()) await nc.drain().catch(() => undefined);
}
