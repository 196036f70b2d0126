/**
 * The scale bench (`npm run bench`): nephoran-gitops synth beside plain cdk8s (one App, and one
 * App per chart) for fleets of 10 x 15, 100 x 50 and 500 x 10 NF instances whose clusters share
 * their settings, and fleets whose clusters' variants all differ or differ per site (bench/fleet.ts);
 * then publish of a fleet of about 20,000 files; then what a user waits for: `nephoran publish`
 * (no-op) and `nephoran diff` of the example fleet (clusters/) through the CLI, the app run as
 * cdk8s.yaml says; then `nephoran fn set-labels` on 50,000 objects beside the yaml package
 * (bench/fn.ts); and which targets are met. The sides of one fleet run interleaved (ours, plain,
 * plain per chart, ours, ...), so that a busy machine slows them alike.
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
 *   --write-dir D   write the synthesized folders under D instead of bench/out: on a shared VM whose
 *                   disk stalls, a tmpfs (/dev/shm) measures the software rather than the disk
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { FleetVariety, SynthMeasurement, SynthSide } from './fleet';
import type { PublishMeasurement } from './fleet-publish';
import { fnTable, runFnBench } from './fn';

const FLEETS: ReadonlyArray<{ clusters: number; nfs: number; variety: FleetVariety }> = [
  { clusters: 10, nfs: 15, variety: 'same' },
  { clusters: 100, nfs: 50, variety: 'same' },
  { clusters: 500, nfs: 10, variety: 'same' },
  { clusters: 10, nfs: 15, variety: 'distinct' },
  { clusters: 100, nfs: 50, variety: 'distinct' },
  { clusters: 100, nfs: 50, variety: 'mix' },
];
/** 55 clusters x 50 NFs synthesize about 20,000 files. */
const PUBLISH_FLEET = { clusters: 55, nfs: 50 };
/** The edit loop: synth again after a one-NF change, into the folder holding the fleet. */
const RESYNTH_FLEET = { clusters: 100, nfs: 50 };

const TARGETS = {
  smallFleetMs: 1000,
  smallFleetRatio: 1.5,
  largeFleetRatio: 0.5,
  largeFleetPerChartRatio: 1.0,
  memoryRatio: 1.5,
  linearity: 1.25,
  noOpPublishMs: 2000,
  oneNfPublishMs: 3000,
  diffMs: 1000,
  cliMs: 1500,
};
/** CLI runs of the example fleet: each step this many times, the median reported. */
const CLI_REPEATS = 3;
const REPO_ROOT = path.join(__dirname, '..');

const BENCH_DIR = __dirname;
const OUT_DIR = path.join(BENCH_DIR, 'out');
const COMPILED_DIR = path.join(OUT_DIR, 'js');

interface Options {
  readonly runs: number;
  readonly keep: boolean;
  /** Reuse bench/out/js as it is (to run a modified copy of the compiled library). */
  readonly compile: boolean;
  /** Where the synthesized folders are written. */
  readonly writeDir: string;
  readonly writeDirIsTmpfs: boolean;
}

function parseOptions(argv: string[]): Options {
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 3;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number of at least 1');
  const writeAt = argv.indexOf('--write-dir');
  if (writeAt >= 0 && !argv[writeAt + 1]) throw new Error('--write-dir takes a folder');
  const writeDir = writeAt >= 0 ? path.resolve(argv[writeAt + 1]) : OUT_DIR;
  fs.mkdirSync(writeDir, { recursive: true });
  const writeDirIsTmpfs = fileSystemOf(writeDir) === ' (tmpfs)';
  return { runs, keep: argv.includes('--keep'), compile: !argv.includes('--no-compile'), writeDir, writeDirIsTmpfs };
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
  // The CLI reads its version from the package.json beside its library.
  fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(COMPILED_DIR, 'package.json'));
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

const SIDES: readonly SynthSide[] = ['ours', 'plain', 'plain-per-chart'];

/**
 * Runs the three sides of one fleet `runs` times, interleaved, each in a fresh process and a fresh
 * folder; per side the run with the median synth time (the lower one for an even count).
 */
