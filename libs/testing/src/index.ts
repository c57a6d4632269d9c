export * from './mock-upstream';
export * from './system';
export * from './mock-jobs-upstream';
