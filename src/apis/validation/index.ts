export { SchemaViolation } from './schema-violation';
export { validateObject, hasSchemaFor } from './validate-object';
export { ValidationMemo } from './validation-memo';
export { validateKptfile, isValidImageReference, KPTFILE_API_VERSION, KPTFILE_KIND } from './kptfile';
export { checksUnknownCoreFields } from './core-kinds';
export { bundleCrds, CrdBundle, BundledKind, UncheckedRule } from './crd-to-json-schema';
export { convertKptfileSchema } from './kptfile-schema';
