export * from './krm-function';
export * from './registry';
export { setNamespace } from './set-namespace';
export { setLabels } from './set-labels';
export { setAnnotations } from './set-annotations';
export type { AnnotationFieldSpec } from './set-annotations';
export { applySetters } from './apply-setters';
