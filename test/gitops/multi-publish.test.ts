import * as fs from 'fs';
import * as path from 'path';
import { ALICE } from './fixtures';
import { GitOpsError } from '../../src/gitops';
import { publishRepoSet, ensureLocalRemotes, formatMultiPublishResult, remotesFromTemplate, RepositoryRemote, DEFAULT_REMOTES_DIR } from '../../src/gitops/multi-publish';
import { OWNERSHIP_MANIFEST_PATH } from '../../src/repo/ownership';
import { RepoSet } from '../../src/repo/repo-set';
import { RepoTree } from '../../src/repo/repo-tree';
import { createBareRemote, git, listFiles, removeTempDirs, showFile, tempDir } from '../support/git';

// Every repository is published to a real bare repository over file://; the pool bound and the
// failures are observed through the remotes' own pre-receive hooks.

afterAll(removeTempDirs);

function clusterTree(cluster: string, replicas = 1): RepoTree {
  return RepoTree.fromRecord({
    'upf/Kptfile': 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: upf\n  annotations:\n    config.kubernetes.io/local-config: "true"\n',
    'upf/deployment_upf.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: upf\n  namespace: upf\n  labels:\n    nephio.org/cluster-name: ${cluster}\nspec:\n  replicas: ${replicas}\n`,
  });
}

function managementTree(clusters: string[]): RepoTree {
  const files: Record<string, string> = { 'packages/network-functions/upf/Kptfile': 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: upf\n' };
  for (const c of clusters) files[`clusters/${c}/rootsync_${c}.yaml`] = `apiVersion: configsync.gke.io/v1beta1\nkind: RootSync\nmetadata:\n  name: ${c}\n  namespace: config-management-system\n`;
  return RepoTree.fromRecord(files);
}

function fleetSet(clusters: string[], replicas = 1): RepoSet {
  return RepoSet.fromTrees('mgmt', { mgmt: managementTree(clusters), ...Object.fromEntries(clusters.map(c => [c, clusterTree(c, replicas)])) });
}

/** A bare repository per repository of the set, reached over file://. */
function remotesFor(set: RepoSet, root: string): RepositoryRemote[] {
  return set.names.map(repository => ({ repository, remote: `file://${createBareRemote(root, `${repository}.git`)}` }));
}

/** The folder of a file:// remote. */
function dirOf(remote: string): string {
  return remote.replace(/^file:\/\//, '');
}

/**
 * A pre-receive hook that records when each push starts and ends in a shared log. Each push waits
 * until `group` pushes are in progress (fewer once fewer than `group` remain; at most 10 s), then
 * holds another half second. A pool that allows `group` publishes at once therefore shows exactly
 * `group` pushes in progress however slow the machine, and a pool that allowed more would let
 * the others arrive during the hold.
 */
function recordPushes(remote: string, log: string, shared: string, group: number, total: number): void {
  for (const dir of ['running', 'done']) fs.mkdirSync(path.join(shared, dir), { recursive: true });
  const hook = path.join(remote, 'hooks', 'pre-receive');
  fs.writeFileSync(hook, [
    '#!/bin/sh',
    'cat >/dev/null',
    'name=$(basename "$(pwd)")',
    `echo "start $name $(date +%s%N)" >> "${log}"`,
    `touch "${shared}/running/$name"`,
    'waited=0',
    'while [ "$waited" -lt 100 ]; do',
    `  remaining=$(( ${total} - $(ls "${shared}/done" | wc -l) ))`,
    `  target=${group}; [ "$remaining" -lt "$target" ] && target=$remaining`,
    `  [ "$(ls "${shared}/running" | wc -l)" -ge "$target" ] && break`,
    '  sleep 0.1; waited=$((waited + 1))',
    'done',
    'sleep 0.5',
    `echo "end $name $(date +%s%N)" >> "${log}"`,
    `rm -f "${shared}/running/$name"; touch "${shared}/done/$name"`,
    'exit 0',
    '',
  ].join('\n'), { mode: 0o755 });
}

/** The most pushes the log shows in progress at once. */
function maxConcurrentPushes(log: string): number {
  const events = fs.readFileSync(log, 'utf8').split('\n').filter(l => l).map(l => {
    const [kind, , at] = l.split(' ');
    return { delta: kind === 'start' ? 1 : -1, at: BigInt(at) };
  }).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.delta - b.delta));
  let current = 0;
  let max = 0;
  for (const e of events) {
    current += e.delta;
    max = Math.max(max, current);
  }
  return max;
}

const options = (root: string) => ({ cwd: root, author: ALICE, committer: ALICE, sourceDir: root });

