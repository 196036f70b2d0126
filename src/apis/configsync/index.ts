// ConfigSync (configsync.gke.io/v1beta1) as shipped with Nephio R5: config-sync v1.18.3.
export * from './rootsync.generated';
export * from './reposync.generated';
