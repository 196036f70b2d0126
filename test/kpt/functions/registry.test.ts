import { Document } from 'yaml';
import { configMap } from './helpers';
import { catalogImage, findKrmFunction, KRM_FUNCTIONS, KrmFunction, runOnObjects } from '../../../src/kpt/functions';

describe('findKrmFunction', () => {
  test.each([
    ['set-labels', 'set-labels'],
    ['gcr.io/kpt-fn/set-labels:v0.2.0', 'set-labels'],
    ['gcr.io/kpt-fn/set-namespace', 'set-namespace'],
    ['ghcr.io/kptdev/krm-functions-catalog/set-labels:v0.2', 'set-labels'],
    ['ghcr.io/kptdev/krm-functions-catalog/apply-setters:latest', 'apply-setters'],
    ['set-labels:v0.2.0', 'set-labels'],
    ['set-annotations@sha256:0123456789abcdef', 'set-annotations'],
    ['gcr.io/kpt-fn/set-annotations:v0.1.4@sha256:0123456789abcdef', 'set-annotations'],
  ])('%s is %s', (ref, name) => {
    expect(findKrmFunction(ref)?.name).toBe(name);
  });

  test.each(['set-replicas', 'gcr.io/kpt-fn/starlark:v0.4', 'example.com/my-org/set-labels:v1', 'gcr.io/kpt-fn/set-labels-extra', ''])('%s is not one of them', ref => {
    expect(findKrmFunction(ref)).toBeUndefined();
  });
});

describe('catalogImage', () => {
  test('the pinned images Nephio R5 packages reference', () => {
    expect(KRM_FUNCTIONS.map(fn => catalogImage(fn.name))).toEqual([
      'gcr.io/kpt-fn/set-namespace:v0.4.1',
      'gcr.io/kpt-fn/set-labels:v0.2.0',
      'gcr.io/kpt-fn/set-annotations:v0.1.4',
      'gcr.io/kpt-fn/apply-setters:v0.2.0',
    ]);
    for (const fn of KRM_FUNCTIONS) expect(findKrmFunction(catalogImage(fn.name))).toBe(fn);
  });

  test('an unknown name is an error naming the known ones', () => {
    expect(() => catalogImage('starlark')).toThrow('unknown kpt function "starlark": expected one of set-namespace, set-labels, set-annotations, apply-setters');
  });
});

describe('runOnObjects', () => {
  function deployment(i: number) {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `d${i}`, namespace: 'core', labels: { app: `a${i}` } },
      spec: { selector: { matchLabels: { app: `a${i}` } }, template: { metadata: { labels: { app: `a${i}` } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    };
  }

  test('a function without a plain-object implementation runs through YAML documents', () => {
    const addLabel: KrmFunction = {
      name: 'add-label',
      image: 'example.com/add-label:v1',
      run: items => ({ items: items.map(d => { const c = d.clone(); c.setIn(['metadata', 'labels', 'x'], 'y'); return c; }), results: [] }),
    };
    const out = runOnObjects(addLabel, [deployment(0)], undefined);
    expect(out.objects[0].metadata.labels).toEqual({ app: 'a0', x: 'y' });
  });

  test('an item that is not an object is refused', () => {
    expect(() => runOnObjects(KRM_FUNCTIONS[0], [['not', 'an', 'object'] as any], configMap({ namespace: 'x' }))).toThrow('item 0 is not a KRM object');
  });

  test('documents and plain objects give the same result for every function', () => {
    const objects = [deployment(1)];
    const config = configMap({ namespace: 'ran', tier: 'core' });
    for (const fn of KRM_FUNCTIONS) {
      const plain = runOnObjects(fn, objects, config);
      const docs = fn.run(objects.map(o => new Document(o)), new Document(config));
      expect(docs.items.map(d => d.toJS())).toEqual(plain.objects);
    }
  });
});