test('every repository lands on its own remote, each with its own ownership manifest; a second publish changes nothing', async () => {
  const root = tempDir();
  const set = fleetSet(['edge-01', 'edge-02']);
  const remotes = remotesFor(set, root);
  const result = await publishRepoSet(set, remotes, options(root));

  expect(result.ok).toBe(true);
  expect(result.outcomes.map(o => [o.repository, o.status])).toEqual([['mgmt', 'landed'], ['edge-01', 'landed'], ['edge-02', 'landed']]);
  for (const { repository, remote } of remotes) {
    const outcome = result.outcomes.find(o => o.repository === repository)!;
    expect(outcome.remote).toBe(remote);
    expect(git(dirOf(remote), 'rev-parse', 'main')).toBe(outcome.result!.commit);
    expect(listFiles(dirOf(remote), 'main')).toEqual([...set.tree(repository).paths(), OWNERSHIP_MANIFEST_PATH].sort());
  }
  expect(showFile(dirOf(remotes[1].remote), 'main', 'upf/deployment_upf.yaml')).toContain('nephio.org/cluster-name: edge-01');
  // Each repository is its own change, with its own id.
  expect(new Set(result.outcomes.map(o => o.result!.changeId)).size).toBe(3);

  const text = formatMultiPublishResult(result);
  expect(text.split('\n')[0]).toBe('Published 3 repositories: 3 landed, 0 unchanged, 0 failed.');
  for (const { repository, remote } of remotes) {
    expect(text).toMatch(new RegExp(`^  ${repository} +landed +${remote.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} main at [0-9a-f]{12} \\(change I[0-9a-f]{40}\\); files \\d+ added, 0 changed, 0 removed$`, 'm'));
  }

  const heads = remotes.map(r => git(dirOf(r.remote), 'rev-parse', 'main'));
  const again = await publishRepoSet(set, remotes, options(root));
  expect(again.ok).toBe(true);
  expect(again.unchanged).toEqual(['mgmt', 'edge-01', 'edge-02']);
  expect(remotes.map(r => git(dirOf(r.remote), 'rev-parse', 'main'))).toEqual(heads);
  expect(formatMultiPublishResult(again).split('\n')[0]).toBe('Published 3 repositories: 0 landed, 3 unchanged, 0 failed.');
});

test('only the repositories that changed get a commit', async () => {
  const root = tempDir();
  const remotes = remotesFor(fleetSet(['edge-01', 'edge-02']), root);
  await publishRepoSet(fleetSet(['edge-01', 'edge-02']), remotes, options(root));
  const changed = RepoSet.fromTrees('mgmt', {
    'mgmt': managementTree(['edge-01', 'edge-02']), 'edge-01': clusterTree('edge-01', 3), 'edge-02': clusterTree('edge-02'),
  });
  const result = await publishRepoSet(changed, remotes, options(root));
  expect(result.landed).toEqual(['edge-01']);
  expect(result.unchanged).toEqual(['mgmt', 'edge-02']);
  expect(showFile(dirOf(remotes[1].remote), 'main', 'upf/deployment_upf.yaml')).toContain('replicas: 3');
  expect(result.outcomes[1].result!.summary.objects).toEqual({ added: 0, changed: 1, removed: 0 });
});

test.each([1, 2, 3, 6])('never more than %i pushes at once, and as many as allowed when there is work', async limit => {
  const root = tempDir();
  const log = path.join(root, 'pushes.log');
  const clusters = ['edge-01', 'edge-02', 'edge-03', 'edge-04', 'edge-05'];
  const set = fleetSet(clusters);
  const remotes = remotesFor(set, root);
  for (const { remote } of remotes) recordPushes(dirOf(remote), log, path.join(root, 'pushes'), limit, set.size);

  const result = await publishRepoSet(set, remotes, { ...options(root), concurrency: limit });

  expect(result.ok).toBe(true);
  expect(result.landed).toHaveLength(6);
  const pushes = fs.readFileSync(log, 'utf8').split('\n').filter(l => l.startsWith('start'));
  expect(pushes).toHaveLength(6);
  expect(maxConcurrentPushes(log)).toBe(limit);
});

