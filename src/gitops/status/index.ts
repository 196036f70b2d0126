export * from './types';
export * from './interpret';
export * from './read';
