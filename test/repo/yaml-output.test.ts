import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { parseAllDocuments, stringify } from 'yaml';
import { renderKptfile } from '../../src/kpt/kptfile';
import { toYamlDocuments } from '../../src/repo/yaml-output';
import { onPath } from '../support/tmp';

/** What the emitter replaced; its output for ordinary objects is the reference layout. */
const PREVIOUS_OPTIONS = { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false } as const;

/** Reads YAML back with the `yaml` package, failing on any error or warning. */
function readBack(text: string, version: '1.1' | '1.2'): unknown[] {
  const docs = parseAllDocuments(text, { version });
  if (!Array.isArray(docs)) return [];
  return docs.map(doc => {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) throw new Error(`YAML ${version} could not read:\n${text}\n${problems.join('\n')}`);
    return doc.toJS();
  });
}

/** Same values (with -0 told from 0) and the same key order. */
function sameData(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b) && JSON.stringify(a) === JSON.stringify(b);
}

function expectRoundTrip(values: unknown[]): string {
  const text = toYamlDocuments(values);
  for (const version of ['1.1', '1.2'] as const) {
    const back = readBack(text, version);
    values.forEach((value, i) => {
      if (!sameData(back[i], value)) {
        throw new Error(`YAML ${version} read back a different value.\nvalue: ${JSON.stringify(value)}\nback:  ${JSON.stringify(back[i])}\nyaml:\n${text}`);
      }
    });
  }
  return text;
}

/** Strings that YAML 1.1 or 1.2 resolvers, go-yaml or YAML syntax treat specially. */
const TRICKY_STRINGS: readonly string[] = [
  // booleans, nulls and other 1.1 types
  'y', 'Y', 'n', 'N', 'yes', 'Yes', 'YES', 'yEs', 'no', 'No', 'NO', 'nO', 'true', 'True', 'TRUE', 'tRuE', 'false', 'FALSE',
  'on', 'On', 'ON', 'oN', 'off', 'Off', 'OFF', 'null', 'Null', 'NULL', 'nULL', '~', '', '<<', '=',
  // integers in every base and form
  '0', '7', '-1', '+12', '017', '0o17', '0O17', '0x1F', '0X1f', '0b1010', '0B11', '-0b11', '-0x1F', '1_000', '1__0', '_1', '+_1', '0_7',
  '12345678901234567890', '1:20', '190:20:30', '-1:20', '8080:80', '1:5_0',
  // floats
  '.5', '5.', '1.5', '-1.5', '+.5', '1e3', '1E3', '1e+3', '1.5e-3', '1.0.0', '.', '..', '1._5', '6.8523015e+5', '685.230_15e+03', 'e3', 'E30', '+e3', '.e3', 'e', 'e3x',
  '.inf', '.Inf', '.INF', '-.inf', '+.inf', '.iNf', '.nan', '.NaN', '.NAN', 'inf', 'nan', 'Infinity', '0x1p-2',
  // timestamps
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2001-12-15T02:59:43.1Z', '2002-1-2', '2001-12-14-release',
  // indicators and syntax
  '-', '- x', '-x', '--flag', '--config=/etc/amf.yaml', '?', '? x', '?x', ':', ': x', ':x', ',', 'a,b', '[a]', ']', '{a: 1}', '}', '#', '#x',
  '&anchor', '*alias', '!tag', '!!str', '|', '|-', '>', '>-', "'", "'quoted'", '"', '"quoted"', 'it\'s "both"', '%YAML 1.1', '@at', '`tick',
  'key: value', 'key:value', 'trailing:', 'a #comment', 'a#b', 'http://example.com/a?b=c#d', 'registry.example.com/5gc/amf:1.0.0',
  '---', '--- x', '...', '... x', '----', ' leading', 'trailing ', '  ', ' ', 'a  b', 'app.kubernetes.io/name', '250m', '1Gi', '512Mi',
  // controls, line breaks and invisible characters
  'tab\there', '\t', 'a\rb', 'a\r\nb', 'nul\0', 'bell\x07', 'esc\x1b', 'del\x7f', 'nel\u0085x', 'nbsp\u00a0x', '\u00a0lead', 'ls\u2028x',
  'ps\u2029x', '\ufeffbom', 'zw\u200bx', 'rtl\u202ex', '\ufffe', '\uffff', 'back\\slash', 'c1\x9b',
  // unicode
  'ĉu ŝi', 'Grüße', '日本語', 'مرحبا', '😀', 'emoji 😀 ok', '👩‍👩‍👧', '\u{10FFFF}', 'e\u0301',
  // multi-line
  'a\nb', 'a\nb\n', 'a\nb\n\n', 'a\nb\n\n\n', '\n', '\n\n', '\na', '\n\na\n', ' a\nb', '\n  a\nb\n', 'a\n b\n  c\n',
  'a \nb', 'a\nb ', 'a\n  \nb', 'a\n\tb', 'a\n#b\n- c\n---\n...\n', 'key: value\nother: "x"\n', 'a\r\nb\r\n', 'x\n\u2028y', 'long line\n'.repeat(50),
  // long
  'x'.repeat(5000), 'word '.repeat(400).trim(), 'yes'.repeat(300),
];

