import * as fs from 'fs';
import * as path from 'path';
import { ALICE, fleetTree } from './fixtures';
import { ConflictError, defaultCacheDir, parseCommitMessage, publish, TRAILER } from '../../src/gitops';
import { OWNERSHIP_MANIFEST_PATH, parseOwnershipManifest } from '../../src/repo/ownership';
import { RepoTree } from '../../src/repo/repo-tree';
import { commitAsPerson, createBareRemote, git, listFiles, removeTempDirs, showFile, tempDir } from '../support/git';
import { startGitDaemon } from '../support/git-daemon';

// Every test publishes to a real bare repository over file:// (or git:// through a git daemon
// this file starts on 127.0.0.1): no git operation is simulated.

afterAll(removeTempDirs);

function setup() {
  const root = tempDir();
  const remote = createBareRemote(root);
  return { root, remote, options: { remote, cwd: root, author: ALICE, committer: ALICE } };
}

test('first publish commits the tree, the ownership manifest and attribution trailers', async () => {
  const { remote, options, root } = setup();
  const result = await publish(fleetTree(), { ...options, message: 'Initial fleet', sourceDir: process.cwd() });

  expect(result.changed).toBe(true);
  expect(result.commit).toMatch(/^[0-9a-f]{40}$/);
  expect(git(remote, 'rev-parse', 'main')).toBe(result.commit);
  expect(listFiles(remote, 'main')).toEqual(expect.arrayContaining([
    'deployments/production/edge01/amf/deployment-amf.yaml', 'clusters/edge01/rootsync.yaml', OWNERSHIP_MANIFEST_PATH,
  ]));
  expect(parseOwnershipManifest(showFile(remote, 'main', OWNERSHIP_MANIFEST_PATH)!)).toEqual(fleetTree().paths());

  const message = parseCommitMessage(git(remote, 'log', '-1', '--format=%B', 'main'));
  expect(message.subject).toBe('Initial fleet');
  expect(message.trailers.get(TRAILER.changeId)).toEqual([result.changeId]);
  expect(result.changeId).toMatch(/^I[0-9a-f]{40}$/);
  // The source program is this project's own checkout: its HEAD is recorded.
  const sourceHead = git(process.cwd(), 'rev-parse', 'HEAD');
  expect(message.trailers.get(TRAILER.sourceCommit)?.[0]).toMatch(new RegExp(`^${sourceHead}(-dirty)?$`));
  expect(git(remote, 'log', '-1', '--format=%an <%ae>|%cn <%ce>', 'main')).toBe('Alice Author <alice@example.com>|Alice Author <alice@example.com>');

  expect(result.summary.objects.added).toBe(9);
  expect(result.summary.groups.map(g => g.cluster ?? 'shared')).toEqual(['dev01', 'edge01', 'edge01', 'lab01', 'shared']);
  // The cache is where the options say by default: under the working folder, named by the remote.
  expect(fs.existsSync(path.join(defaultCacheDir(remote, root), 'HEAD'))).toBe(true);
});

test('an unchanged tree makes no commit and says so', async () => {
  const { remote, options } = setup();
  await publish(fleetTree(), options);
  const before = git(remote, 'rev-parse', 'main');
  const again = await publish(fleetTree(), options);
  expect(again.changed).toBe(false);
  expect(again.commit).toBeUndefined();
  expect(again.description).toMatch(/^No change/);
  expect(git(remote, 'rev-parse', 'main')).toBe(before);
  expect(git(remote, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main');
});

test('the change id depends only on the tree content', async () => {
  const a = setup();
  const b = setup();
  const first = await publish(fleetTree(), a.options);
  const second = await publish(fleetTree(), { ...b.options, message: 'other words' });
  expect(second.changeId).toBe(first.changeId);
  // The working folder is no git repository: no source commit to record.
  expect(git(b.remote, 'log', '-1', '--format=%B', 'main')).not.toMatch(/Source-Commit/);
  const changed = await publish(fleetTree({ productionReplicas: 5 }), a.options);
  expect(changed.changeId).not.toBe(first.changeId);
});

test('removes its own stale files, keeps files a person added, reports changed fields', async () => {
  const { remote, options } = setup();
  await publish(fleetTree({ withSmf: true }), options);
  commitAsPerson(remote, 'main', { 'README.md': '# fleet\n', 'deployments/development/dev01/notes.txt': 'by hand\n' }, 'Add docs');

  const result = await publish(fleetTree({ productionReplicas: 3 }), options);

  const files = listFiles(remote, 'main');
  expect(files).toContain('README.md');
  expect(files).toContain('deployments/development/dev01/notes.txt');
  expect(files).not.toContain('deployments/development/dev01/smf/deployment-smf.yaml');
  expect(files).not.toContain('deployments/development/dev01/smf/Kptfile');
  expect(result.summary.files).toEqual({ added: 0, changed: 1, removed: 2 });
  const edge = result.summary.groups.find(g => g.cluster === 'edge01' && g.packagePath === 'deployments/production/edge01/amf')!;
  expect(edge.environment).toBe('production');
  expect(edge.objects).toEqual([{ kind: 'changed', object: 'Deployment amf/amf', file: 'deployments/production/edge01/amf/deployment-amf.yaml', fields: [{ field: 'spec.replicas', before: '2', after: '3' }] }]);
  const smf = result.summary.groups.find(g => g.packagePath === 'deployments/development/dev01/smf')!;
  expect(smf.objects.map(o => `${o.kind} ${o.object}`)).toEqual(['removed Kptfile smf', 'removed Deployment smf/smf']);
});

test('refuses to overwrite a file a person added at a path the tree now generates', async () => {
  const { remote, options } = setup();
  await publish(fleetTree(), options);
  const head = commitAsPerson(remote, 'main', { 'deployments/development/dev01/amf/configmap-amf.yaml': 'hand: written\n' }, 'Hand-made config');
  await expect(publish(fleetTree({ withConfigMap: true }), options)).rejects.toThrow(ConflictError);
  await expect(publish(fleetTree({ withConfigMap: true }), options)).rejects.toThrow(/configmap-amf\.yaml.*nephoran did not write/);
  expect(git(remote, 'rev-parse', 'main')).toBe(head);
});

test('publishes to an empty repository and to a branch other than main', async () => {
  const { remote, options } = setup();
  const result = await publish(RepoTree.fromRecord({ 'a/b.yaml': 'kind: X\nmetadata: {name: b}\n' }), { ...options, branch: 'deploy' });
  expect(git(remote, 'rev-parse', 'deploy')).toBe(result.commit);
  await expect(publish(fleetTree(), { ...options, branch: 'bad..name' })).rejects.toThrow(/not a valid branch name/);
});

test('publishes over git:// to a git daemon on 127.0.0.1', async () => {
  const root = tempDir();
  createBareRemote(root, 'fleet.git');
  const daemon = await startGitDaemon(root);
  try {
    const options = { remote: daemon.url('fleet.git'), cwd: root, author: ALICE };
    const first = await publish(fleetTree(), options);
    expect(first.changed).toBe(true);
    expect(git(path.join(root, 'fleet.git'), 'rev-parse', 'main')).toBe(first.commit);
    expect((await publish(fleetTree(), options)).changed).toBe(false);
    const second = await publish(fleetTree({ stagingReplicas: 4 }), options);
    expect(git(path.join(root, 'fleet.git'), 'rev-parse', 'main~1')).toBe(first.commit);
    expect(second.summary.groups.map(g => g.cluster)).toEqual(['lab01']);
  } finally {
    await daemon.stop();
  }
});
