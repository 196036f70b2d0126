import { parse } from 'yaml';
import { parseYamlItems, runResourceList, stringifyYamlItems } from '../../../src/kpt/resource-list';

const ITEMS = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
  # the deployment
  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: amf # kpt-set: \${name}
      annotations:
        internal.config.kubernetes.io/path: 'amf.yaml'
    spec:
      replicas: 1 # kpt-set: \${replicas}
      zones: # kpt-set: \${zones}
        - a
`;

describe('runResourceList', () => {
  test('runs a function and keeps comments on the items', () => {
    const input = `${ITEMS}functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: function-input}\n  data: {name: smf, replicas: "2", zones: "[b, c]"}\n`;
    const { stdout, exitCode } = runResourceList('apply-setters', input);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('name: smf # kpt-set: ${name}');
    expect(stdout).toContain('replicas: 2 # kpt-set: ${replicas}');
    expect(stdout).toContain('zones: # kpt-set: ${zones}');
    expect(stdout).toContain('# the deployment');
    const list = parse(stdout);
    expect(list.apiVersion).toBe('config.kubernetes.io/v1');
    expect(list.kind).toBe('ResourceList');
    expect(list.items[0].spec).toEqual({ replicas: 2, zones: ['b', 'c'] });
    expect(list.results[0]).toEqual({ message: 'set field value to "smf"', severity: 'info', field: { path: 'metadata.name' }, file: { path: 'amf.yaml' } });
  });

  test('a failure exits 1 with error results and the items exactly as they came', () => {
    const input = `${ITEMS}functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: function-input}\n  data: {zones: not-a-list}\n`;
    const { stdout, exitCode } = runResourceList('apply-setters', input);
    expect(exitCode).toBe(1);
    const list = parse(stdout);
    expect(list.items).toEqual(parse(input).items);
    expect(list.results).toEqual([{ message: 'failed to apply setters: input to array setter must be an array of values, but found "not-a-list"', severity: 'error' }]);
  });

  test('accepts JSON', () => {
    const input = JSON.stringify({
      apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList',
      items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'a' } }],
      functionConfig: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' }, data: { namespace: 'b' } },
    });
    const { stdout, exitCode } = runResourceList('set-namespace', input);
    expect(exitCode).toBe(0);
    expect(parse(stdout).items[0].metadata.namespace).toBe('b');
  });

  test('no functionConfig and no items are both fine for a function that allows it', () => {
    const { stdout, exitCode } = runResourceList('set-labels', 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n');
    expect(exitCode).toBe(0);
    expect(parse(stdout).results.map((r: any) => r.message)).toEqual(['`FunctionConfig` is not given', 'no input resources']);
  });

  test('unreadable input, a wrong kind and an unknown function are reported as error results', () => {
    for (const [name, input, message] of [
      ['set-labels', 'items: [', 'cannot read the ResourceList'],
      ['set-labels', 'apiVersion: v1\nkind: List\nitems: []\n', 'expected apiVersion config.kubernetes.io/v1 and kind ResourceList'],
      ['set-replicas', 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n', 'unknown function "set-replicas": expected one of set-namespace, set-labels, set-annotations, apply-setters'],
    ]) {
      const { stdout, exitCode } = runResourceList(name, input);
      expect(exitCode).toBe(1);
      const results = parse(stdout).results;
      expect(results).toHaveLength(1);
      expect(results[0].severity).toBe('error');
      expect(results[0].message).toContain(message);
    }
  });
});

describe('parseYamlItems', () => {
  test('drops empty documents and writes documents back as one stream', () => {
    const items = parseYamlItems('---\n# only a comment\n---\na: 1\n---\nb: 2 # two\n');
    expect(items.map(d => d.toJS())).toEqual([{ a: 1 }, { b: 2 }]);
    expect(stringifyYamlItems(items)).toBe('a: 1\n---\nb: 2 # two\n');
  });

  test('a comment on a key line stays there', () => {
    const text = 'list: # first\n  # second\n  - a\nmap: # third\n  k: v\n';
    expect(stringifyYamlItems(parseYamlItems(text))).toBe(text);
  });

  test('invalid YAML is an error', () => {
    expect(() => parseYamlItems('a: [1\n')).toThrow();
  });
});
