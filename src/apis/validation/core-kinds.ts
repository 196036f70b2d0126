import type { ErrorObject } from 'ajv';
import { toViolations } from './ajv-errors';
import { appendIndex, appendKey, isPlainObject } from './field-path';
import { SchemaViolation } from './schema-violation';
import coreFields from './schemas/core-fields.json';

/**
 * The fields each core type declares, taken from kubernetes-models' type declarations (its
 * validators let unknown fields through). A type maps field names to the field's type, or to 0
 * when the field holds a scalar or free-form data; the key `*` stands for any key of a map.
 */
export interface CoreFieldBundle {
  /** `apiVersion/kind` -> root type name. */
  readonly kinds: Readonly<Record<string, string>>;
  readonly types: Readonly<Record<string, Readonly<Record<string, string | 0>>>>;
}

const FIELDS = coreFields as unknown as CoreFieldBundle;
const MAP_VALUE = '*';

interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  readonly prototype: { validate(this: unknown): void };
}

const GROUP = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const VERSION = /^v[0-9]+[a-z0-9]*$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;
const models = new Map<string, ModelClass | undefined>();

/** The kubernetes-models class for a core (built-in) kind, loaded on first use. */
function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  const key = `${apiVersion}/${kind}`;
  if (models.has(key)) return models.get(key);
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  let model: ModelClass | undefined;
  if ((group === '' || GROUP.test(group)) && VERSION.test(version) && KIND.test(kind)) {
    try {
      // Only the kinds synth meets are loaded, by a path known at run time.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(`kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`)[kind] as ModelClass | undefined;
      // Nested types (DeploymentSpec...) have no apiVersion/kind of their own: they are not kinds.
      if (exported && exported.apiVersion === apiVersion && exported.kind === kind) model = exported;
    } catch {
      model = undefined;
    }
  }
  models.set(key, model);
  return model;
}

export function isCoreKind(apiVersion: string, kind: string): boolean {
  return modelFor(apiVersion, kind) !== undefined;
}

/** True when unknown fields of this core kind are reported too, not only wrong types and values. */
export function checksUnknownCoreFields(apiVersion: string, kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(FIELDS.kinds, `${apiVersion}/${kind}`);
}

/**
 * Validates a core Kubernetes object with kubernetes-models (types, enums, required fields), then
 * reports fields its type does not declare, for the kinds in the field bundle.
 */
export function validateCoreObject(obj: Record<string, unknown>, apiVersion: string, kind: string): SchemaViolation[] {
  const Model = modelFor(apiVersion, kind)!;
  const violations: SchemaViolation[] = [];
  try {
    // The model's validator run on the object itself: constructing the model would first copy the
    // whole object (dropping undefined values, which ajv treats as absent anyway).
    Model.prototype.validate.call(obj);
  } catch (error) {
    const errors = (error as { errors?: ErrorObject[] }).errors;
    if (!errors) throw error;
    violations.push(...toViolations(errors, obj));
  }
  const rootType = FIELDS.kinds[`${apiVersion}/${kind}`];
  if (rootType) collectUnknownFields(obj, rootType, '', violations);
  return violations;
}

function collectUnknownFields(value: unknown, typeName: string, path: string, out: SchemaViolation[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectUnknownFields(item, typeName, appendIndex(path, index), out));
    return;
  }
  if (!isPlainObject(value)) return;
  const fields = FIELDS.types[typeName];
  for (const [key, child] of Object.entries(value)) {
    const fieldType = Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : fields[MAP_VALUE];
    const fieldPath = appendKey(path, key);
    if (fieldType === undefined) {
      out.push({ field: fieldPath, message: `unknown field "${key}"; known fields here: ${Object.keys(fields).sort().join(', ')}` });
    } else if (fieldType !== 0) {
      collectUnknownFields(child, fieldType, fieldPath, out);
    }
  }
}