function measureFleet(clusters: number, nfs: number, variety: FleetVariety, runDir: string, options: Options): Record<SynthSide, SynthMeasurement> {
  const results = new Map<SynthSide, SynthMeasurement[]>(SIDES.map(side => [side, []]));
  for (let run = 0; run < options.runs; run++) {
    for (const side of SIDES) {
      const outdir = path.join(runDir, `${side}-${variety}-${clusters}x${nfs}-${run}`);
      results.get(side)!.push(runSynth(side, clusters, nfs, variety, outdir));
      // On a tmpfs each run's files are memory this VM may be slow to hand out for the first time:
      // freed, the next run reuses it. On a disk, removing them stalls later writes (discard), so
      // there they stay until the end.
      if (!options.keep && options.writeDirIsTmpfs) fs.rmSync(outdir, { recursive: true, force: true });
    }
  }
  return Object.fromEntries(SIDES.map(side => [side, median(results.get(side)!, m => m.synthMs)])) as Record<SynthSide, SynthMeasurement>;
}

function runSynth(side: SynthSide, clusters: number, nfs: number, variety: FleetVariety, outdir: string): SynthMeasurement {
  const result = runChild<SynthMeasurement>('fleet.js', [side, clusters, nfs, outdir, variety]);
  log(`  ${side.padEnd(15)} ${variety.padEnd(8)} ${clusters} x ${nfs}: synth ${fmt(result.synthMs)} ms${result.writeMs !== undefined ? ` (writing ${fmt(result.writeMs)})` : ''}, load ${fmt(result.loadMs)} ms, ${fmt(result.objects)} objects in ${fmt(result.files)} files, peak ${fmt(megabytes(result.maxRssMiB))} MB`);
  return result;
}

function median<T>(values: T[], by: (value: T) => number): T {
  return [...values].sort((a, b) => by(a) - by(b))[Math.floor((values.length - 1) / 2)];
}

/** What the CLI measured on the example fleet. */
interface CliMeasurement {
  /** The app alone, as cdk8s.yaml runs it (median). */
  readonly appMs: number;
  /** `nephoran publish` when the remote already holds the tree (median). */
  readonly noOpPublishMs: number;
  /** `nephoran diff` when the remote already holds the tree (median). */
  readonly diffMs: number;
  readonly app: string;
}

/**
 * The example fleet through the CLI, as a user runs it from this folder: the compiled CLI (a copy
 * of bin/nephoran loading bench/out/js), the app as cdk8s.yaml says, a bare repository as the
 * remote. A first publish fills it (not timed); then the app alone, a no-op publish and a diff,
 * interleaved, each `CLI_REPEATS` times.
 */
function measureCli(runDir: string): CliMeasurement {
  const dir = path.join(runDir, 'cli');
  fs.mkdirSync(dir, { recursive: true });
  const remote = path.join(dir, 'remote.git');
  spawnSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
  const cli = path.join(OUT_DIR, 'nephoran.js');
  fs.writeFileSync(cli, [
    '// bin/nephoran, loading the library the bench compiled.',
    `require(${JSON.stringify(path.join(COMPILED_DIR, 'src', 'cli', 'main.js'))}).main(process.argv.slice(2)).then(`,
    '  code => { process.exitCode = code; },',
    '  err => { process.stderr.write(`nephoran: ${err && err.message ? err.message : err}\\n`); process.exitCode = 1; },',
    ');',
    '',
  ].join('\n'));
  const common = ['--remote', remote, '--cache', path.join(dir, 'cache')];
  const nephoran = (args: string[]) => timedSpawn(process.execPath, [cli, ...args], REPO_ROOT);
  const appLine = /^app:\s*(.+)$/m.exec(fs.readFileSync(path.join(REPO_ROOT, 'cdk8s.yaml'), 'utf8'))?.[1].trim() ?? '';
  const first = nephoran(['publish', ...common, '--author', 'Bench <bench@example.com>', '--message', 'Example fleet']);
  if (first.status !== 0) throw new Error(`the first publish of the example fleet failed:\n${first.stderr.slice(-2000)}`);
  const app: number[] = [];
  const noOp: number[] = [];
  const diff: number[] = [];
  for (let i = 0; i < CLI_REPEATS; i++) {
    const run = timedSpawn('sh', ['-c', appLine], REPO_ROOT, { CDK8S_OUTDIR: path.join(dir, `app-out-${i}`) });
    if (run.status !== 0) throw new Error(`the example app failed:\n${run.stderr.slice(-2000)}`);
    app.push(run.ms);
    const published = nephoran(['publish', ...common, '--author', 'Bench <bench@example.com>', '--message', 'Example fleet']);
    if (published.status !== 0 || !/No change/.test(published.stdout)) throw new Error(`the no-op publish did not report "No change":\n${published.stdout}${published.stderr.slice(-2000)}`);
    noOp.push(published.ms);
    const diffed = nephoran(['diff', ...common]);
    if (diffed.status !== 0 || !/No difference/.test(diffed.stdout)) throw new Error(`the diff did not report "No difference":\n${diffed.stdout}${diffed.stderr.slice(-2000)}`);
    diff.push(diffed.ms);
  }
  log(`  app ${app.map(ms => fmt(ms)).join(', ')} ms; no-op publish ${noOp.map(ms => fmt(ms)).join(', ')} ms; diff ${diff.map(ms => fmt(ms)).join(', ')} ms`);
  const mid = (values: number[]) => median(values, v => v);
  return { appMs: mid(app), noOpPublishMs: mid(noOp), diffMs: mid(diff), app: appLine };
}

