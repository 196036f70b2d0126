import { isCoreKind } from './core-kinds';
import { isPlainObject } from './field-path';
import { SchemaViolation } from './schema-violation';
import { validateObject } from './validate-object';

/** Kinds whose `spec.selector` is a LabelSelector and whose `spec.template` a PodTemplateSpec. */
const POD_CONTROLLERS = new Set(['apps/v1/Deployment', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'apps/v1/ReplicaSet', 'batch/v1/Job']);
/** Kinds whose `spec.selector` is a LabelSelector (and that have no pod template). */
const SELECTOR_ONLY = new Set(['policy/v1/PodDisruptionBudget']);

/**
 * Validates the objects of one synth, each distinct shape once. A fleet's variants of one NF differ
 * mostly in string maps (the cluster's labels, a config checksum annotation, a ConfigMap's data)
 * whose every value is checked only for being a string. Such maps, when every value is a string,
 * cannot change whether a core object is valid, so objects that are equal without them share one
 * validation: an object is validated in full unless one equal to it in everything else was valid.
 * Only core kinds take part (custom resources check label syntax in their metadata schema), and
 * only positions typed as string maps in the Kubernetes API: ObjectMeta labels and annotations
 * (of the object and of a pod template), LabelSelector matchLabels, ConfigMap data.
 */
export class ValidationMemo {
  private readonly valid = new Set<string>();

  /** validateObject(obj), without repeating it for a shape already found valid. */
  public validate(obj: unknown): SchemaViolation[] {
    const key = shapeKey(obj);
    if (key === undefined) return validateObject(obj);
    if (this.valid.has(key)) return [];
    const violations = validateObject(obj);
    if (violations.length === 0) this.valid.add(key);
    return violations;
  }
}

/** The object as JSON without its string maps, or undefined when it does not take part. */
export function shapeKey(obj: unknown): string | undefined {
  if (!isPlainObject(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return undefined;
  const type = `${obj.apiVersion}/${obj.kind}`;
  if (!isCoreKind(obj.apiVersion, obj.kind)) return undefined;
  const shape: Record<string, unknown> = { ...obj, metadata: withoutStringMaps(obj.metadata) };
  if (type === 'v1/ConfigMap' && isStringMap(obj.data)) shape.data = undefined;
  const podController = POD_CONTROLLERS.has(type);
  if ((podController || SELECTOR_ONLY.has(type)) && isPlainObject(obj.spec)) {
    const spec: Record<string, unknown> = { ...obj.spec };
    if (isPlainObject(spec.selector) && isStringMap(spec.selector.matchLabels)) spec.selector = { ...spec.selector, matchLabels: undefined };
    if (podController && isPlainObject(spec.template)) spec.template = { ...spec.template, metadata: withoutStringMaps(spec.template.metadata) };
    shape.spec = spec;
  }
  return JSON.stringify(shape);
}

function withoutStringMaps(metadata: unknown): unknown {
  if (!isPlainObject(metadata)) return metadata;
  const labels = isStringMap(metadata.labels);
  const annotations = isStringMap(metadata.annotations);
  if (!labels && !annotations) return metadata;
  return { ...metadata, labels: labels ? undefined : metadata.labels, annotations: annotations ? undefined : metadata.annotations };
}

function isStringMap(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const key in value) if (typeof value[key] !== 'string') return false;
  return true;
}
