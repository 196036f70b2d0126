/**
 * `nephoran fn` on a large ResourceList: 50,000 realistic objects (Deployments, Services,
 * ConfigMaps, kpt's path/index annotations, some `# kpt-set:` comments), as YAML and as JSON,
 * through `nephoran fn set-labels`, beside the same work done with the plain `yaml` package
 * (parse the list, add the labels to every item's metadata, stringify it) as a baseline.
 *
 * Each measurement runs alone in a fresh Node process reading the list from a file on stdin and
 * writing to /dev/null; peak = that process's max RSS. The CLI runs compiled to JavaScript (into
 * bench/out/fn-js), as the installed `nephoran` bin would.
 *
 *   npx ts-node --transpile-only --project test/tsconfig.json bench/fn.ts [--objects 50000] [--runs 1] [--no-compile] [--main <main.js>]
 *
 * --main measures another compiled CLI (e.g. an earlier version's lib/cli/main.js) instead.
 *
 * Prints a table, and with --json one JSON line (for bench/run.ts).
 *
 * On the 2-core bench machine (shared, so times vary by tens of percent), 50,000 objects:
 *
 *   | fn set-labels, 50,000 objects           | input MB |     ms | peak MB |
 *   |-----------------------------------------|---------:|-------:|--------:|
 *   | yaml: before (one yaml Document)        |     48.1 | 69,317 |   2,768 |
 *   | yaml: `nephoran fn set-labels`          |     48.1 |  2,258 |     412 |
 *   | yaml: yaml package parse + stringify    |     48.1 | 33,190 |   2,714 |
 *   | json: before                            |     36.1 | 19,421 |   1,265 |
 *   | json: `nephoran fn set-labels`          |     36.1 |  1,513 |     312 |
 *   | json: yaml package parse + stringify    |     36.1 | 32,148 |   2,622 |
 *
 * ("before" is the CLI before the one-pass reader, measured with --main on its compiled lib.)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toYamlDocuments } from '../src/repo/yaml-output';

const OUT_DIR = path.join(__dirname, 'out');
const COMPILED_DIR = path.join(OUT_DIR, 'fn-js');
const LABELS = { 'app.kubernetes.io/part-of': 'bench', 'tier': 'core' };

export interface FnMeasurement {
  readonly format: 'yaml' | 'json';
  readonly side: 'nephoran' | 'yaml package';
  readonly objects: number;
  readonly inputMB: number;
  readonly ms: number;
  readonly peakMB: number;
}

interface Options {
  /** The compiled CLI to measure. @default bench/out/fn-js/cli/main.js */
  readonly main?: string;
  readonly objects: number;
  readonly runs: number;
  readonly compile: boolean;
  readonly json: boolean;
}

function parseOptions(argv: string[]): Options {
  const value = (flag: string, fallback: number) => {
    const at = argv.indexOf(flag);
    const n = at >= 0 ? Number(argv[at + 1]) : fallback;
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} takes a whole number of at least 1`);
    return n;
  };
  const mainAt = argv.indexOf('--main');
  const main = mainAt >= 0 ? path.resolve(argv[mainAt + 1]) : undefined;
  return { objects: value('--objects', 50_000), runs: value('--runs', 1), compile: !main && !argv.includes('--no-compile'), json: argv.includes('--json'), main };
}

function log(line: string): void {
  process.stderr.write(line + '\n');
}

/** One network function the way kpt hands it to a function: path and index annotations, a setter comment on the image. */
function objectsOf(i: number): Array<Record<string, any>> {
  const name = `nf-${i}`;
  const file = `nfs/${name}/`;
  const annotations = (f: string, index: number) => ({
    'config.kubernetes.io/index': String(index),
    'config.kubernetes.io/path': file + f,
    'internal.config.kubernetes.io/index': String(index),
    'internal.config.kubernetes.io/path': file + f,
  });
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'fleet' };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'core', labels, annotations: annotations('deployment.yaml', 0) },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [{
              name,
              image: `registry.example.com/nf/${name}:1.0.0`,
              args: ['--config=/etc/nf/nf.yaml', '--log-level=info'],
              env: [{ name: 'MCC', value: '001' }, { name: 'MNC', value: '01' }],
              ports: [{ containerPort: 8080, protocol: 'TCP' }],
              resources: { limits: { cpu: '1', memory: '512Mi' }, requests: { cpu: '250m', memory: '256Mi' } },
              securityContext: { runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false },
              volumeMounts: [{ name: 'config', mountPath: '/etc/nf' }],
            }],
            volumes: [{ name: 'config', configMap: { name: `${name}-config` } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'core', labels, annotations: annotations('service.yaml', 0) },
      spec: { selector: labels, ports: [{ name: 'sbi', port: 8080, targetPort: 8080 }], type: 'ClusterIP' },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-config`, namespace: 'core', annotations: annotations('configmap.yaml', 0) },
      data: { 'nf.yaml': `nf:\n  name: ${name}\n  plmn:\n    mcc: "001"\n    mnc: "01"\n  sbi:\n    port: 8080\n` },
    },
  ];
}

/** Writes the list as YAML (kpt's layout, with setter comments) and as JSON; returns the two paths. */
export function writeInputs(count: number, dir: string): { yaml: string; json: string } {
  const items: Array<Record<string, any>> = [];
  for (let i = 0; items.length < count; i++) items.push(...objectsOf(i));
  items.length = count;
  const list = {
    apiVersion: 'config.kubernetes.io/v1',
    kind: 'ResourceList',
    items,
    functionConfig: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' }, data: LABELS },
  };
  const yamlPath = path.join(dir, 'list.yaml');
  // kpt keeps `# kpt-set:` comments on the items it sends.
  fs.writeFileSync(yamlPath, toYamlDocuments([list]).replace(/^( +image: .*)$/gm, '$1 # kpt-set: ${image}'));
  const jsonPath = path.join(dir, 'list.json');
  fs.writeFileSync(jsonPath, JSON.stringify(list));
  return { yaml: yamlPath, json: jsonPath };
}

