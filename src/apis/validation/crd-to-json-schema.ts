import { translateCelRule, CelRule } from './cel-rules';
import { isSupportedFormat } from './formats';
import { isSchemaNode, PASS_THROUGH_KEYWORDS, SchemaNode } from './json-schema';
import { EMBEDDED_OBJECT_META_REF, ROOT_OBJECT_META_REF } from './object-meta';

/** One kind from a CRD, with its versions. A served version points into `CrdBundle.schemas`. */
export interface BundledKind {
  readonly group: string;
  readonly kind: string;
  readonly versions: ReadonlyArray<{ readonly name: string; readonly served: boolean; readonly schema?: number }>;
}

/** A CEL rule the conversion could not express in JSON Schema, so offline validation skips it. */
export interface UncheckedRule {
  readonly kind: string;
  readonly version: string;
  readonly field: string;
  readonly rule: string;
}

/** The converted schemas of one or more CRDs, as stored in `schemas/*.json`. */
export interface CrdBundle {
  /** The CRD files this bundle was made from, relative to the schemas folder. */
  readonly sources: readonly string[];
  readonly kinds: readonly BundledKind[];
  /** JSON Schemas (draft-07); versions with identical schemas share one entry. */
  readonly schemas: readonly SchemaNode[];
  readonly uncheckedRules: readonly UncheckedRule[];
}

/**
 * Converts CRDs (apiextensions.k8s.io/v1 objects, as parsed from YAML) into one bundle. Sources
 * are given as `[name, crd]` pairs so the bundle records where each kind came from.
 */
export function bundleCrds(sources: ReadonlyArray<readonly [string, unknown]>): CrdBundle {
  const schemas: SchemaNode[] = [];
  const schemaIndex = new Map<string, number>();
  const kinds: BundledKind[] = [];
  const uncheckedRules: UncheckedRule[] = [];
  for (const [name, crd] of sources) {
    const spec = crdSpec(crd, name);
    const versions = spec.versions.map(version => {
      if (!version.served) return { name: version.name, served: false };
      const context: ConversionContext = { unchecked: [], path: '' };
      const schema = convertRoot(version.schema?.openAPIV3Schema ?? {}, context);
      for (const u of context.unchecked) uncheckedRules.push({ kind: spec.names.kind, version: version.name, ...u });
      const key = JSON.stringify(schema);
      let index = schemaIndex.get(key);
      if (index === undefined) {
        index = schemas.push(schema) - 1;
        schemaIndex.set(key, index);
      }
      return { name: version.name, served: true, schema: index };
    });
    kinds.push({ group: spec.group, kind: spec.names.kind, versions });
  }
  return { sources: sources.map(([name]) => name), kinds, schemas, uncheckedRules };
}

interface CrdVersion {
  name: string;
  served: boolean;
  schema?: { openAPIV3Schema?: SchemaNode };
}

function crdSpec(crd: unknown, source: string): { group: string; names: { kind: string }; versions: CrdVersion[] } {
  const spec = isSchemaNode(crd) ? crd.spec : undefined;
  if (!isSchemaNode(crd) || crd.kind !== 'CustomResourceDefinition' || !isSchemaNode(spec) || !Array.isArray(spec.versions)) {
    throw new Error(`${source}: not an apiextensions.k8s.io/v1 CustomResourceDefinition`);
  }
  return spec as unknown as { group: string; names: { kind: string }; versions: CrdVersion[] };
}

interface ConversionContext {
  readonly unchecked: Array<{ field: string; rule: string }>;
  readonly path: string;
}

/** The top level: apiVersion/kind/metadata are validated by Kubernetes rules, unknown top-level fields are errors. */
function convertRoot(node: SchemaNode, context: ConversionContext): SchemaNode {
  const root = convert({ ...node, type: 'object' }, context, false);
  const properties = { ...(root.properties as Record<string, SchemaNode> | undefined) };
  properties.apiVersion = { type: 'string' };
  properties.kind = { type: 'string' };
  properties.metadata = metadataSchema(node, ROOT_OBJECT_META_REF, context);
  const required = new Set([...(root.required as string[] | undefined ?? []), 'metadata']);
  return { ...root, properties, required: [...required] };
}

/** CRDs may narrow metadata (only name/generateName); keep those rules on top of ObjectMeta. */
function metadataSchema(parent: SchemaNode, ref: string, context: ConversionContext): SchemaNode {
  const declared = isSchemaNode(parent.properties) ? parent.properties.metadata : undefined;
  if (!isSchemaNode(declared) || !isSchemaNode(declared.properties)) return { $ref: ref };
  const extra = convert(declared, { ...context, path: joinPath(context.path, 'metadata') }, true);
  delete extra.type;
  return { allOf: [{ $ref: ref }, extra] };
}

/**
 * Converts one structural-schema node. `valueValidation` is true inside allOf/anyOf/oneOf/not,
 * where properties only add constraints and must not close the object to unknown fields.
 */
