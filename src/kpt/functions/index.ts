export {
  annotationOf,
  configData,
  configFromDocument,
  ConfigSource,
  describeValue,
  documentWithChanges,
  FieldPath,
  FieldTypeError,
  fileOf,
  formatPath,
  FunctionOutput,
  FunctionResult,
  GroupVersionKind,
  gvkOf,
  isGVK,
  isJsonObject,
  isLocalConfig,
  isYaml11NonString,
  JsonObject,
  KrmFunction,
  KrmFunctionError,
  ObjectEditor,
  PlainKrmFunction,
  PlainRunOutput,
  requireObject,
  resourceRefOf,
  runOnObjects,
  runPlainOnDocuments,
  scalarText,
  shortString,
  stringAt,
} from './krm-function';
export { catalogImage, findKrmFunction, functionNames, KRM_FUNCTIONS } from './registry';
export { setNamespace } from './set-namespace';
export { setLabels } from './set-labels';
export { setAnnotations } from './set-annotations';
export type { AnnotationFieldSpec } from './set-annotations';
export { applySetters } from './apply-setters';