test('the pool defaults to 4 publishes at once', async () => {
  const root = tempDir();
  const log = path.join(root, 'pushes.log');
  const set = fleetSet(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  const remotes = remotesFor(set, root);
  for (const { remote } of remotes) recordPushes(dirOf(remote), log, path.join(root, 'pushes'), 4, set.size);
  const result = await publishRepoSet(set, remotes, options(root));
  expect(result.landed).toHaveLength(8);
  expect(maxConcurrentPushes(log)).toBe(4);
});

test('a repository whose remote refuses, and one whose remote is missing, fail alone; the others land', async () => {
  const root = tempDir();
  const set = fleetSet(['edge-01', 'edge-02', 'edge-03']);
  const remotes = remotesFor(set, root);
  // edge-02's server refuses every push.
  fs.writeFileSync(path.join(dirOf(remotes[2].remote), 'hooks', 'pre-receive'), '#!/bin/sh\ncat >/dev/null\necho "edge-02 is frozen for maintenance" >&2\nexit 1\n', { mode: 0o755 });
  // edge-03's remote does not exist.
  const missing = path.join(root, 'gone', 'edge-03.git');
  const withMissing = remotes.map(r => (r.repository === 'edge-03' ? { ...r, remote: missing } : r));

  const result = await publishRepoSet(set, withMissing, { ...options(root), concurrency: 2 });

  expect(result.ok).toBe(false);
  expect(result.landed).toEqual(['mgmt', 'edge-01']);
  expect(result.failed).toEqual(['edge-02', 'edge-03']);
  const refused = result.outcomes.find(o => o.repository === 'edge-02')!;
  expect(refused.status).toBe('failed');
  expect(refused.error).toMatch(/the remote refused the push.*edge-02 is frozen for maintenance/s);
  expect(result.outcomes.find(o => o.repository === 'edge-03')!.error).toMatch(/gone\/edge-03\.git/);
  // Nothing reached the refusing remote; the others hold their trees.
  expect(git(dirOf(remotes[2].remote), 'for-each-ref')).toBe('');
  expect(listFiles(dirOf(remotes[0].remote), 'main')).toContain('clusters/edge-01/rootsync_edge-01.yaml');
  expect(listFiles(dirOf(remotes[1].remote), 'main')).toContain('upf/deployment_upf.yaml');

  expect(result.description).toBe('Published 2 of 4 repositories (2 landed, 0 unchanged, 2 failed); edge-02, edge-03 failed and must be published again.');
  const text = formatMultiPublishResult(result);
  expect(text).toMatch(/^  edge-02 +FAILED +.*edge-02\.git: the remote refused the push/m);
  expect(text).toMatch(/^  edge-03 +FAILED +.*gone\/edge-03\.git: /m);
  expect(text).toMatch(/^  edge-01 +landed /m);

  // Once the remote accepts again, publishing the set lands the rest and leaves the others be.
  fs.rmSync(path.join(dirOf(remotes[2].remote), 'hooks', 'pre-receive'));
  const retry = await publishRepoSet(set, remotes, options(root));
  expect(retry.ok).toBe(true);
  expect(retry.landed).toEqual(['edge-02', 'edge-03']);
  expect(retry.unchanged).toEqual(['mgmt', 'edge-01']);
});

test('every repository needs exactly one remote, and the pool at least one slot; nothing is published otherwise', async () => {
  const root = tempDir();
  const set = fleetSet(['edge-01']);
  const remotes = remotesFor(set, root);
  await expect(publishRepoSet(set, remotes.slice(0, 1), options(root))).rejects.toThrow(new GitOpsError('no remote for repository edge-01; nothing was published'));
  await expect(publishRepoSet(set, [...remotes, { repository: 'edge-09', remote: remotes[0].remote }], options(root)))
    .rejects.toThrow('remotes given for repositories the set does not have: edge-09; it holds mgmt, edge-01');
  await expect(publishRepoSet(set, [...remotes, remotes[1]], options(root))).rejects.toThrow('two remotes for repository "edge-01"');
  await expect(publishRepoSet(set, remotes, { ...options(root), concurrency: 0 })).rejects.toThrow('concurrency must be a whole number of at least 1; got 0');
  for (const { remote } of remotes) expect(git(dirOf(remote), 'for-each-ref')).toBe('');
});

test('remotes come from a URL template or from local bare repositories created on first use', async () => {
  expect(remotesFromTemplate('https://git.example.com/nephio/{repository}.git', ['mgmt', 'edge-01'])).toEqual([
    { repository: 'mgmt', remote: 'https://git.example.com/nephio/mgmt.git' },
    { repository: 'edge-01', remote: 'https://git.example.com/nephio/edge-01.git' },
  ]);
  expect(() => remotesFromTemplate('https://git.example.com/nephio/fleet.git', ['mgmt'])).toThrow(/must hold "\{repository\}"/);

  const root = tempDir();
  const local = await ensureLocalRemotes(['mgmt', 'edge-01'], DEFAULT_REMOTES_DIR, root);
  expect(local).toEqual([
    { repository: 'mgmt', remote: path.join(root, '.nephoran/remotes/mgmt.git') },
    { repository: 'edge-01', remote: path.join(root, '.nephoran/remotes/edge-01.git') },
  ]);
  expect(git(local[0].remote, 'rev-parse', '--is-bare-repository')).toBe('true');
  expect(git(local[0].remote, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
  const result = await publishRepoSet(fleetSet(['edge-01']), local, options(root));
  expect(result.landed).toEqual(['mgmt', 'edge-01']);
  // A second call finds them and leaves their content alone.
  const head = git(local[1].remote, 'rev-parse', 'main');
  await ensureLocalRemotes(['mgmt', 'edge-01'], DEFAULT_REMOTES_DIR, root);
  expect(git(local[1].remote, 'rev-parse', 'main')).toBe(head);
});
