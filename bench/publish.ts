/**
 * Publish timings on a deployment repository of 10,000 files: a no-op publish, a one-package
 * publish and a rollback, each against a real bare repository over file://.
 *
 *   npx ts-node --transpile-only --project test/tsconfig.json bench/publish.ts
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { publish, rollback } from '../src/gitops';
import { RepoTree } from '../src/repo/repo-tree';

const CLUSTERS = 100;
const PACKAGES_PER_CLUSTER = 20;
const FILES_PER_PACKAGE = 5; // Kptfile + 4 manifests: 100 x 20 x 5 = 10,000 files
const AUTHOR = { name: 'Bench', email: 'bench@example.com' };

function fleet(replicasOfFirstPackage: number): RepoTree {
  const tree = new RepoTree();
  for (let c = 0; c < CLUSTERS; c++) {
    for (let p = 0; p < PACKAGES_PER_CLUSTER; p++) {
      const dir = `deployments/${c % 3 === 0 ? 'production' : 'staging'}/cluster${c}/nf${p}`;
      tree.addFile(`${dir}/Kptfile`, `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: nf${p}\n`);
      const replicas = c === 0 && p === 0 ? replicasOfFirstPackage : 1;
      for (let f = 1; f < FILES_PER_PACKAGE; f++) {
        tree.addFile(`${dir}/deployment-nf${p}-${f}.yaml`,
          `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nf${p}-${f}\n  namespace: nf${p}\nspec:\n  replicas: ${replicas}\n  template:\n    spec:\n      containers:\n        - name: nf\n          image: example/nf:1.${f}\n`);
      }
    }
  }
  return tree;
}

async function time<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  const result = await work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms`);
  return result;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nephoran-bench-'));
  try {
    const remote = path.join(root, 'remote.git');
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
    const options = { remote, cwd: root, author: AUTHOR, committer: AUTHOR, sourceDir: root };
    const base = fleet(1);
    console.log(`repository: ${base.size} generated files (+ ownership manifest), git ${execFileSync('git', ['--version']).toString().trim().split(' ')[2]}, ${os.cpus().length} CPUs`);
    const first = await time('initial publish (10,000 files)', () => publish(base, options));
    await time('no-op publish (unchanged tree)', () => publish(base, options));
    await time('no-op publish, again', () => publish(base, options));
    await time('one-package publish (1 file changed)', () => publish(fleet(2), options));
    await time('one-package publish, again', () => publish(fleet(3), options));
    await time('rollback to the initial commit', () => rollback({ ...options, to: first.commit! }));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch(err => {
  console.error(err);
  process.exitCode = 1;
});
