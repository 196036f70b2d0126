import { Document, parse, parseDocument, stringify } from 'yaml';
import { findKrmFunction } from '../../../src/kpt/functions';
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
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
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

/**
 * The one-pass reader and writer against the yaml package: for every item below, in kpt's
 * layout (dashes at column 0) and the yaml package's (column 2), the data-only functions give
 * the same data and keep the same comments as when the items go through yaml Documents.
 */
describe('one-pass reading and writing', () => {
  const ITEM_TEXTS = [
    // kpt's annotations, a setter comment, a literal block, numbers and booleans
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: amf # kpt-set: \${name}
  annotations:
    internal.config.kubernetes.io/path: 'amf.yaml'
    config.kubernetes.io/index: "0"
spec:
  replicas: 2
  paused: false
  selector:
    matchLabels: {app: amf}
  template:
    metadata:
      labels:
        app: amf
    spec:
      # the containers
      containers:
      - name: amf
        image: "reg/amf:1.0" # kpt-set: \${image}
        args: []
        env:
          - name: A
            value: "it's \\"quoted\\"\\ttab"
          - name: B
            value: 'single ''quoted'''
          - name: C
      volumes: # none yet
`,
    // literal blocks with each chomping, a comment after the header, empty lines inside
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: blocks
data:
  clip: |
    line one

    line three
  strip: |- # stripped
    no newline
  keep: |+
    kept


  json: '{"a": 1}'
  url: http://example.com:8080/path#frag
  hash: a#b
  colon: "a: b"
`,
    // values the reader leaves to the yaml package: anchors, tags, odd numbers, multi-line plain
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: odd
  labels: &labels
    a: b
data:
  hex: 0x1F
  float: 1.50
  octal: 007
  tagged: !!str 123
  folded: >
    folded
    text
  plain: this is
    two lines
`,
    `apiVersion: v1
kind: Service
metadata: {name: flow, namespace: old}
spec:
  selector:
    app: x
  ports: [{port: 80}]
`,
    // empty and null values, quoted keys, a sequence of sequences, a key-line comment over a list
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: np
  namespace: ~
  "quoted key": 'v'
  labels:
spec:
  podSelector:
    matchLabels:
      role: db
  ingress:
  - from: # peers
    # first peer
    - podSelector:
        matchLabels:
          role: frontend
    -
      namespaceSelector: {}
  matrix:
  - - a
    - b
`,
    // local config is left alone, written back as it came
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: local
  annotations:
    config.kubernetes.io/local-config: "true"
data:
  on: yes
  n: 12
`,
  ];

  const CONFIGS: Record<string, string> = {
    'set-labels': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: function-input\ndata:\n  app: amf\n  tier: "on"\n',
    'set-namespace': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: function-input\ndata:\n  namespace: core\n',
    'set-annotations': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: function-input\ndata:\n  owner: "team: core"\n',
  };

  /** A ResourceList with the items' dashes at `column`, a head comment on the first one. */
  function listText(items: string[], column: number, config: string): string {
    const pad = ' '.repeat(column);
    const body = items.map((text, i) => {
      const lines = text.replace(/\n$/, '').split('\n');
      return (i === 0 ? `${pad}# the first item\n` : '') + lines.map((l, n) => (n === 0 ? `${pad}- ${l}` : l === '' ? '' : `${pad}  ${l}`)).join('\n') + '\n';
    }).join('');
    const configLines = config.replace(/\n$/, '').split('\n').map(l => `  ${l}`).join('\n');
    return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${body}functionConfig:\n${configLines}\n`;
  }

  /** What the function gives on yaml Documents (the reference). */
  function reference(name: string, text: string): { data: unknown[]; comments: string[] } {
    const doc = parseDocument(text);
    const items = (doc.get('items', true) as any).items.map((node: any) => Object.assign(new Document(), { contents: node }));
    const config = Object.assign(new Document(), { contents: doc.get('functionConfig', true) });
    const output = findKrmFunction(name)!.run(items, config);
    return { data: output.items.map(d => d.toJS()), comments: commentsOf(stringifyYamlItems(output.items)) };
  }

  function commentsOf(text: string): string[] {
    return [...text.matchAll(/(?:^|\s)#(.*)$/gm)].map(m => m[1].trim()).sort();
  }

  for (const [name, config] of Object.entries(CONFIGS)) {
    for (const column of [0, 2]) {
      test(`${name}, dashes at column ${column}: same data and comments as through yaml Documents`, () => {
        const text = listText(ITEM_TEXTS, column, config);
        const { stdout, exitCode } = runResourceList(name, text);
        expect(exitCode).toBe(0);
        const expected = reference(name, text);
        const output = parseDocument(stdout);
        expect(output.errors).toEqual([]);
        expect(output.toJS().items).toEqual(expected.data);
        const itemsText = stdout.slice(stdout.indexOf('items:'), stdout.indexOf('\nresults:'));
        expect(commentsOf(itemsText)).toEqual([...expected.comments, 'the first item'].sort());
        expect(stdout).toMatch(/image: "?reg\/amf:1\.0"? # kpt-set: \$\{image\}/);
      });
    }
  }

  test('items a function leaves unchanged go out exactly as they came', () => {
    const text = listText([ITEM_TEXTS[1], ITEM_TEXTS[5]], 0, CONFIGS['set-namespace']);
    const withNamespace = text.replace('    name: blocks\n', '    name: blocks\n    namespace: core\n').replace('# the first item\n', '');
    const { stdout, exitCode } = runResourceList('set-namespace', withNamespace);
    expect(exitCode).toBe(0);
    const items = withNamespace.slice(withNamespace.indexOf('items:\n'), withNamespace.indexOf('functionConfig:'));
    expect(stdout).toContain(items);
    // A head comment above the dash goes after it, where kpt writes it (above, kpt would keep it twice).
    const commented = runResourceList('set-namespace', withNamespace.replace('items:\n', 'items:\n# head\n')).stdout;
    expect(commented).toContain('items:\n- # head\n  apiVersion: v1\n');
  });

  test('CRLF line ends read as LF', () => {
    const text = listText(ITEM_TEXTS.slice(0, 2), 0, CONFIGS['set-labels']);
    const { stdout, exitCode } = runResourceList('set-labels', text.replace(/\n/g, '\r\n'));
    expect(exitCode).toBe(0);
    expect(stdout).toBe(runResourceList('set-labels', text).stdout);
  });

  test('JSON input is read without yaml Documents and written as YAML', () => {
    const list = parse(listText(ITEM_TEXTS.slice(0, 2), 0, CONFIGS['set-labels']));
    const { stdout, exitCode } = runResourceList('set-labels', JSON.stringify(list));
    expect(exitCode).toBe(0);
    expect(parse(stdout).items).toEqual(reference('set-labels', listText(ITEM_TEXTS.slice(0, 2), 0, CONFIGS['set-labels'])).data);
  });
});

describe('deeply nested input', () => {
  const HEAD = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: deep\n';
  const CONFIG = 'functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: function-input\n  data:\n    app: a\n';

  function expectRefused(input: string, line: number): void {
    const { stdout, exitCode } = runResourceList('set-labels', input);
    expect(exitCode).toBe(1);
    const results = parse(stdout).results;
    expect(results).toHaveLength(1);
    expect(results[0].message).toBe(`cannot read the ResourceList: the input nests deeper than 100 levels at line ${line}: no Kubernetes object is that deep, so it is refused (look for runaway nesting in that object)`);
  }

  test('block nesting: refused with its line, whichever reader reads it', () => {
    let block = `${HEAD}  data:\n`;
    for (let i = 0; i < 5000; i++) block += `${' '.repeat(4 + 2 * i)}k${i}:\n`;
    // 6 lines before `data:`, and `data:` itself is level 2
    expectRefused(block + CONFIG, 107);
    // an anchor sends the item to the yaml package, which must not see the nesting either
    expectRefused(block.replace('name: deep', 'name: &n deep') + CONFIG, 107);
  });

  test('flow nesting in YAML and JSON: refused with its line', () => {
    expectRefused(`${HEAD}  data:\n    k: ${'['.repeat(5000)}${']'.repeat(5000)}\n${CONFIG}`, 9);
    const json = `{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList",\n"items": [\n{"a": ${'['.repeat(5000)}${']'.repeat(5000)}}]}`;
    expectRefused(json, 3);
  });

  test('nesting up to the limit is fine', () => {
    let block = `${HEAD}  data:\n`;
    for (let i = 0; i < 90; i++) block += `${' '.repeat(4 + 2 * i)}k${i}:\n`;
    expect(runResourceList('set-labels', block + CONFIG).exitCode).toBe(0);
  });
});

