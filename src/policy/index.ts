export * from './severity';
export * from './rules';
export * from './rule-set';
export * from './policy-enforcement';
export * from './pod-security';
export * from './pod-security-admission';
export * from './network-isolation';
export * from './policy';
