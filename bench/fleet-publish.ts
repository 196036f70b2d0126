/**
 * Publish timings on the bench fleet synthesized at about 20,000 files, against a real local
 * bare repository over file://: the initial publish, a no-op publish, a one-NF change (the first
 * NF's image, in its blueprint and in every cluster's variant), and a diff of a one-NF change,
 * each but the first the median of three. Synth is not timed here. Prints one line of JSON: a
 * PublishMeasurement.
 *
 *   npx ts-node --transpile-only -P test/tsconfig.json bench/fleet-publish.ts <clusters> <nfs> <workdir>
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { declareBenchFleet } from './fleet';

/** What the publish child measured. */
export interface PublishMeasurement {
  readonly files: number;
  readonly initialMs: number;
  readonly noOpMs: number;
  readonly oneNfChangeMs: number;
  /** Files the one-NF change touched. */
  readonly oneNfChangedFiles: number;
  readonly diffMs: number;
  /** Objects the diff reports as changed. */
  readonly diffChangedObjects: number;
  readonly gitVersion: string;
}

const AUTHOR = { name: 'Bench', email: 'bench@example.com' };
/** Each step but the initial publish runs this many times; the median is reported. */
const REPEATS = 3;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

async function medianOf<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const runs: Array<{ ms: number; value: T }> = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await timed(work));
  return runs.sort((a, b) => a.ms - b.ms)[Math.floor((runs.length - 1) / 2)];
}

async function measurePublish(clusters: number, nfs: number, workdir: string): Promise<PublishMeasurement> {
  // Loaded here, after the parent measured the library load on its own.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { GitOpsRepository, diffTree, publish } = require('../src') as typeof import('../src');
  const synth = (changeFirstNf: boolean) => {
    const repo = new GitOpsRepository({ outdir: path.join(workdir, 'unused') });
    declareBenchFleet(repo, clusters, nfs, { changeFirstNf });
    return repo.synthTree().tree;
  };
  const base = synth(false);
  const changed = synth(true);

  const remote = path.join(workdir, 'remote.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
  const options = { remote, cwd: workdir, author: AUTHOR, committer: AUTHOR, sourceDir: workdir };

  const initial = await timed(() => publish(base, options));
  const noOp = await medianOf(() => publish(base, options));
  if (noOp.value.changed) throw new Error('the no-op publish made a commit');
  // Forth, back and forth again: each publish is a one-NF change.
  let forth = false;
  const oneNf = await medianOf(() => publish((forth = !forth) ? changed : base, options));
  if (!oneNf.value.changed) throw new Error('the one-NF publish made no commit');
  // The remote now holds the changed fleet: the diff of the base tree is the one-NF change back.
  const diff = await medianOf(() => diffTree(base, options));
  if (!diff.value.different) throw new Error('the diff found no difference');

  const counts = oneNf.value.summary.files;
  return {
    files: base.size,
    initialMs: initial.ms,
    noOpMs: noOp.ms,
    oneNfChangeMs: oneNf.ms,
    oneNfChangedFiles: counts.added + counts.changed + counts.removed,
    diffMs: diff.ms,
    diffChangedObjects: diff.value.summary.objects.changed,
    gitVersion: execFileSync('git', ['--version']).toString().trim().split(' ')[2],
  };
}

if (require.main === module) {
  const [clusters, nfs, workdir] = process.argv.slice(2);
  if (!workdir) {
    process.stderr.write('usage: bench/fleet-publish.ts <clusters> <nfs> <workdir>\n');
    process.exit(2);
  }
  fs.mkdirSync(workdir, { recursive: true });
  measurePublish(Number(clusters), Number(nfs), path.resolve(workdir)).then(
    result => process.stdout.write(JSON.stringify(result) + '\n'),
    err => { console.error(err); process.exitCode = 1; },
  );
}