describe('one-pass reading against the yaml package, generated items', () => {
  const STRINGS = ['', ' ', 'yes', 'on', 'No', '1', '007', '1.0', '1.5', '0x1F', '1e3', 'a: b', 'a #b', '#x', '- x', '-x', ':x', '? x',
    'multi\nline', 'trailing\n', 'two\n\n', '  lead', 'tab\there', '"q"', "'s'", "it's", 'null', 'Null', '~', 'true', 'é', '😀', '[a]', '{a}',
    '*a', '&a', '!t', '%x', '@x', '`x', 'a:b', 'http://x:1/y#z', '---', '...', 'x ', '2024-01-02', '1:20', '.inf', '-', 'a\\b', '\u2028'];
  const KEYS = ['name', 'a b', 'a:b', '-a', 'é', 'x.y/z', '1', '01', 'true', '"', "'", '#', 'on', '', 'k'];

  /** A small deterministic generator (mulberry32). */
  function random(seed: number): () => number {
    return () => {
      seed |= 0;
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function value(next: () => number, depth: number): unknown {
    const pick = next();
    if (depth < 4 && pick < 0.25) {
      const map: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 4); i > 0; i--) map[KEYS[Math.floor(next() * KEYS.length)]] = value(next, depth + 1);
      return map;
    }
    if (depth < 4 && pick < 0.4) return Array.from({ length: Math.floor(next() * 3) }, () => value(next, depth + 1));
    if (pick < 0.8) return STRINGS[Math.floor(next() * STRINGS.length)];
    if (pick < 0.9) return [0, -1, 1.5, 12, 1e21, 123456789012, -0.25][Math.floor(next() * 7)];
    return [true, false, null][Math.floor(next() * 3)];
  }

  function item(next: () => number, i: number): Record<string, unknown> {
    const kinds = ['Deployment', 'Service', 'ConfigMap', 'StatefulSet'];
    return {
      apiVersion: 'apps/v1',
      kind: kinds[i % kinds.length],
      metadata: { name: `n${i}`, labels: next() < 0.5 ? { a: STRINGS[Math.floor(next() * STRINGS.length)] } : null, annotations: { k: value(next, 3) } },
      spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: {} } }, data: value(next, 0) },
      extra: value(next, 1),
    };
  }

  // NEPHORAN_FUZZ_RUNS and NEPHORAN_FUZZ_SEED widen the search when the reader changes.
  const runs = Number(process.env.NEPHORAN_FUZZ_RUNS ?? 300);
  test(`${runs} lists in several layouts: the same data as through yaml Documents`, () => {
    const next = random(Number(process.env.NEPHORAN_FUZZ_SEED ?? 20251201));
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' }, data: { app: 'amf', tier: 'on' } };
    const layouts = [{ indentSeq: false, lineWidth: 0 }, { indentSeq: true, lineWidth: 0 }, { indentSeq: false }, { indentSeq: false, lineWidth: 0, flowCollectionPadding: false, collectionStyle: 'any' as const }];
    for (let n = 0; n < runs; n++) {
      const items = Array.from({ length: 3 }, (_, i) => item(next, i));
      let text = stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items, functionConfig: config }, layouts[n % layouts.length]);
      // Comments in a few places
      if (n % 3 === 0) text = text.replace(/^( +)(name: n1)$/m, '$1# above\n$1$2 # after');
      const name = ['set-labels', 'set-namespace', 'set-annotations'][n % 3];
      const cfg = name === 'set-namespace' ? { ...config, data: { namespace: 'core' } } : config;
      text = text.replace(/functionConfig:[\s\S]*$/, `functionConfig:\n${stringify(cfg).replace(/^/gm, '  ').trimEnd()}\n`);
      const { stdout, exitCode } = runResourceList(name, text);
      const ref = (() => {
        try {
          return { data: referenceData(name, text) };
        } catch (err) {
          return { error: err as Error };
        }
      })();
      if ('error' in ref) {
        expect({ n, exitCode }).toEqual({ n, exitCode: 1 });
        continue;
      }
      expect({ n, exitCode }).toEqual({ n, exitCode: 0 });
      expect({ n, items: parse(stdout).items }).toEqual({ n, items: ref.data });
    }
  });

  function referenceData(name: string, text: string): unknown[] {
    const doc = parseDocument(text);
    if (doc.errors.length) throw doc.errors[0];
    const items = (doc.get('items', true) as any).items.map((node: any) => Object.assign(new Document(), { contents: node }));
    const config = Object.assign(new Document(), { contents: doc.get('functionConfig', true) });
    return findKrmFunction(name)!.run(items, config).items.map(d => d.toJS());
  }
});
