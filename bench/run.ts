/**
 * The scale bench (`npm run bench`): nephoran-gitops synth beside plain cdk8s for fleets of
 * 10 x 15, 100 x 50 and 500 x 10 NF instances, then publish of a fleet of about 20,000 files, and
 * which targets are met; then `nephoran fn set-labels` on 50,000 objects beside the yaml package (bench/fn.ts).
 *
 * Each measurement runs alone in a fresh Node process so that its peak memory (max RSS) is its
 * own and no JIT or cache state leaks between them. The children run the library compiled to
 * JavaScript (into bench/out/js) as an installed package would, rather than through ts-node,
 * whose compiler would add its own load time and memory to both sides. Output folders live under
 * bench/out and are removed only at the end: deleting files just before a measurement would make
 * its file creation slower on this machine (see bench/RESULTS.md).
 *
 *   npm run bench      the median of three runs per synth measurement (about 4 minutes on 2 cores)
 *
 * Options (the projen task passes none, so run the script directly to give them):
 *   npx ts-node --transpile-only --project test/tsconfig.json bench/run.ts [--runs 1] [--keep] [--no-compile]
 *   --runs N        the median of N runs per synth measurement
 *   --keep          keep the written folders
 *   --no-compile    run bench/out/js as it is (to measure a modified copy of the compiled library)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SynthMeasurement, SynthSide } from './fleet';
import type { PublishMeasurement } from './fleet-publish';
import { fnTable, runFnBench } from './fn';

const FLEETS: ReadonlyArray<{ clusters: number; nfs: number }> = [
  { clusters: 10, nfs: 15 },
  { clusters: 100, nfs: 50 },
  { clusters: 500, nfs: 10 },
];
/** 55 clusters x 50 NFs synthesize about 20,000 files. */
const PUBLISH_FLEET = { clusters: 55, nfs: 50 };
/** The edit loop: synth again after a one-NF change, into the folder holding the fleet. */
const RESYNTH_FLEET = { clusters: 100, nfs: 50 };

const TARGETS = {
  smallFleetMs: 1000,
  largeFleetRatio: 0.5,
  largeFleetMB: 600,
  linearity: 1.25,
  noOpPublishMs: 2000,
  oneNfPublishMs: 3000,
  diffMs: 1000,
};

const BENCH_DIR = __dirname;
const OUT_DIR = path.join(BENCH_DIR, 'out');
const COMPILED_DIR = path.join(OUT_DIR, 'js');

interface Options {
  readonly runs: number;
  readonly keep: boolean;
  /** Reuse bench/out/js as it is (to run a modified copy of the compiled library). */
  readonly compile: boolean;
}

function parseOptions(argv: string[]): Options {
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 3;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number of at least 1');
  return { runs, keep: argv.includes('--keep'), compile: !argv.includes('--no-compile') };
}

function log(line: string): void {
  process.stderr.write(line + '\n');
}

/** Compiles src/ and the bench children into bench/out/js; type errors are reported, not fatal. */
function compileChildren(): void {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const tsconfig = path.join(OUT_DIR, 'tsconfig.json');
  fs.writeFileSync(tsconfig, JSON.stringify({
    extends: '../../tsconfig.json',
    compilerOptions: { rootDir: '../..', outDir: 'js', declaration: false, inlineSourceMap: false, inlineSources: false, noEmitOnError: false },
    include: ['../../src/**/*.ts', '../fleet.ts', '../fleet-publish.ts'],
  }, null, 2));
  fs.rmSync(COMPILED_DIR, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], { encoding: 'utf8' });
  if (!fs.existsSync(path.join(COMPILED_DIR, 'bench', 'fleet.js'))) {
    throw new Error(`compiling the bench failed:\n${tsc.stdout}${tsc.stderr}`);
  }
  if (tsc.status !== 0) log(`warning: the compiler reported type errors; the bench runs what it emitted:\n${tsc.stdout.split('\n').slice(0, 5).join('\n')}`);
}

