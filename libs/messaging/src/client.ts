/**
 * Everything but the NestJS server side: what a process that only calls, publishes and subscribes
 * needs (the gateway). Importing the full entry point would load @nestjs/microservices (~28 MB).
 */
export * from './connection';
export * from './bus';
export * from './jetstream';
export * from './batched-publisher';
export * from './jetstream-acks';
export * from './consumer';
export * from './broadcast';
