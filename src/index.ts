export * from './repo';
export * from './kpt';
export { KRM_FUNCTIONS, findKrmFunction, catalogImage, runOnObjects, KrmFunction, KrmFunctionError, FunctionResult, FunctionOutput } from './kpt/functions';
export { runResourceList } from './kpt/resource-list';
export { configsync, porch, nephio, validateObject, validateKptfile, hasSchemaFor, SchemaViolation } from './apis';
export * from './network';
export * from './policy';
export * from './fleet';
export * from './gitops';
