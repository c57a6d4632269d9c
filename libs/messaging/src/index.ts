export * from './connection';
export * from './bus';
export * from './nest-server';
export * from './jetstream';
export * from './batched-publisher';
export * from './consumer';
export * from './broadcast';
