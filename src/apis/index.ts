export * as configsync from './configsync';
export * as porch from './porch';
export * as nephio from './nephio';
export * from './validation';
