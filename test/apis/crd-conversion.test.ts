import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { DEFAULT_SCHEMAS_DIR } from '../../scripts/bundle-schemas';
import { hasSchemaFor, validateObject } from '../../src/apis';
import { toViolations } from '../../src/apis/validation/ajv-errors';
import { sharedAjv } from '../../src/apis/validation/ajv-instance';
import { bundleCrds, CrdBundle } from '../../src/apis/validation/crd-to-json-schema';
import { SchemaNode } from '../../src/apis/validation/json-schema';
import { sortViolations } from '../../src/apis/validation/schema-violation';

const SCHEMAS_DIR = DEFAULT_SCHEMAS_DIR;
const BUNDLED = path.resolve(__dirname, '../../src/apis/validation/schemas');

/** A one-version CRD around the given spec schema. */
function crd(specSchema: SchemaNode): unknown {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec: specSchema } } } }],
    },
  };
}

function validatorFor(specSchema: SchemaNode): { bundle: CrdBundle; validate: (spec: unknown) => ReturnType<typeof toViolations> } {
  const bundle = bundleCrds([['widget.yaml', crd(specSchema)]]);
  const compiled = sharedAjv().compile(bundle.schemas[0]);
  return {
    bundle,
    validate: spec => {
      const obj = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec };
      return compiled(obj) ? [] : sortViolations(toViolations(compiled.errors, obj));
    },
  };
}

describe('CRD schema conversion', () => {
  test('x-kubernetes-embedded-resource requires apiVersion and kind and checks metadata strictly', () => {
    const { validate } = validatorFor({
      type: 'object',
      properties: { template: { 'type': 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } },
    });
    expect(validate({ template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } } })).toEqual([]);
    expect(validate({ template: { metadata: { nam: 'x' } } })).toEqual([
      { field: 'spec.template.apiVersion', message: 'required field is missing' },
      { field: 'spec.template.kind', message: 'required field is missing' },
      { field: 'spec.template.metadata.nam', message: expect.stringMatching(/^unknown field "nam"/) },
    ]);
  });

  test('int32 and date-time formats are checked', () => {
    const { validate } = validatorFor({
      type: 'object',
      properties: { count: { type: 'integer', format: 'int32' }, since: { type: 'string', format: 'date-time' } },
    });
    expect(validate({ count: 2 ** 31 - 1, since: '2025-06-30T12:00:00Z' })).toEqual([]);
    expect(validate({ count: 2 ** 31, since: 'yesterday' })).toEqual([
      { field: 'spec.count', message: 'must be a valid int32; got 2147483648' },
      { field: 'spec.since', message: 'must be a valid date-time; got "yesterday"' },
    ]);
  });

  test('an object without listed properties and without preserve-unknown-fields takes no fields', () => {
    const { validate } = validatorFor({ type: 'object', properties: { options: { type: 'object' } } });
    expect(validate({ options: { verbose: true } })).toEqual([{ field: 'spec.options.verbose', message: 'unknown field "verbose"; this object takes no fields' }]);
  });

  test('nullable, exclusive bounds, sets and unsupported formats', () => {
    const { validate } = validatorFor({
      type: 'object',
      properties: {
        ref: { type: 'object', nullable: true, properties: { name: { type: 'string' } } },
        name: { type: 'string' },
        weight: { type: 'number', minimum: 0, exclusiveMinimum: true },
        tags: { 'type': 'array', 'items': { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        blob: { type: 'string', format: 'byte' },
      },
    });
    expect(validate({ ref: null, weight: 0.5, tags: ['a', 'b'], blob: 'not base64 but unchecked' })).toEqual([]);
    expect(validate({ name: null, weight: 0, tags: ['a', 'a'] })).toEqual([
      { field: 'spec.name', message: 'must be string; got null' },
      { field: 'spec.tags', message: 'items 0 and 1 are equal; items must be unique' },
      { field: 'spec.weight', message: 'must be > 0; got 0' },
    ]);
  });

  test('properties inside anyOf constrain values without closing the object', () => {
    const { validate } = validatorFor({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      anyOf: [{ required: ['a'] }, { required: ['b'] }],
    });
    expect(validate({ a: 'x' })).toEqual([]);
    expect(validate({})).toEqual([{ field: 'spec', message: 'must match at least one of the allowed forms; got {}' }]);
  });

  test('CEL rules it cannot translate are listed as unchecked, with their field', () => {
    const { bundle, validate } = validatorFor({
      type: 'object',
      properties: { replicas: { 'type': 'integer', 'x-kubernetes-validations': [{ rule: 'self % 2 == 1', message: 'odd' }] } },
    });
    expect(bundle.uncheckedRules).toEqual([{ kind: 'Widget', version: 'v1', field: 'spec.replicas', rule: 'self % 2 == 1' }]);
    expect(validate({ replicas: 2 })).toEqual([]);
  });

  test('input that is not a CRD is refused', () => {
    expect(() => bundleCrds([['x.yaml', { kind: 'ConfigMap' }]])).toThrow(/x.yaml: not an apiextensions.k8s.io\/v1 CustomResourceDefinition/);
  });
});

describe('every bundled CRD', () => {
  const bundles = ['configsync.json', 'porch.json', 'nephio.json', 'external-secrets.json', 'sealed-secrets.json', 'multus.json'].map(f => JSON.parse(fs.readFileSync(path.join(BUNDLED, f), 'utf8')) as CrdBundle);
  const kinds = bundles.flatMap(b => b.kinds.flatMap(k => k.versions.filter(v => v.served).map(v => [`${k.group}/${v.name}`, k.kind] as const)));

  test('comes from a CRD file in test/fixtures/schemas', () => {
    for (const source of bundles.flatMap(b => b.sources)) {
      const parsed = YAML.parse(fs.readFileSync(path.join(SCHEMAS_DIR, source), 'utf8'));
      expect(parsed.kind).toBe('CustomResourceDefinition');
    }
    expect(kinds.length).toBeGreaterThanOrEqual(30);
  });

  test.each(kinds)('%s %s compiles and rejects an unknown top-level field', (apiVersion, kind) => {
    expect(hasSchemaFor(apiVersion, kind)).toBe(true);
    const violations = validateObject({ apiVersion, kind, metadata: { name: 'x' }, spek: {} });
    expect(violations).toContainEqual({ field: 'spek', message: expect.stringMatching(/^unknown field "spek"/) });
  });
});