describe('toYamlDocuments', () => {
  test('writes the layout of the yaml package, quoting only what is not a plain string', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'amf', labels: { 'app.kubernetes.io/name': 'amf', 'on': 'yes' } },
      spec: {
        replicas: 2,
        template: {
          spec: {
            containers: [{
              name: 'amf',
              image: 'registry.example.com/5gc/amf:1.0.0',
              args: ['--config=/etc/amf/amf.yaml', '0755', ''],
              ports: [{ containerPort: 8080, protocol: 'SCTP' }],
              env: [{ name: 'GREETING', value: 'hello\nworld\n' }, { name: 'RATIO', value: '0.5' }],
            }],
            volumes: [],
            nodeSelector: {},
            tolerations: [[' indented\nnext']],
          },
        },
      },
    };
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'amf-config' },
      data: { '8080': '2001-12-14', 'amf.yaml': 'plmn:\n  mcc: "001"\n', 'keep': 'a\n\n', 'tab': 'a\tb', 'quote': '"hi"' },
      immutable: true,
      weight: -1.5,
      missing: null,
    };

    expect(expectRoundTrip([deployment, configMap])).toBe(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: amf
  labels:
    app.kubernetes.io/name: amf
    "on": "yes"
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: amf
          image: registry.example.com/5gc/amf:1.0.0
          args:
            - --config=/etc/amf/amf.yaml
            - "0755"
            - ""
          ports:
            - containerPort: 8080
              protocol: SCTP
          env:
            - name: GREETING
              value: |
                hello
                world
            - name: RATIO
              value: "0.5"
      volumes: []
      nodeSelector: {}
      tolerations:
        - - |2-
             indented
            next
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: amf-config
data:
  "8080": "2001-12-14"
  amf.yaml: |
    plmn:
      mcc: "001"
  keep: |+
    a

  tab: "a\\tb"
  quote: '"hi"'
immutable: true
weight: -1.5
missing: null
`);
  });

  test.each([
    ['on', '"on"'], ['Y', '"Y"'], ['0o17', '"0o17"'], ['1_000', '"1_000"'], ['1:20', '"1:20"'], ['=', '"="'], ['<<', '"<<"'],
    ['?x', '"?x"'], [':x', '":x"'], ['a: b', '"a: b"'], ['a #b', '"a #b"'], ['"hi"', '\'"hi"\''], ['it\'s "x"', 'it\'s "x"'],
    ['--flag', '--flag'], ['-', '"-"'], ['1Gi', '1Gi'], ['1.0.0', '1.0.0'], ['8080:80', '8080:80'], ['a\tb', '"a\\tb"'],
    ['nul\0\x01\x1b\x7f\u0085', '"nul\\0\\x01\\e\\x7f\\x85"'], ['\u2028\ufeff\ud800', '"\\u2028\\ufeff\\ud800"'], ['😀', '😀'],
  ])('writes %j as %s', (value, scalar) => {
    expect(toYamlDocuments([{ v: value }])).toBe(`v: ${scalar}\n`);
  });

  test('every tricky string reads back the same as a value, a key and a sequence item', () => {
    for (const s of TRICKY_STRINGS) {
      expectRoundTrip([
        { [s]: s, list: [s, [s], { [s]: [s, { [s]: s }] }], nested: { deeper: { [s]: s, after: 'x' } } },
        [s, { [s]: s }],
      ]);
    }
  });

  test('random nested values read back the same under YAML 1.1 and 1.2', () => {
    const generate = new RandomValues(20240611);
    for (let i = 0; i < 3000; i++) {
      const value = generate.document();
      expectRoundTrip([value]);
      expect(toYamlDocuments([value])).toBe(toYamlDocuments([structuredClone(value)]));
    }
  });

  test('a document that is a scalar is written on one line', () => {
    expect(expectRoundTrip(['scalar document', 'on', 'a\n---\nb\n', 7, null])).toBe('scalar document\n---\n"on"\n---\n"a\\n---\\nb\\n"\n---\n7\n---\nnull\n');
  });

  test('numbers stay numbers of the same value', () => {
    const numbers = [0, -0, 1, -1, 8080, 2 ** 31, 2 ** 53 - 1, -(2 ** 53), 2 ** 60, 1e21, 1e-7, 0.1, -1.5, 1 / 3, 5e-324, Number.MAX_VALUE];
    const text = expectRoundTrip([{ numbers }]);
    expect(text).toBe(`numbers:\n${numbers.map(n => `  - ${Object.is(n, -0) ? '-0' : String(n)}\n`).join('')}`);
  });

  test('ordinary Kubernetes objects come out as the yaml package wrote them', () => {
    const objects = [...realisticWorkload(), realisticKptfile()];
    expectRoundTrip(objects);
    for (const object of objects) expect(toYamlDocuments([object])).toBe(stringify(object, PREVIOUS_OPTIONS));
  });

  test('values that are not plain JSON data go through the yaml package', () => {
    expect(toYamlDocuments([{ when: new Date(0) }])).toBe('when: 1970-01-01\n');
    expect(toYamlDocuments([{ a: 1, skipped: undefined }])).toBe('a: 1\n');
    expect(toYamlDocuments([{ big: 10n }])).toBe('big: 10\n');
    expect(toYamlDocuments([{ point: new (class Point { x = '0o17'; })() }])).toBe('point:\n  x: "0o17"\n');
  });

  test('keys too long for an implicit key are written as explicit entries', () => {
    const longKey = 'k'.repeat(1100);
    const objects = [{ [longKey]: { a: 1, b: [1, 2] }, next: 1 }, [{ [longKey]: 'v\nw\n' }, { [longKey]: [{ a: 1 }, 2] }]];
    expectRoundTrip(objects);
    for (const object of objects) expect(toYamlDocuments([object])).toBe(stringify(object, PREVIOUS_OPTIONS));
  });
});

/** Go YAML parsers (kyaml over yaml.v3 in kpt; sigs.k8s.io/yaml over go-yaml v2 in kubectl). */
describe('toYamlDocuments read by Go YAML parsers', () => {
  // Go strings are UTF-8: lone surrogates cannot reach them.
  const goStrings = TRICKY_STRINGS.filter(s => !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')));
  const tricky = {
    apiVersion: 'example.com/v1',
    kind: 'Tricky',
    metadata: { name: 'tricky', labels: { 'on': 'yes', 'app.kubernetes.io/version': '1.0.0' } },
    data: Object.fromEntries(goStrings.map((s, i) => [`k${i}`, s])),
    keys: Object.fromEntries(goStrings.map((s, i) => [s, i])),
    list: goStrings,
    nested: [{ values: goStrings.map(s => ({ [s]: [s] })) }],
    numbers: [0, 1.5, -7, 1e21, 2 ** 53 - 1],
    flags: [true, false, null],
  };

  function writeResources(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nephoran-yaml-'));
    fs.writeFileSync(path.join(dir, 'tricky.yaml'), toYamlDocuments([tricky]));
    return dir;
  }

  const hasKpt = onPath('kpt');
  (hasKpt ? test : test.skip)(`kpt fn source reads every value back as written${hasKpt ? '' : ' (skipped: kpt is not on PATH)'}`, () => {
    const result = spawnSync('kpt', ['fn', 'source', writeResources(), '--output', 'unwrap'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // kyaml keeps each scalar's style and re-encodes the value it decoded; reading that back shows what Go read.
    const [back] = readBack(result.stdout, '1.1');
    expect(back).toEqual(tricky);
  });

  const hasKubectl = onPath('kubectl');
  (hasKubectl ? test : test.skip)(`kubectl reads every value back as written${hasKubectl ? '' : ' (skipped: kubectl is not on PATH)'}`, () => {
    const file = path.join(writeResources(), 'tricky.yaml');
    // --local reads the file offline and prints the JSON that sigs.k8s.io/yaml converted it to.
    const result = spawnSync('kubectl', ['annotate', '--local', '-f', file, 'checked=true', '-o', 'json'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const back = JSON.parse(result.stdout);
    delete back.metadata.annotations;
    expect(back).toEqual(tricky);
  });
});

function realisticWorkload(): Array<Record<string, any>> {
  const chart = Testing.chart();
  const deployment = new kplus.Deployment(chart, 'amf', {
    metadata: { name: 'amf', labels: { 'app.kubernetes.io/part-of': '5gc' }, annotations: { 'nephio.org/owner': 'core-team' } },
    replicas: 2,
    containers: [{
      name: 'amf',
      image: 'registry.example.com/5gc/amf:1.0.0',
      args: ['--config=/etc/amf/amf.yaml', '-v', '2'],
      envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('debug'), MCC: kplus.EnvValue.fromValue('001') },
      portNumber: 8080,
      resources: {
        cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
      securityContext: { ensureNonRoot: true, user: 1000, group: 1000 },
    }],
  });
  deployment.exposeViaService({ name: 'amf', ports: [{ port: 8080 }] });
  new kplus.ConfigMap(chart, 'amf-config', {
    metadata: { name: 'amf-config' },
    data: { 'amf.yaml': 'amf:\n  plmn:\n    mcc: "001"\n    mnc: "01"\n  sbi:\n    port: 8080\n', 'motd': 'single line' },
  });
  return Testing.synth(chart);
}

function realisticKptfile(): Record<string, any> {
  return renderKptfile({
    name: 'amf',
    info: { description: 'AMF for the edge cluster', keywords: ['5gc', 'amf'] },
    upstream: { repo: 'https://github.com/example/catalog.git', directory: 'packages/network-functions/amf', ref: 'v1.2.0', commit: '0123abc' },
    mutators: [{ image: 'ghcr.io/kptdev/krm-functions-catalog/set-namespace:v0.4.1', configMap: { namespace: 'core' } }],
    validators: [{ image: 'ghcr.io/kptdev/krm-functions-catalog/kubeval:v0.3.0', configMap: { strict: 'true' } }],
  });
}

/** Seeded generator of nested JSON data with adversarial strings (mulberry32). */
class RandomValues {
  private static readonly WORDS = ['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null', 'nan', 'inf', 'infinity', 'merge'];
  private static readonly NUMBER_PARTS = ['0', '1', '5', '7', '9', '_', '.', 'e', 'E', '+', '-', ':', 'x', 'o', 'b', 'f', '0x', '0o', '0b', ' ', 't', 'z'];
  private static readonly FRAGMENTS = [
    'a', 'Z', 'k8s', '0', '9', ' ', '  ', '-', '--', '?', ':', ': ', ',', '[', ']', '{', '}', '#', ' #', '&', '*', '!', '|', '>', "'", '"',
    '%', '@', '`', '\n', '\n\n', '\t', '\r', '\\', '/', '.', '_', '~', '=', '<<', '---', '...', 'é', '😀', '\u00a0', '\u0085', '\u2028',
    '\u2029', '\ufeff', '\0', '\x07', '\x1b', '\x7f', '\u200b', '\ud800', '\udc00', '0x', '0o', '0b', 'e3', '+', 'yes', 'on', 'null',
    '.inf', '.nan', '2001-12-14', '1:20', 'true',
  ];
  private static readonly NUMBERS = [
    0, -0, 1, -1, 42, 8080, 2 ** 31, 2 ** 53 - 1, -(2 ** 53), 2 ** 60, 1e21, 1e-7, 0.1, -1.5, 5e-324, Number.MAX_VALUE,
  ];

  private state: number;

  constructor(seed: number) {
    this.state = seed;
  }

  document(): unknown {
    return this.chance(0.5) ? this.map(3) : this.value(3);
  }

  private value(depth: number): unknown {
    const roll = this.next();
    if (depth > 0 && roll < 0.2) return this.map(depth - 1);
    if (depth > 0 && roll < 0.35) return this.array(depth - 1);
    if (roll < 0.75) return this.string();
    if (roll < 0.88) return this.number();
    if (roll < 0.94) return this.chance(0.5);
    return null;
  }

  private map(depth: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (let i = this.int(6); i > 0; i--) {
      const key = this.string();
      if (key !== '__proto__') map[key] = this.value(depth);
    }
    return map;
  }

  private array(depth: number): unknown[] {
    return Array.from({ length: this.int(5) }, () => this.value(depth));
  }

  private string(): string {
    const roll = this.next();
    if (roll < 0.2) return this.randomCase(this.pick(RandomValues.WORDS));
    if (roll < 0.25) return this.pick(TRICKY_STRINGS);
    if (roll < 0.45) return this.joined(RandomValues.NUMBER_PARTS, 1 + this.int(7));
    if (roll < 0.75) return this.joined(RandomValues.FRAGMENTS, 1 + this.int(8));
    if (roll < 0.95) return this.multiLine();
    return this.joined(RandomValues.FRAGMENTS, 1).repeat(200 + this.int(2000));
  }

  private multiLine(): string {
    const lines = Array.from({ length: 1 + this.int(5) }, () => this.pick(['', 'text', '  indented', 'key: value', '# comment', '- item', 'trail  ', '\ttab', '---', 'é😀', this.joined(RandomValues.FRAGMENTS, 3)]));
    const leading = this.chance(0.2) ? '\n'.repeat(1 + this.int(2)) : '';
    return leading + lines.join('\n') + '\n'.repeat(this.int(4));
  }

  private number(): number {
    const roll = this.next();
    if (roll < 0.4) return this.pick(RandomValues.NUMBERS);
    if (roll < 0.7) return this.int(100000) - 50000;
    return (this.next() - 0.5) * 10 ** (this.int(40) - 20);
  }

  private randomCase(word: string): string {
    return [...word].map(c => (this.chance(0.5) ? c.toUpperCase() : c)).join('');
  }

  private joined(parts: readonly string[], count: number): string {
    return Array.from({ length: count }, () => this.pick(parts)).join('');
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  private int(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  private chance(probability: number): boolean {
    return this.next() < probability;
  }

  private next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
