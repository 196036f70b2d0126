export * from './kptfile';
export * from './kpt-function';
export * from './kpt-package';
export * from './naming';
export * from './blueprint';
