import { isCoreKind, validateCoreObject } from './core-kinds';
import { isKnownCustomResource, validateCustomResource } from './custom-resources';
import { isPlainObject } from './field-path';
import { KPTFILE_KIND, validateKptfile } from './kptfile';
import { SchemaViolation, sortViolations } from './schema-violation';

const KPT_GROUP = 'kpt.dev/';

/**
 * True when validateObject checks objects of this apiVersion and kind: Kptfiles, the bundled
 * custom resources (Nephio, Porch, ConfigSync; any version of a known kind, since an unserved
 * version is reported) and core Kubernetes kinds.
 */
export function hasSchemaFor(apiVersion: string, kind: string): boolean {
  return isKptfile(apiVersion, kind) || isKnownCustomResource(apiVersion, kind) || isCoreKind(apiVersion, kind);
}

/**
 * Validates one synthesized object (plain JSON, as cdk8s `toJson()` produces it) offline, with
 * unknown fields treated as errors the way `kubectl --validate=strict` treats them. Returns an
 * empty list when the object is valid, and also when no schema is known for its apiVersion/kind.
 * Violations come sorted by field.
 */
export function validateObject(obj: unknown): SchemaViolation[] {
  if (!isPlainObject(obj)) return [{ field: '', message: 'a Kubernetes object must be a JSON object' }];
  const missing = (['apiVersion', 'kind'] as const).filter(field => typeof obj[field] !== 'string' || obj[field] === '');
  if (missing.length > 0) return missing.map(field => ({ field, message: 'required field is missing' }));
  const apiVersion = obj.apiVersion as string;
  const kind = obj.kind as string;
  if (isKptfile(apiVersion, kind)) return validateKptfile(obj);
  if (isKnownCustomResource(apiVersion, kind)) return sortViolations(validateCustomResource(obj, apiVersion, kind));
  if (isCoreKind(apiVersion, kind)) return sortViolations(validateCoreObject(obj, apiVersion, kind));
  return [];
}

function isKptfile(apiVersion: string, kind: string): boolean {
  return kind === KPTFILE_KIND && apiVersion.startsWith(KPT_GROUP);
}
