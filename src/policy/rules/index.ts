export * from './rule';
export * from './pod-spec';
export * from './image-digest';
export * from './resource-requirements';
export * from './no-privileged';
export * from './host-network';
export * from './no-secret-data';
