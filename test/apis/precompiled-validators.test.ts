import * as fs from 'fs';
import * as path from 'path';
import type { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { declareExampleFleet } from '../../clusters/example-fleet';
import { GitOpsRepository } from '../../src';
import { sharedAjv } from '../../src/apis/validation/ajv-instance';
import { precompiledSchemas } from '../../src/apis/validation/precompiled-schemas';
import { precompiledValidator, STANDALONE_VALIDATORS_DIR, standaloneValidatorsSource } from '../../src/apis/validation/standalone-validators';
import { tmpDir } from '../support/tmp';

const PROJECT_ROOT = path.resolve(__dirname, '../..');
const schemas = precompiledSchemas();

/** One object of every kind the example fleet writes, each also broken in a few ways. */
function sampleObjects(): Array<Record<string, any>> {
  const repo = new GitOpsRepository({ outdir: tmpDir() });
  declareExampleFleet(repo);
  const { tree } = repo.synthTree();
  const byKind = new Map<string, Record<string, any>>();
  for (const p of tree.paths().filter(f => f.endsWith('.yaml') || f.endsWith('Kptfile'))) {
    for (const doc of parseAllDocuments(tree.getText(p)!)) {
      const object = doc.toJS() as Record<string, any>;
      const kind = `${object.apiVersion}/${object.kind}`;
      if (!byKind.has(kind)) byKind.set(kind, object);
    }
  }
  const objects = [...byKind.values()];
  const broken = objects.flatMap(o => [
    { ...o, spec: { ...o.spec, unknownField: 1 } },
    { ...o, metadata: { ...o.metadata, name: 'Not_A_Name', labels: { 'bad key!': 'x' } } },
    { ...o, spec: 42 },
    { ...o, pipeline: { mutators: [{ image: 7, configMap: 'x' }] } },
  ]);
  return [...objects, ...broken, {}, { apiVersion: 'v1' }, []];
}

function outcome(validate: ValidateFunction, object: unknown): unknown {
  const valid = validate(object);
  return { valid, errors: validate.errors ?? null };
}

describe('precompiled (standalone) validators', () => {
  test(`${STANDALONE_VALIDATORS_DIR} is what the bundled schemas generate today (npx projen validators)`, () => {
    const dir = path.join(PROJECT_ROOT, STANDALONE_VALIDATORS_DIR);
    const generated = standaloneValidatorsSource(schemas);
    expect(fs.readdirSync(dir).sort()).toEqual([...generated.keys()].sort());
    const stale = [...generated].filter(([name, content]) => fs.readFileSync(path.join(dir, name), 'utf8') !== content).map(([name]) => name);
    expect(stale).toEqual([]);
  });

  test('there is one for every bundled schema, and each answers every object as the schema compiled at run time does', () => {
    const objects = sampleObjects();
    expect(objects.length).toBeGreaterThan(60);
    let invalid = 0;
    for (const [key, schema] of schemas) {
      const precompiled = precompiledValidator(key);
      expect({ key, precompiled: typeof precompiled }).toEqual({ key, precompiled: 'function' });
      const compiled = sharedAjv().compile(schema);
      for (const object of objects) {
        const expected = outcome(compiled, object);
        if (!(expected as { valid: boolean }).valid) invalid++;
        expect(outcome(precompiled!, object)).toEqual(expected);
      }
    }
    // The comparison covered failing objects, not only valid ones.
    expect(invalid).toBeGreaterThan(500);
  });

  test('list-map duplicates are reported with the items and keys by both', () => {
    const key = schemas.map(([k]) => k).find(k => k.includes('rootsync'))!;
    const object = {
      apiVersion: 'configsync.gke.io/v1beta1',
      kind: 'RootSync',
      metadata: { name: 'root-sync', namespace: 'config-management-system' },
      spec: { sourceFormat: 'unstructured', git: { repo: 'https://example.com/r.git', auth: 'none' }, override: { logLevels: [{ containerName: 'reconciler', logLevel: 1 }, { containerName: 'reconciler', logLevel: 2 }] } },
    };
    const precompiled = precompiledValidator(key)!;
    expect(precompiled(object)).toBe(false);
    const duplicate = precompiled.errors!.find(e => e.keyword === 'listMapKeys')!;
    expect(duplicate.message).toBe('items 0 and 1 have the same containerName; each item must be unique by containerName');
    expect(duplicate.params).toEqual({ keys: ['containerName'], first: 0, duplicate: 1 });
    expect(duplicate.instancePath).toBe('/spec/override/logLevels');
  });
});
