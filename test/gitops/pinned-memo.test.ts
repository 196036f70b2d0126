import * as fs from 'fs';
import * as path from 'path';
import { withRevisionsCached, Workspace } from '../../src/gitops';
import { PackageRevision, RepoTree, RevisionBinding } from '../../src/repo';
import { createBareRemote, removeTempDirs, tempDir } from '../support/git';

// Pinned bound files are remembered in the cache folder; what a run takes from there must be
// exactly what pinning gives, and a damaged memo must only cost the pinning.

afterAll(removeTempDirs);

const FIELDS: RevisionBinding['fields'] = [
  { field: ['upstream', 'git', 'ref'], value: 'tag' },
  { field: ['upstreamLock', 'git', 'ref'], value: 'tag' },
  { field: ['upstreamLock', 'git', 'commit'], value: 'commit' },
];

function revision(n: number): PackageRevision {
  return { packagePath: 'packages/upf', revision: n, tag: `packages/upf/v${n}`, commit: `a${n}`.repeat(20), workspaceName: `v${n}` };
}

function boundTree(): RepoTree {
  const tree = new RepoTree();
  tree.addFile('packages/upf/Kptfile', 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: upf\n');
  for (const cluster of ['edge-01', 'lab-01']) {
    const file = `deployments/production/${cluster}/upf/Kptfile`;
    tree.addFile(file, `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: upf # ${cluster}\nupstream:\n  type: git\n  git:\n    repo: https://git.example.com/fleet.git\n    directory: packages/upf\n    ref: main\n`);
    tree.bindRevision({ path: file, upstream: 'packages/upf', fields: FIELDS });
  }
  tree.addFile('deployments/production/other/Kptfile', 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: other\n');
  tree.bindRevision({ path: 'deployments/production/other/Kptfile', upstream: 'packages/other', fields: FIELDS });
  return tree;
}

function snapshotOf(tree: RepoTree): { files: Array<[string, string]>; bindings: RevisionBinding[] } {
  return { files: tree.entries().map(([p, c]) => [p, c.toString('utf8')]), bindings: tree.revisionBindings() };
}

describe('withRevisionsCached', () => {
  const resolveTo = (n: number) => (b: RevisionBinding) => (b.upstream === 'packages/upf' ? revision(n) : undefined);

  test('gives what withRevisions gives, pinned or remembered, and follows the revision', async () => {
    const dir = tempDir();
    const remote = createBareRemote(dir);
    const tree = boundTree();
    const cacheDir = path.join(dir, 'cache');
    for (const n of [1, 1, 2, 1]) {
      const ws = await Workspace.open({ remote, cwd: dir, cacheDir });
      try {
        const cached = withRevisionsCached(ws, tree, resolveTo(n));
        expect(snapshotOf(cached)).toEqual(snapshotOf(tree.withRevisions(resolveTo(n))));
        // The unresolved binding stays; the resolved ones name the revision.
        expect(cached.revisionBindings().map(b => b.path)).toEqual(['deployments/production/other/Kptfile']);
        expect(cached.getText('deployments/production/edge-01/upf/Kptfile')).toContain(`commit: ${`a${n}`.repeat(20)}`);
      } finally {
        ws.close();
      }
      expect(fs.existsSync(path.join(cacheDir, 'nephoran-pinned.json'))).toBe(true);
    }
    // The memo holds the last run's two pinned files only.
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(cacheDir, 'nephoran-pinned.json'), 'utf8')).entries)).toHaveLength(2);
  });

  test('a damaged or foreign memo is ignored: the files are pinned again', async () => {
    const dir = tempDir();
    const remote = createBareRemote(dir);
    const cacheDir = path.join(dir, 'cache');
    const tree = boundTree();
    const memoFile = path.join(cacheDir, 'nephoran-pinned.json');
    fs.mkdirSync(cacheDir, { recursive: true });
    // What a run killed while writing the memo left.
    fs.writeFileSync(`${memoFile}.999999.tmp`, '{half');
    for (const damaged of ['{not json', JSON.stringify({ version: 'another nephoran', entries: {} }), '']) {
      const first = await Workspace.open({ remote, cwd: dir, cacheDir });
      let keys: string[];
      try {
        withRevisionsCached(first, tree, resolveTo(3));
        keys = Object.keys(JSON.parse(fs.readFileSync(memoFile, 'utf8')).entries);
      } finally {
        first.close();
      }
      // Same keys, another version: its texts must not be taken.
      fs.writeFileSync(memoFile, damaged || JSON.stringify({ version: 'x', entries: Object.fromEntries(keys.map(k => [k, 'wrong'])) }));
      const ws = await Workspace.open({ remote, cwd: dir, cacheDir });
      try {
        expect(snapshotOf(withRevisionsCached(ws, tree, resolveTo(3)))).toEqual(snapshotOf(tree.withRevisions(resolveTo(3))));
      } finally {
        ws.close();
      }
    }
    expect(fs.readdirSync(cacheDir).filter(n => n.endsWith('.tmp'))).toEqual([]);
  });
});
