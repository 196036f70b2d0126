// Nephio API v5.0.0 (R5): the cluster, workload and requirement kinds that NF packages carry.
export * from './workload-cluster';
export * from './nf-deployment';
export * from './nf-config';
export * from './config-ref';
export * from './capacity';
export * from './interface';
export * from './data-network';
export * from './dependency';
