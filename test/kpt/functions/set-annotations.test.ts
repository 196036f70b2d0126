import { Document } from 'yaml';
import { configMap, failBoth, LOCAL, runBoth } from './helpers';
import { setAnnotations } from '../../../src/kpt/functions';
import { parseYamlItems, stringifyYamlItems } from '../../../src/kpt/resource-list';

const owner = configMap({ owner: 'ran-team' });

function typed(fields: Record<string, unknown>) {
  return { apiVersion: 'fn.kpt.dev/v1alpha1', kind: 'SetAnnotations', metadata: { name: 'c' }, ...fields };
}

describe('set-annotations: where', () => {
  test('local-config objects are annotated too', () => {
    const local = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kptfile.kpt.dev', annotations: LOCAL } };
    const { objects } = runBoth(setAnnotations, [local], owner);
    expect(objects[0].metadata.annotations).toEqual({ ...LOCAL, owner: 'ran-team' });
  });

  test('workload pod templates are created where missing; other kinds get metadata only', () => {
    const { objects } = runBoth(setAnnotations, [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { template: {} } },
    ], owner);
    expect(objects[0].spec.template.metadata.annotations).toEqual({ owner: 'ran-team' });
    expect(objects[1].spec.jobTemplate.metadata.annotations).toEqual({ owner: 'ran-team' });
    expect(objects[1].spec.jobTemplate.spec.template.metadata.annotations).toEqual({ owner: 'ran-team' });
    expect(objects[2].spec).toEqual({ template: {} });
  });

  test('additionalAnnotationFields: create adds maps, no create only fills maps that exist', () => {
    const config = typed({
      annotations: { owner: 'ran-team' },
      additionalAnnotationFields: [
        { kind: 'NFDeployment', path: 'spec/template/annotations', create: true },
        { kind: 'NFDeployment', path: 'spec/extra/annotations' },
        { kind: 'NFDeployment', path: 'spec/existing/annotations' },
      ],
    });
    const nf = { apiVersion: 'workload.nephio.org/v1alpha1', kind: 'NFDeployment', metadata: { name: 'amf' }, spec: { existing: { annotations: { keep: 'me' } } } };
    const { objects } = runBoth(setAnnotations, [nf], config);
    expect(objects[0].spec).toEqual({ existing: { annotations: { keep: 'me', owner: 'ran-team' } }, template: { annotations: { owner: 'ran-team' } } });
  });

  test('a path through a list applies to each element', () => {
    const config = typed({ annotations: { owner: 'ran-team' }, additionalAnnotationFields: [{ kind: 'Thing', path: 'spec/parts[]/meta', create: true }] });
    const thing = { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' }, spec: { parts: [{ name: 'a' }, { name: 'b' }] } };
    const { objects } = runBoth(setAnnotations, [thing], config);
    expect(objects[0].spec.parts).toEqual([{ name: 'a', meta: { owner: 'ran-team' } }, { name: 'b', meta: { owner: 'ran-team' } }]);
  });

  test('one result per file and field path', () => {
    const annotated = (name: string, path: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, annotations: { 'internal.config.kubernetes.io/path': path } } });
    const { results } = runBoth(setAnnotations, [annotated('a', 'a.yaml'), annotated('b', 'b.yaml')], owner);
    expect(results).toEqual([
      { message: 'set annotations: {"owner":"ran-team"}', severity: 'info', field: 'metadata.annotations', file: { path: 'a.yaml' } },
      { message: 'set annotations: {"owner":"ran-team"}', severity: 'info', field: 'metadata.annotations', file: { path: 'b.yaml' } },
    ]);
  });
});

describe('set-annotations: config and errors', () => {
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } };

  test('the legacy SetAnnotationConfig kind and fieldSpecs still work', () => {
    const config = { ...typed({ annotations: { a: 'b' }, fieldSpecs: [{ kind: 'Service', path: 'spec/x', create: true }] }), kind: 'SetAnnotationConfig' };
    expect(runBoth(setAnnotations, [svc], config).objects[0].spec).toEqual({ x: { a: 'b' } });
  });

  test('fieldSpecs together with additionalAnnotationFields is an error', () => {
    const config = typed({ annotations: { a: 'b' }, fieldSpecs: [], additionalAnnotationFields: [] });
    expect(failBoth(setAnnotations, [svc], config).message).toContain('`fieldSpecs` has been deprecated');
  });

  test('empty annotations, no config and other kinds are errors', () => {
    expect(failBoth(setAnnotations, [svc], configMap({})).message).toBe('failed to configure function: input annotation list cannot be empty');
    expect(failBoth(setAnnotations, [svc]).message).toBe('failed to configure function: `functionConfig` must be a `ConfigMap` or `SetAnnotations`');
    expect(failBoth(setAnnotations, [svc], { ...owner, apiVersion: 'v2' }).message).toContain('must be a `ConfigMap` or `SetAnnotations`');
  });

  test('two resources with the same id are refused, as kustomize does', () => {
    const err = failBoth(setAnnotations, [svc, { ...svc, metadata: { name: 's', namespace: 'default' } }], owner);
    expect(err.message).toBe('failed to run function: may not add resource with an already registered id: Service.v1.[noGrp]/s.default');
  });

  test('annotations that are not a map are an error', () => {
    const err = failBoth(setAnnotations, [{ ...svc, metadata: { name: 's', annotations: 'x' } }], owner);
    expect(err.message).toContain("considering field 'metadata/annotations' of object Service.v1.[noGrp]/s.[noNs]");
  });

  test('values stay strings in the written YAML and comments survive', () => {
    const items = parseYamlItems('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x # keep me\n');
    const out = setAnnotations.run(items, new Document(configMap({ replicas: '3', enabled: 'yes' })));
    const text = stringifyYamlItems(out.items);
    expect(parseYamlItems(text)[0].toJS().metadata.annotations).toEqual({ enabled: 'yes', replicas: '3' });
    expect(text).toContain('enabled: "yes"');
    expect(text).toContain('name: x # keep me');
  });

  test('running twice gives the same output', () => {
    const once = runBoth(setAnnotations, [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }], owner).objects;
    const twice = runBoth(setAnnotations, once, owner).objects;
    expect(twice).toEqual(once);
    expect(twice[0]).toBe(once[0]);
  });
});