/** Runs a compiled child script and parses the JSON line it prints. */
function runChild<T>(script: string, args: Array<string | number>): T {
  const child = spawnSync(process.execPath, [path.join(COMPILED_DIR, 'bench', script), ...args.map(String)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`${script} ${args.join(' ')} failed (exit ${child.status ?? child.signal}):\n${child.stderr.slice(-4000)}`);
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** Runs one side at one size `runs` times, each in a fresh process and a fresh folder; the run with the median synth time (the lower one for an even count). */
function measureSynth(side: SynthSide, clusters: number, nfs: number, runDir: string, runs: number): SynthMeasurement {
  const results: SynthMeasurement[] = [];
  for (let run = 0; run < runs; run++) {
    const outdir = path.join(runDir, `${side}-${clusters}x${nfs}-${run}`);
    const result = runChild<SynthMeasurement>('fleet.js', [side, clusters, nfs, outdir]);
    log(`  ${side.padEnd(5)} ${clusters} x ${nfs}: synth ${fmt(result.synthMs)} ms, load ${fmt(result.loadMs)} ms, ${fmt(result.objects)} objects in ${fmt(result.files)} files, peak ${fmt(megabytes(result.maxRssMiB))} MB`);
    results.push(result);
  }
  return results.sort((a, b) => a.synthMs - b.synthMs)[Math.floor((results.length - 1) / 2)];
}

/** Microseconds to create one small file in a fresh folder under `dir`: this disk's inode cost right now. */
function probeFileCreation(dir: string, count = 1000): number {
  const probe = path.join(dir, `probe-${Date.now()}`);
  fs.mkdirSync(probe, { recursive: true });
  const content = Buffer.alloc(800, 'x');
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(probe, `f${i}.yaml`), content);
  return Number(process.hrtime.bigint() - start) / 1e3 / count;
}

/** `rm -rf` removes the few hundred thousand files of a run several times faster than fs.rmSync. */
function removeRunFolder(dir: string): void {
  log('removing the written folders ...');
  const rm = process.platform === 'win32' ? undefined : spawnSync('rm', ['-rf', dir]);
  if (rm?.status !== 0) fs.rmSync(dir, { recursive: true, force: true });
}

function megabytes(mebibytes: number): number {
  return mebibytes * 1024 * 1024 / 1e6;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

interface Row {
  readonly clusters: number;
  readonly nfs: number;
  readonly ours: SynthMeasurement;
  readonly plain: SynthMeasurement;
}

const perThousand = (m: SynthMeasurement) => m.synthMs / m.objects * 1000;

function synthTable(rows: Row[]): string {
  const lines = [
    '| fleet (clusters x NFs) | NF instances | ours: objects | ours: synth ms | ours: peak MB | plain cdk8s: objects | plain cdk8s: synth ms | plain cdk8s: peak MB | time ratio | memory ratio | ours: ms / 1,000 objects | plain: ms / 1,000 objects |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { clusters, nfs, ours, plain } of rows) {
    lines.push(`| ${clusters} x ${nfs} | ${fmt(clusters * nfs)} | ${fmt(ours.objects)} | ${fmt(ours.synthMs)} | ${fmt(megabytes(ours.maxRssMiB))} | ${fmt(plain.objects)} | ${fmt(plain.synthMs)} | ${fmt(megabytes(plain.maxRssMiB))} | ${fmt(ours.synthMs / plain.synthMs, 2)} | ${fmt(ours.maxRssMiB / plain.maxRssMiB, 2)} | ${fmt(perThousand(ours), 1)} | ${fmt(perThousand(plain), 1)} |`);
  }
  return lines.join('\n');
}

function publishTable(p: PublishMeasurement): string {
  return [
    `| publish to a local bare repository (${fmt(p.files)} files, git ${p.gitVersion}) | ms |`,
    '|---|---:|',
    `| initial publish (every file) | ${fmt(p.initialMs)} |`,
    `| no-op publish (unchanged tree) | ${fmt(p.noOpMs)} |`,
    `| one-NF change (${p.oneNfChangedFiles} files: the blueprint and every cluster's variant) | ${fmt(p.oneNfChangeMs)} |`,
    `| diff of a one-NF change (${p.diffChangedObjects} objects changed) | ${fmt(p.diffMs)} |`,
  ].join('\n');
}

function targetLines(rows: Row[], p: PublishMeasurement): string[] {
  const [small, ...large] = rows;
  const hundred = rows.find(r => r.clusters === 100)!;
  const smallEndToEnd = small.ours.loadMs + small.ours.synthMs;
  const mark = (met: boolean) => (met ? 'MET    ' : 'NOT MET');
  const worstLinearity = Math.max(...large.map(r => perThousand(r.ours) / perThousand(small.ours)));
  return [
    `${mark(smallEndToEnd < TARGETS.smallFleetMs)} 150 deployments under ${fmt(TARGETS.smallFleetMs)} ms end to end: ${fmt(smallEndToEnd)} ms (library load ${fmt(small.ours.loadMs)} + declare, synth, validate, write ${fmt(small.ours.synthMs)})`,
    `${mark(hundred.ours.synthMs <= TARGETS.largeFleetRatio * hundred.plain.synthMs)} 100 x 50 at most ${TARGETS.largeFleetRatio} x plain cdk8s's time: ${fmt(hundred.ours.synthMs / hundred.plain.synthMs, 2)} x (${fmt(hundred.ours.synthMs)} ms vs ${fmt(hundred.plain.synthMs)} ms)`,
    `${mark(megabytes(hundred.ours.maxRssMiB) < TARGETS.largeFleetMB)} 100 x 50 under ${TARGETS.largeFleetMB} MB: ${fmt(megabytes(hundred.ours.maxRssMiB))} MB peak`,
    `${mark(worstLinearity <= TARGETS.linearity)} cost per object at the largest sizes within ${TARGETS.linearity} x of the smallest: ${large.map(r => `${r.clusters} x ${r.nfs} ${fmt(perThousand(r.ours) / perThousand(small.ours), 2)} x`).join(', ')}`,
    `${mark(p.noOpMs < TARGETS.noOpPublishMs)} no-op publish under ${fmt(TARGETS.noOpPublishMs)} ms: ${fmt(p.noOpMs)} ms`,
    `${mark(p.oneNfChangeMs < TARGETS.oneNfPublishMs)} one-NF change under ${fmt(TARGETS.oneNfPublishMs)} ms: ${fmt(p.oneNfChangeMs)} ms`,
    `${mark(p.diffMs < TARGETS.diffMs)} diff under ${fmt(TARGETS.diffMs)} ms: ${fmt(p.diffMs)} ms`,
  ];
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  if (options.compile) {
    log('compiling the library and the bench children into bench/out/js ...');
    compileChildren();
  }
  const runDir = path.join(OUT_DIR, `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fs.mkdirSync(runDir, { recursive: true });
  try {
    const createBefore = probeFileCreation(runDir);
    const rows: Row[] = [];
    for (const { clusters, nfs } of FLEETS) {
      log(`fleet ${clusters} x ${nfs}:`);
      const ours = measureSynth('ours', clusters, nfs, runDir, options.runs);
      const plain = measureSynth('plain', clusters, nfs, runDir, options.runs);
      rows.push({ clusters, nfs, ours, plain });
    }
    log(`re-synth after a one-NF change, ${RESYNTH_FLEET.clusters} x ${RESYNTH_FLEET.nfs}:`);
    const resynth = measureSynth('ours-resynth', RESYNTH_FLEET.clusters, RESYNTH_FLEET.nfs, runDir, 1);
    log(`publish, ${PUBLISH_FLEET.clusters} x ${PUBLISH_FLEET.nfs} fleet:`);
    const published = runChild<PublishMeasurement>('fleet-publish.js', [PUBLISH_FLEET.clusters, PUBLISH_FLEET.nfs, path.join(runDir, 'publish')]);
    const createAfter = probeFileCreation(runDir);
    log('nephoran fn set-labels, 50,000 objects:');
    const fnResults = runFnBench({ objects: 50_000, runs: 1, compile: options.compile, json: false });

    const cpu = os.cpus();
    const report = [
      `nephoran-gitops scale bench, ${new Date().toISOString().slice(0, 10)}: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${fmt(os.totalmem() / 1e9, 1)} GB RAM, Node ${process.version}, ${options.runs === 1 ? 'one run' : `median of ${options.runs} runs`} per measurement`,
      `synth: declare the constructs, synthesize, validate (ours) and write the folder; each in its own process, peak = max RSS of that process (library load not included in synth ms; ours ${fmt(rows[0].ours.loadMs)} ms, plain ${fmt(rows[0].plain.loadMs)} ms)`,
      `file creation on this disk: ${fmt(createBefore)} µs per file before the synth runs, ${fmt(createAfter)} µs after`,
      '',
      synthTable(rows),
      '',
      `edit loop: synth of the ${resynth.clusters} x ${resynth.nfs} fleet with one NF changed, into the folder holding the fleet: ${fmt(resynth.synthMs)} ms, of which writing ${fmt(resynth.writeMs ?? 0)} ms (${fmt(resynth.keptFiles ?? 0)} of ${fmt(resynth.files)} files kept as they were), peak ${fmt(megabytes(resynth.maxRssMiB))} MB with both synths in one process`,
      '',
      publishTable(published),
      '',
      fnTable(fnResults),
      '',
      'targets:',
      ...targetLines(rows, published).map(line => `  ${line}`),
      '',
      `bench wall time ${fmt((Date.now() - started) / 1000)} s`,
    ];
    process.stdout.write(report.join('\n') + '\n');
  } finally {
    if (!options.keep) removeRunFolder(runDir);
  }
}

main();
