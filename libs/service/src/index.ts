export * from './health-server';
export * from './pino-nest-logger';
export * from './process';
export * from './rpc-microservice';
