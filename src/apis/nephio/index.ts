// Nephio API v5.0.0 (R5): the cluster, workload and requirement kinds that NF packages carry.
export * from './workload-cluster.generated';
export * from './nf-deployment.generated';
export * from './nf-config.generated';
export * from './config-ref';
export * from './capacity.generated';
export * from './interface.generated';
export * from './data-network.generated';
export * from './dependency.generated';
