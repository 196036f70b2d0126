export * from './types';
export * from './interpret';
export * from './read';
export * from './verify';
export * from './fleet-status';
export * from './format';
export * from './duration';
