export * from './mock-upstream';
export * from './system';
