export * from './schema';
export * from './env';
export * from './load';
export * from './default-config';
export * from './logger';
