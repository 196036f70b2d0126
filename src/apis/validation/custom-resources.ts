import type { ValidateFunction } from 'ajv';
import { toViolations } from './ajv-errors';
import { sharedAjv } from './ajv-instance';
import { BundledKind, CrdBundle } from './crd-to-json-schema';
import { SchemaViolation } from './schema-violation';
import configsync from './schemas/configsync.json';
import externalSecrets from './schemas/external-secrets.json';
import multus from './schemas/multus.json';
import nephio from './schemas/nephio.json';
import porch from './schemas/porch.json';
import sealedSecrets from './schemas/sealed-secrets.json';
import { precompiledValidator } from './standalone-validators';

/** The bundled CRD schemas; a schema's key is `<sources>#<index>` (see schemaKey). */
export const BUNDLES = [configsync, porch, nephio, externalSecrets, sealedSecrets, multus] as unknown as CrdBundle[];

interface KnownKind {
  readonly bundle: CrdBundle;
  readonly kind: BundledKind;
}

let kindsByGroupKind: Map<string, KnownKind> | undefined;
const validators = new Map<string, ValidateFunction>();

function knownKinds(): Map<string, KnownKind> {
  if (!kindsByGroupKind) {
    kindsByGroupKind = new Map();
    for (const bundle of BUNDLES) {
      for (const kind of bundle.kinds) kindsByGroupKind.set(`${kind.group}/${kind.kind}`, { bundle, kind });
    }
  }
  return kindsByGroupKind;
}

/** Splits `group/version` (custom resources always have a group). */
function splitApiVersion(apiVersion: string): { group: string; version: string } | undefined {
  const slash = apiVersion.lastIndexOf('/');
  return slash > 0 ? { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) } : undefined;
}

/** True when the group and kind belong to one of the bundled CRDs (whatever the version). */
export function isKnownCustomResource(apiVersion: string, kind: string): boolean {
  const parts = splitApiVersion(apiVersion);
  return parts !== undefined && knownKinds().has(`${parts.group}/${kind}`);
}

/**
 * Validates a custom resource against the bundled CRD schema of its version. A version the CRD
 * does not serve is itself a violation. Call only when isKnownCustomResource is true.
 */
export function validateCustomResource(obj: Record<string, unknown>, apiVersion: string, kind: string): SchemaViolation[] {
  const { group, version } = splitApiVersion(apiVersion)!;
  const known = knownKinds().get(`${group}/${kind}`)!;
  const served = known.kind.versions.find(v => v.name === version && v.served && v.schema !== undefined);
  if (!served) {
    const servedNames = known.kind.versions.filter(v => v.served).map(v => `${group}/${v.name}`);
    return [{ field: 'apiVersion', message: `${kind} is not served as ${apiVersion}; use ${servedNames.join(' or ')}` }];
  }
  const validate = validatorFor(known.bundle, served.schema!);
  if (validate(obj)) return [];
  return toViolations(validate.errors, obj);
}

/** The key a bundled schema's validator is known by, in the precompiled validators too. */
export function schemaKey(bundle: CrdBundle, schemaIndex: number): string {
  return `${bundle.sources.join(',')}#${schemaIndex}`;
}

function validatorFor(bundle: CrdBundle, schemaIndex: number): ValidateFunction {
  const key = schemaKey(bundle, schemaIndex);
  let validate = validators.get(key);
  if (!validate) {
    validate = precompiledValidator(key) ?? sharedAjv().compile(bundle.schemas[schemaIndex]);
    validators.set(key, validate);
  }
  return validate;
}
