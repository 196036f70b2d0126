export * from './repo';
export * from './kpt';
