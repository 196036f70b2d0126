import { Document } from 'yaml';
import { configMap, failBoth, LOCAL, runBoth } from './helpers';
import { setLabels } from '../../../src/kpt/functions';
import { parseYamlItems, stringifyYamlItems } from '../../../src/kpt/resource-list';

const labels = configMap({ app: 'amf', tier: 'core' });

describe('set-labels: selectors and templates', () => {
  test('Service selector is created even when the Service has none (ExternalName)', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'x.example.com' } };
    const { objects } = runBoth(setLabels, [svc], labels);
    expect(objects[0].spec.selector).toEqual({ app: 'amf', tier: 'core' });
  });

  test('Deployment selector is created even without spec; the pod template only where it exists', () => {
    const { objects } = runBoth(setLabels, [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }], labels);
    expect(objects[0].spec).toEqual({ selector: { matchLabels: { app: 'amf', tier: 'core' } } });
  });

  test('Deployment pod template and topology spread selectors (existing keys only)', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { template: { spec: { topologySpreadConstraints: [{ labelSelector: { matchLabels: { app: 'old', other: 'x' } } }] } } },
    };
    const { objects } = runBoth(setLabels, [deployment], labels);
    expect(objects[0].spec.template.metadata.labels).toEqual({ app: 'amf', tier: 'core' });
    expect(objects[0].spec.template.spec.topologySpreadConstraints[0].labelSelector.matchLabels).toEqual({ app: 'amf', other: 'x' });
  });

  test('Deployment, ReplicaSet and DaemonSet match in any group; StatefulSet only in apps', () => {
    const { objects } = runBoth(setLabels, [
      { apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'd' } },
      { apiVersion: 'example.com/v1', kind: 'StatefulSet', metadata: { name: 's' } },
    ], labels);
    expect(objects[0].spec.selector.matchLabels).toEqual({ app: 'amf', tier: 'core' });
    expect(objects[1].spec).toBeUndefined();
  });

  test('Job, PodDisruptionBudget and NetworkPolicy selectors are only overwritten, never extended', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { selector: { matchLabels: { app: 'old' } }, template: { spec: {} } } };
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: 1 } };
    const netpol = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'n' },
      spec: {
        podSelector: { matchLabels: { tier: 'edge' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'old', role: 'db' } } }, { namespaceSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
      },
    };
    const { objects } = runBoth(setLabels, [job, pdb, netpol], labels);
    expect(objects[0].spec.selector.matchLabels).toEqual({ app: 'amf' });
    expect(objects[0].spec.template.metadata.labels).toEqual({ app: 'amf', tier: 'core' });
    expect(objects[1].spec).toEqual({ minAvailable: 1 });
    expect(objects[2].spec.podSelector.matchLabels).toEqual({ tier: 'core' });
    expect(objects[2].spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { app: 'amf', role: 'db' } } }, { namespaceSelector: {} }]);
    expect(objects[2].spec.egress[0].to).toEqual([{ podSelector: {} }]);
  });

  test('CronJob job template: labels created, selector only overwritten', () => {
    const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: {} } } } } };
    const { objects } = runBoth(setLabels, [cronJob], labels);
    const jobTemplate = objects[0].spec.jobTemplate;
    expect(jobTemplate.metadata.labels).toEqual({ app: 'amf', tier: 'core' });
    expect(jobTemplate.spec.selector).toBeUndefined();
    expect(jobTemplate.spec.template.metadata.labels).toEqual({ app: 'amf', tier: 'core' });
  });

  test('StatefulSet volume claim templates get labels; their selector is read at the template top level', () => {
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 's' },
      spec: { volumeClaimTemplates: [{ metadata: { name: 'data' }, selector: { matchLabels: { app: 'old' } }, spec: { selector: { matchLabels: { app: 'old' } } } }] },
    };
    const { objects } = runBoth(setLabels, [sts], labels);
    const claim = objects[0].spec.volumeClaimTemplates[0];
    expect(claim.metadata.labels).toEqual({ app: 'amf', tier: 'core' });
    expect(claim.selector.matchLabels).toEqual({ app: 'amf' });
    expect(claim.spec.selector.matchLabels).toEqual({ app: 'old' });
  });

  test('custom resources only get metadata.labels', () => {
    const cr = { apiVersion: 'workload.nephio.org/v1alpha1', kind: 'NFDeployment', metadata: { name: 'amf' }, spec: { selector: { matchLabels: {} } } };
    const { objects } = runBoth(setLabels, [cr], labels);
    expect(objects[0]).toEqual({ ...cr, metadata: { name: 'amf', labels: { app: 'amf', tier: 'core' } } });
  });

  test('counts every (path, key) visited', () => {
    const { results } = runBoth(setLabels, [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }], labels);
    expect(results).toEqual([{ message: 'set 4 labels in total', severity: 'info' }]);
  });
});