/** How a command run by timedSpawn went, with its duration. */
interface TimedRun {
  readonly ms: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function timedSpawn(command: string, args: string[], cwd: string, env: Record<string, string> = {}): TimedRun {
  const start = process.hrtime.bigint();
  const child = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, status: child.status, stdout: child.stdout, stderr: child.stderr };
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

/** A folder inside the repository relative to it, any other absolute. */
function displayPath(dir: string): string {
  const relative = path.relative(REPO_ROOT, dir);
  return relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative || '.';
}

/** ` (ext4)`, the file system type holding `dir`, where `df` can tell it. */
function fileSystemOf(dir: string): string {
  const df = process.platform === 'linux' ? spawnSync('df', ['--output=fstype', dir], { encoding: 'utf8' }) : undefined;
  const type = df?.status === 0 ? df.stdout.trim().split('\n').pop()?.trim() : undefined;
  return type ? ` (${type})` : '';
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
  readonly variety: FleetVariety;
  readonly ours: SynthMeasurement;
  readonly plain: SynthMeasurement;
  readonly perChart: SynthMeasurement;
}

const perThousand = (m: SynthMeasurement) => m.synthMs / m.objects * 1000;

const VARIETY_LABELS: Record<FleetVariety, string> = {
  same: 'variants alike',
  distinct: 'every variant distinct',
  mix: 'core per environment, site NFs per cluster',
};

function synthTable(rows: Row[]): string {
  const lines = [
    '| fleet (clusters x NFs) | variants | ours: objects | ours: synth ms | of which writing the files | ours: peak MB | plain cdk8s one App: synth ms | peak MB | plain cdk8s one App per chart: synth ms | peak MB | time ratio to one App | time ratio to App per chart | memory ratio to one App | ours: ms / 1,000 objects | plain: ms / 1,000 objects |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { clusters, nfs, variety, ours, plain, perChart } of rows) {
    lines.push(`| ${clusters} x ${nfs} | ${VARIETY_LABELS[variety]} | ${fmt(ours.objects)} | ${fmt(ours.synthMs)} | ${fmt(ours.writeMs ?? 0)} | ${fmt(megabytes(ours.maxRssMiB))} | ${fmt(plain.synthMs)} | ${fmt(megabytes(plain.maxRssMiB))} | ${fmt(perChart.synthMs)} | ${fmt(megabytes(perChart.maxRssMiB))} | ${fmt(ours.synthMs / plain.synthMs, 2)} | ${fmt(ours.synthMs / perChart.synthMs, 2)} | ${fmt(ours.maxRssMiB / plain.maxRssMiB, 2)} | ${fmt(perThousand(ours), 1)} | ${fmt(perThousand(plain), 1)} |`);
  }
  return lines.join('\n');
}

function cliTable(c: CliMeasurement): string {
  return [
    `| the example fleet through the CLI (app: \`${c.app}\`) | ms |`,
    '|---|---:|',
    `| the app alone | ${fmt(c.appMs)} |`,
    `| \`nephoran publish\`, no change | ${fmt(c.noOpPublishMs)} |`,
    `| \`nephoran diff\`, no difference | ${fmt(c.diffMs)} |`,
  ].join('\n');
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

function targetLines(rows: Row[], p: PublishMeasurement, cli: CliMeasurement): string[] {
  const row = (variety: FleetVariety, clusters: number) => rows.find(r => r.variety === variety && r.clusters === clusters)!;
  const mark = (met: boolean) => (met ? 'MET    ' : 'NOT MET');
  const ratio = (a: SynthMeasurement, b: SynthMeasurement) => a.synthMs / b.synthMs;
  const lines: string[] = [];
  for (const variety of ['same', 'distinct'] as const) {
    const small = row(variety, 10);
    const endToEnd = small.ours.loadMs + small.ours.synthMs;
    lines.push(`${mark(endToEnd < TARGETS.smallFleetMs)} 150 deployments (${VARIETY_LABELS[variety]}) under ${fmt(TARGETS.smallFleetMs)} ms end to end: ${fmt(endToEnd)} ms (library load ${fmt(small.ours.loadMs)} + declare, synth, validate, write ${fmt(small.ours.synthMs)})`);
  }
  const smallDistinct = row('distinct', 10);
  lines.push(`${mark(ratio(smallDistinct.ours, smallDistinct.plain) <= TARGETS.smallFleetRatio)} 10 x 15, every variant distinct, at most ${TARGETS.smallFleetRatio} x plain cdk8s: ${fmt(ratio(smallDistinct.ours, smallDistinct.plain), 2)} x (${fmt(smallDistinct.ours.synthMs)} ms vs ${fmt(smallDistinct.plain.synthMs)} ms)`);
  for (const variety of ['same', 'distinct', 'mix'] as const) {
    const large = row(variety, 100);
    lines.push(`${mark(ratio(large.ours, large.plain) <= TARGETS.largeFleetRatio)} 100 x 50 (${VARIETY_LABELS[variety]}) at most ${TARGETS.largeFleetRatio} x plain cdk8s one App: ${fmt(ratio(large.ours, large.plain), 2)} x (${fmt(large.ours.synthMs)} ms vs ${fmt(large.plain.synthMs)} ms)`);
    lines.push(`${mark(ratio(large.ours, large.perChart) <= TARGETS.largeFleetPerChartRatio)} 100 x 50 (${VARIETY_LABELS[variety]}) at most ${TARGETS.largeFleetPerChartRatio} x plain cdk8s one App per chart: ${fmt(ratio(large.ours, large.perChart), 2)} x (${fmt(large.ours.synthMs)} ms vs ${fmt(large.perChart.synthMs)} ms)`);
  }
  const memory = rows.map(r => ({ r, ratio: r.ours.maxRssMiB / r.plain.maxRssMiB }));
  const worstMemory = memory.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  lines.push(`${mark(worstMemory.ratio <= TARGETS.memoryRatio)} peak memory at most ${TARGETS.memoryRatio} x plain cdk8s one App in every fleet: worst ${fmt(worstMemory.ratio, 2)} x (${worstMemory.r.clusters} x ${worstMemory.r.nfs}, ${VARIETY_LABELS[worstMemory.r.variety]}: ${fmt(megabytes(worstMemory.r.ours.maxRssMiB))} MB vs ${fmt(megabytes(worstMemory.r.plain.maxRssMiB))} MB)`);
  for (const variety of ['same', 'distinct'] as const) {
    const [small, ...large] = rows.filter(r => r.variety === variety);
    const worst = Math.max(...large.map(r => perThousand(r.ours) / perThousand(small.ours)));
    lines.push(`${mark(worst <= TARGETS.linearity)} cost per object (${VARIETY_LABELS[variety]}) from ${fmt(small.ours.objects)} to ${fmt(Math.max(...large.map(r => r.ours.objects)))} objects within ${TARGETS.linearity} x of the smallest: ${large.map(r => `${r.clusters} x ${r.nfs} ${fmt(perThousand(r.ours) / perThousand(small.ours), 2)} x`).join(', ')}`);
  }
  lines.push(
    `${mark(p.noOpMs < TARGETS.noOpPublishMs)} no-op publish (${fmt(p.files)} files, library call) under ${fmt(TARGETS.noOpPublishMs)} ms: ${fmt(p.noOpMs)} ms`,
    `${mark(p.oneNfChangeMs < TARGETS.oneNfPublishMs)} one-NF change (library call) under ${fmt(TARGETS.oneNfPublishMs)} ms: ${fmt(p.oneNfChangeMs)} ms`,
    `${mark(p.diffMs < TARGETS.diffMs)} diff (library call) under ${fmt(TARGETS.diffMs)} ms: ${fmt(p.diffMs)} ms`,
    `${mark(cli.noOpPublishMs < TARGETS.cliMs)} \`nephoran publish\` of the example fleet, no change, under ${fmt(TARGETS.cliMs)} ms end to end: ${fmt(cli.noOpPublishMs)} ms (the app alone ${fmt(cli.appMs)} ms)`,
    `${mark(cli.diffMs < TARGETS.cliMs)} \`nephoran diff\` of the example fleet under ${fmt(TARGETS.cliMs)} ms end to end: ${fmt(cli.diffMs)} ms`,
  );
  return lines;
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  if (options.compile) {
    log('compiling the library and the bench children into bench/out/js ...');
    compileChildren();
  }
  const runDir = path.join(options.writeDir, `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fs.mkdirSync(runDir, { recursive: true });
  try {
    const createBefore = probeFileCreation(runDir);
    const rows: Row[] = [];
    for (const { clusters, nfs, variety } of FLEETS) {
      log(`fleet ${clusters} x ${nfs}, ${VARIETY_LABELS[variety]}:`);
      const sides = measureFleet(clusters, nfs, variety, runDir, options);
      rows.push({ clusters, nfs, variety, ours: sides.ours, plain: sides.plain, perChart: sides['plain-per-chart'] });
    }
    log(`re-synth after a one-NF change, ${RESYNTH_FLEET.clusters} x ${RESYNTH_FLEET.nfs}:`);
    const resynth = runSynth('ours-resynth', RESYNTH_FLEET.clusters, RESYNTH_FLEET.nfs, 'same', path.join(runDir, 'resynth'));
    log(`publish, ${PUBLISH_FLEET.clusters} x ${PUBLISH_FLEET.nfs} fleet:`);
    const published = runChild<PublishMeasurement>('fleet-publish.js', [PUBLISH_FLEET.clusters, PUBLISH_FLEET.nfs, path.join(runDir, 'publish')]);
    log('the example fleet through the CLI:');
    const cli = measureCli(runDir);
    const createAfter = probeFileCreation(runDir);
    log('nephoran fn set-labels, 50,000 objects:');
    const fnResults = runFnBench({ objects: 50_000, runs: 1, compile: options.compile, json: false });

    const cpu = os.cpus();
    const report = [
      `nephoran-gitops scale bench, ${new Date().toISOString().slice(0, 10)}: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${fmt(os.totalmem() / 1e9, 1)} GB RAM, Node ${process.version}, ${options.runs === 1 ? 'one run' : `median of ${options.runs} runs`} per measurement`,
      `synth: declare the constructs, synthesize, validate (ours) and write the folder; each in its own process, peak = max RSS of that process (library load not included in synth ms; ours ${fmt(rows[0].ours.loadMs)} ms, plain ${fmt(rows[0].plain.loadMs)} ms); the machine may be shared, so compare the sides of one row, which ran interleaved`,
      `folders written under ${displayPath(options.writeDir)}${fileSystemOf(options.writeDir)}; file creation there: ${fmt(createBefore)} µs per file before the synth runs, ${fmt(createAfter)} µs after`,
      '',
      synthTable(rows),
      '',
      `edit loop: synth of the ${resynth.clusters} x ${resynth.nfs} fleet with one NF changed, into the folder holding the fleet: ${fmt(resynth.synthMs)} ms, of which writing ${fmt(resynth.writeMs ?? 0)} ms (${fmt(resynth.keptFiles ?? 0)} of ${fmt(resynth.files)} files kept as they were), peak ${fmt(megabytes(resynth.maxRssMiB))} MB with both synths in one process`,
      '',
      publishTable(published),
      '',
      cliTable(cli),
      '',
      fnTable(fnResults),
      '',
      'targets:',
      ...targetLines(rows, published, cli).map(line => `  ${line}`),
      '',
      `bench wall time ${fmt((Date.now() - started) / 1000)} s`,
    ];
    process.stdout.write(report.join('\n') + '\n');
  } finally {
    if (!options.keep) removeRunFolder(runDir);
  }
}

main();