/** Loaded with `-r` into each measured process: records its max RSS when it exits. */
const PRELOAD = `const fs = require('fs');
process.on('exit', () => fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));
`;

const CLI_RUNNER = `require(process.env.BENCH_MAIN).main(process.argv.slice(2)).then(code => { process.exitCode = code; });
`;

/** The baseline: the whole list through the yaml package, labels added to every item's metadata. */
const BASELINE = `const fs = require('fs');
const yaml = require(process.env.BENCH_YAML);
const list = yaml.parse(fs.readFileSync(0, 'utf8'));
const labels = list.functionConfig.data;
for (const item of list.items) item.metadata.labels = { ...item.metadata.labels, ...labels };
fs.writeFileSync(1, yaml.stringify(list, { lineWidth: 0 }));
`;

function compile(): void {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const tsconfig = path.join(OUT_DIR, 'tsconfig.fn.json');
  fs.writeFileSync(tsconfig, JSON.stringify({
    extends: '../../tsconfig.json',
    compilerOptions: { rootDir: '../../src', outDir: 'fn-js', declaration: false, inlineSourceMap: false, inlineSources: false, noEmitOnError: false },
    include: ['../../src/**/*.ts'],
  }, null, 2));
  fs.rmSync(COMPILED_DIR, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], { encoding: 'utf8' });
  if (!fs.existsSync(path.join(COMPILED_DIR, 'cli', 'main.js'))) throw new Error(`compiling failed:\n${tsc.stdout}${tsc.stderr}`);
  // The CLI reads its version from the package.json two folders above cli/main.js.
  fs.copyFileSync(path.join(__dirname, '..', 'package.json'), path.join(OUT_DIR, 'package.json'));
  if (tsc.status !== 0) log(`warning: the compiler reported type errors; the bench runs what it emitted:\n${tsc.stdout.split('\n').slice(0, 5).join('\n')}`);
}

function measure(script: string, args: string[], input: string, dir: string, main: string): { ms: number; peakMB: number; exitCode: number | null } {
  const rssFile = path.join(dir, 'rss');
  fs.rmSync(rssFile, { force: true });
  const stdin = fs.openSync(input, 'r');
  const stdout = fs.openSync('/dev/null', 'w');
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['-r', path.join(dir, 'preload.js'), script, ...args], {
    stdio: [stdin, stdout, 'pipe'],
    env: { ...process.env, BENCH_RSS_FILE: rssFile, BENCH_MAIN: main, BENCH_YAML: require.resolve('yaml') },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  fs.closeSync(stdin);
  fs.closeSync(stdout);
  if (child.status !== 0) throw new Error(`${path.basename(script)} ${args.join(' ')} failed (exit ${child.status ?? child.signal}):\n${child.stderr.slice(-2000)}`);
  // ru_maxrss is in KiB on Linux.
  return { ms, peakMB: Number(fs.readFileSync(rssFile, 'utf8')) * 1024 / 1e6, exitCode: child.status };
}

/** The run with the median time. */
function median<T extends { ms: number }>(runs: T[]): T {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor((runs.length - 1) / 2)];
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function runFnBench(options: Options): FnMeasurement[] {
  if (options.compile) {
    log('compiling the library into bench/out/fn-js ...');
    compile();
  }
  const main = options.main ?? path.join(COMPILED_DIR, 'cli', 'main.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nephoran-bench-fn-'));
  try {
    fs.writeFileSync(path.join(dir, 'preload.js'), PRELOAD);
    fs.writeFileSync(path.join(dir, 'cli.js'), CLI_RUNNER);
    fs.writeFileSync(path.join(dir, 'baseline.js'), BASELINE);
    log(`writing ${fmt(options.objects)} objects ...`);
    const inputs = writeInputs(options.objects, dir);
    const results: FnMeasurement[] = [];
    for (const format of ['yaml', 'json'] as const) {
      const input = inputs[format];
      const inputMB = fs.statSync(input).size / 1e6;
      for (const side of ['nephoran', 'yaml package'] as const) {
        const runs = Array.from({ length: options.runs }, () => side === 'nephoran'
          ? measure(path.join(dir, 'cli.js'), ['fn', 'set-labels'], input, dir, main)
          : measure(path.join(dir, 'baseline.js'), [], input, dir, main));
        const { ms, peakMB } = median(runs);
        log(`  ${format} ${side}: ${fmt(ms)} ms, peak ${fmt(peakMB)} MB`);
        results.push({ format, side, objects: options.objects, inputMB, ms, peakMB });
      }
    }
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function fnTable(results: readonly FnMeasurement[]): string {
  const lines = [
    `| fn set-labels, ${fmt(results[0]?.objects ?? 0)} objects | input MB | ms | peak MB |`,
    '|---|---:|---:|---:|',
  ];
  for (const r of results) lines.push(`| ${r.format}: ${r.side === 'nephoran' ? '`nephoran fn set-labels`' : 'yaml package parse + stringify'} | ${fmt(r.inputMB, 1)} | ${fmt(r.ms)} | ${fmt(r.peakMB)} |`);
  return lines.join('\n');
}

if (require.main === module) {
  const options = parseOptions(process.argv.slice(2));
  const results = runFnBench(options);
  if (options.json) process.stdout.write(JSON.stringify(results) + '\n');
  else process.stdout.write(`${fnTable(results)}\n`);
}