describe('set-labels: which objects', () => {
  test('local-config objects are skipped; a Kptfile without the annotation is labelled', () => {
    const local = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kptfile.kpt.dev', annotations: LOCAL } };
    const kptfile = { apiVersion: 'kpt.dev/v1', kind: 'Kptfile', metadata: { name: 'pkg' } };
    const { objects } = runBoth(setLabels, [local, kptfile], labels);
    expect(objects[0]).toBe(local);
    expect(objects[1].metadata.labels).toEqual({ app: 'amf', tier: 'core' });
  });
});

describe('set-labels: config', () => {
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } };

  test('SetLabels typed config, any fn.kpt.dev version', () => {
    const config = { apiVersion: 'fn.kpt.dev/v1beta1', kind: 'SetLabels', metadata: { name: 'c' }, labels: { app: 'amf' } };
    expect(runBoth(setLabels, [svc], config).objects[0].metadata.labels).toEqual({ app: 'amf' });
  });

  test('empty labels: a warning and no change', () => {
    const config = { apiVersion: 'fn.kpt.dev/v1alpha1', kind: 'SetLabels', metadata: { name: 'c' }, labels: {} };
    const { objects, results } = runBoth(setLabels, [svc], config);
    expect(objects[0]).toBe(svc);
    expect(results).toEqual([{ message: 'no `labels` arguments are given in FunctionConfig', severity: 'warning' }]);
  });

  test('no config fails when there are items, succeeds when there are none', () => {
    expect(failBoth(setLabels, [svc]).results[0]).toEqual({ message: '`FunctionConfig` is not given', severity: 'info' });
    expect(failBoth(setLabels, [svc], configMap({})).results.some(r => r.severity === 'error')).toBe(true);
    expect(runBoth(setLabels, [], undefined).results).toEqual([
      { message: '`FunctionConfig` is not given', severity: 'info' },
      { message: 'no input resources', severity: 'info' },
    ]);
  });

  test('label values must be strings in SetLabels', () => {
    const config = { apiVersion: 'fn.kpt.dev/v1alpha1', kind: 'SetLabels', metadata: { name: 'c' }, labels: { version: 1 } };
    expect(failBoth(setLabels, [svc], config).message).toContain('cannot unmarshal number into Go struct field SetLabels.labels of type string');
  });

  test('a ConfigMap value written as a number keeps its text', () => {
    const [config] = parseYamlItems('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: function-input}\ndata:\n  version: 1.10\n');
    const out = setLabels.run([new Document(svc)], config);
    expect(out.items[0].toJS().metadata.labels).toEqual({ version: '1.10' });
  });
});

describe('set-labels: errors and output', () => {
  test('labels that are not a map are an error and nothing changes', () => {
    const bad = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: ['a', 'b'] } };
    const err = failBoth(setLabels, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok' } }, bad], labels);
    expect(err.results.find(r => r.severity === 'error')).toMatchObject({ resourceRef: { kind: 'ConfigMap', name: 'x' }, field: 'metadata.labels' });
  });

  test('values YAML 1.1 would read as booleans are quoted in the written YAML', () => {
    const items = parseYamlItems('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x # keep me\n');
    const out = setLabels.run(items, new Document(configMap({ enabled: 'on', version: '1' })));
    const text = stringifyYamlItems(out.items);
    expect(text).toContain('enabled: "on"');
    expect(text).toContain('version: "1"');
    expect(text).toContain('name: x # keep me');
  });
});
