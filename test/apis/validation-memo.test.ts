import { parseAllDocuments } from 'yaml';
import { declareExampleFleet } from '../../clusters/example-fleet';
import { GitOpsRepository, validateObject } from '../../src';
import { ValidationMemo } from '../../src/apis/validation';
import { shapeKey } from '../../src/apis/validation/validation-memo';
import { tmpDir } from '../support/tmp';

/** Every object the example fleet writes. */
function exampleObjects(): Array<Record<string, any>> {
  const repo = new GitOpsRepository({ outdir: tmpDir() });
  declareExampleFleet(repo);
  const { tree } = repo.synthTree();
  return tree.paths()
    .filter(f => f.endsWith('.yaml') || f.endsWith('Kptfile'))
    .flatMap(p => parseAllDocuments(tree.getText(p)!).map(doc => doc.toJS() as Record<string, any>));
}

const deployment = (labels: Record<string, unknown>, image = 'docker.io/free5gc/amf:v3.4.3') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'amf', namespace: 'core', labels, annotations: { 'config.kubernetes.io/index': '0' } },
  spec: {
    selector: { matchLabels: labels },
    template: {
      metadata: { labels, annotations: { checksum: String(Object.keys(labels).length) } },
      spec: { containers: [{ name: 'amf', image }] },
    },
  },
});

describe('ValidationMemo', () => {
  test('gives what validateObject gives, for valid and broken objects in any order', () => {
    const objects = exampleObjects();
    const broken = objects.flatMap(o => [
      { ...o, spec: { ...o.spec, unknownField: 1 } },
      { ...o, metadata: { ...o.metadata, labels: { ...o.metadata?.labels, count: 3 } } },
      { ...o, metadata: { ...o.metadata, annotations: { note: { nested: true } } } },
      ...(o.kind === 'ConfigMap' ? [{ ...o, data: { 'a.yaml': 1 } }] : []),
      ...(o.kind === 'Deployment' ? [{ ...o, spec: { ...o.spec, selector: { matchLabels: { app: false } } } }] : []),
    ]);
    // Valid shapes first, so that every broken object meets a memo that has seen its valid twin.
    const all = [...objects, ...broken, ...objects.slice().reverse()];
    const memo = new ValidationMemo();
    for (const object of all) expect(memo.validate(object)).toEqual(validateObject(object));
    expect(broken.every(o => validateObject(o).length > 0)).toBe(true);
  });

  test('objects that differ only in string-valued labels, annotations, selectors and ConfigMap data share a shape', () => {
    expect(shapeKey(deployment({ app: 'amf', site: 'a' }))).toBe(shapeKey(deployment({ app: 'amf', site: 'b', extra: 'c' })));
    const configMap = (data: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data });
    expect(shapeKey(configMap({ 'site.yaml': 'a' }))).toBe(shapeKey(configMap({ 'site.yaml': 'b' })));
  });

  test('anything else keeps objects apart', () => {
    // Another field value.
    expect(shapeKey(deployment({ app: 'amf' }))).not.toBe(shapeKey(deployment({ app: 'amf' }, 'docker.io/free5gc/amf:v3.4.4')));
    // A label that is not a string: the map is part of the shape.
    expect(shapeKey(deployment({ app: 'amf' }))).not.toBe(shapeKey(deployment({ app: 1 })));
    // Secret data is base64-checked: it stays part of the shape.
    const secret = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data });
    expect(shapeKey(secret({ a: 'YQ==' }))).not.toBe(shapeKey(secret({ a: 'not base64!' })));
    // Custom resources check label syntax in their metadata schema: they do not take part.
    expect(shapeKey({ apiVersion: 'workload.nephio.org/v1alpha1', kind: 'NFDeployment', metadata: { name: 'x' } })).toBeUndefined();
  });

  test('a memo hit still reports a broken label map, which is never part of a shared shape', () => {
    const memo = new ValidationMemo();
    expect(memo.validate(deployment({ app: 'amf' }))).toEqual([]);
    const violations = memo.validate(deployment({ app: 7 }));
    expect(violations.map(v => v.field)).toEqual(expect.arrayContaining(['metadata.labels.app']));
  });
});
