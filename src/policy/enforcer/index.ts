export * from './enforcer-config';
export * from './policy-enforcer-function';
export * from './package-validators';