function convert(node: SchemaNode, context: ConversionContext, valueValidation: boolean): SchemaNode {
  const out: SchemaNode = {};
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const types: string[] = intOrString ? ['integer', 'string'] : typeof node.type === 'string' ? [node.type] : [];
  if (node.nullable === true && types.length > 0) types.push('null');
  if (types.length > 0) out.type = types.length === 1 ? types[0] : types;

  for (const keyword of PASS_THROUGH_KEYWORDS) {
    if (node[keyword] !== undefined) out[keyword] = node[keyword];
  }
  if (node.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  // OpenAPI 3.0 spells exclusive bounds as booleans beside minimum/maximum; draft-07 as numbers.
  if (node.exclusiveMinimum === true && typeof node.minimum === 'number') {
    out.exclusiveMinimum = node.minimum;
    delete out.minimum;
  }
  if (node.exclusiveMaximum === true && typeof node.maximum === 'number') {
    out.exclusiveMaximum = node.maximum;
    delete out.maximum;
  }
  if (isSupportedFormat(node.format)) out.format = node.format;

  if (isSchemaNode(node.items)) out.items = convert(node.items, { ...context, path: `${context.path}[]` }, valueValidation);
  if (node['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;
  if (node['x-kubernetes-list-type'] === 'map' && Array.isArray(node['x-kubernetes-list-map-keys'])) {
    out.listMapKeys = node['x-kubernetes-list-map-keys'];
  }

  const properties = convertProperties(node, context, valueValidation);
  if (properties) out.properties = properties;
  const embedded = node['x-kubernetes-embedded-resource'] === true;
  if (embedded) addEmbeddedResourceFields(out, node, context);

  if (isSchemaNode(node.additionalProperties)) {
    out.additionalProperties = convert(node.additionalProperties, { ...context, path: `${context.path}[*]` }, valueValidation);
  } else if (typeof node.additionalProperties === 'boolean') {
    out.additionalProperties = node.additionalProperties;
  } else if (!valueValidation && isObjectNode(node) && node['x-kubernetes-preserve-unknown-fields'] !== true) {
    // The API server prunes fields the schema does not list; strict validation reports them instead.
    out.additionalProperties = false;
  }

  const allOf: SchemaNode[] = [];
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = node[keyword];
    if (!Array.isArray(branches) || (keyword === 'anyOf' && intOrString && isIntOrStringAnyOf(branches))) continue;
    const converted = branches.filter(isSchemaNode).map(b => convert(b, context, true));
    if (keyword === 'allOf') allOf.push(...converted);
    else out[keyword] = converted;
  }
  if (isSchemaNode(node.not)) out.not = convert(node.not, context, true);
  allOf.push(...celSchemas(node, context));
  if (allOf.length > 0) out.allOf = allOf;
  return out;
}

function convertProperties(node: SchemaNode, context: ConversionContext, valueValidation: boolean): Record<string, SchemaNode> | undefined {
  if (!isSchemaNode(node.properties)) return undefined;
  const properties: Record<string, SchemaNode> = {};
  for (const [name, child] of Object.entries(node.properties)) {
    if (isSchemaNode(child)) properties[name] = convert(child, { ...context, path: joinPath(context.path, name) }, valueValidation);
  }
  return properties;
}

/** An embedded resource always takes apiVersion, kind and ObjectMeta metadata, listed or not. */
function addEmbeddedResourceFields(out: SchemaNode, node: SchemaNode, context: ConversionContext): void {
  const properties = { ...(out.properties as Record<string, SchemaNode> | undefined) };
  properties.apiVersion ??= { type: 'string' };
  properties.kind ??= { type: 'string' };
  properties.metadata = metadataSchema(node, EMBEDDED_OBJECT_META_REF, context);
  out.properties = properties;
  out.required = [...new Set([...(out.required as string[] | undefined ?? []), 'apiVersion', 'kind'])];
}

function celSchemas(node: SchemaNode, context: ConversionContext): SchemaNode[] {
  const rules = node['x-kubernetes-validations'];
  if (!Array.isArray(rules)) return [];
  const schemas: SchemaNode[] = [];
  for (const rule of rules as CelRule[]) {
    const schema = translateCelRule(rule);
    if (schema) schemas.push(schema);
    else context.unchecked.push({ field: context.path, rule: rule.rule });
  }
  return schemas;
}

function isObjectNode(node: SchemaNode): boolean {
  return node.type === 'object' || (node.type === undefined && isSchemaNode(node.properties));
}

function isIntOrStringAnyOf(branches: unknown[]): boolean {
  const types = branches.map(b => (isSchemaNode(b) ? b.type : undefined)).sort();
  return branches.length === 2 && types[0] === 'integer' && types[1] === 'string' && branches.every(b => isSchemaNode(b) && Object.keys(b).length === 1);
}

function joinPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
