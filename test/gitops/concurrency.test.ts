import { ALICE, BOB, fleetTree } from './fixtures';
import { ConflictError, publish } from '../../src/gitops';
import { commitAsPerson, createBareRemote, git, loseNextPushRace, refUpdates, removeTempDirs, showFile, tempDir } from '../support/git';

// Publishers race on real bare repositories. A pre-receive hook moves main between the fetch and
// the ref update of a push, exactly as a second publisher's push would, so the race is certain.

afterAll(removeTempDirs);

const PRODUCTION = 'deployments/production/edge01/amf/deployment-amf.yaml';
const STAGING = 'deployments/staging/lab01/amf/deployment-amf.yaml';

function setup() {
  const root = tempDir();
  const remote = createBareRemote(root);
  git(remote, 'config', 'core.logAllRefUpdates', 'always');
  return { root, remote, options: { remote, cwd: root, author: ALICE } };
}

function neverForcePushed(remote: string): void {
  for (const [before, after] of refUpdates(remote, 'refs/heads/main')) {
    if (/^0+$/.test(before)) continue;
    expect(git(remote, 'merge-base', '--is-ancestor', before, after)).toBe('');
  }
}

test('a rejected push is fetched, re-applied on the new head and pushed again: nothing is lost', async () => {
  const { remote, options } = setup();
  await publish(fleetTree(), options);
  // Another publisher's change to staging lands while this publish (production) is pushing.
  const theirs = commitAsPerson(remote, 'main', { [STAGING]: fleetTree({ stagingReplicas: 4 }).getText(STAGING)! }, 'Staging to 4', BOB, 'side');
  loseNextPushRace(remote, theirs);

  const result = await publish(fleetTree({ productionReplicas: 3 }), options);

  expect(result.attempts).toBe(2);
  expect(git(remote, 'rev-parse', 'main~1')).toBe(theirs);
  expect(git(remote, 'rev-parse', 'main')).toBe(result.commit);
  expect(showFile(remote, 'main', PRODUCTION)).toContain('replicas: 3');
  expect(showFile(remote, 'main', STAGING)).toContain('replicas: 4');
  neverForcePushed(remote);
});

test('a true conflict fails with a clear message and leaves the remote as it was', async () => {
  const { remote, options } = setup();
  await publish(fleetTree(), options);
  const theirs = commitAsPerson(remote, 'main', { [PRODUCTION]: fleetTree({ productionReplicas: 7 }).getText(PRODUCTION)! }, 'Production to 7', BOB, 'side');
  loseNextPushRace(remote, theirs);

  const attempt = publish(fleetTree({ productionReplicas: 3 }), options);
  await expect(attempt).rejects.toThrow(ConflictError);
  await attempt.catch(err => {
    expect(err.message).toContain(PRODUCTION);
    expect(err.message).toContain('Bob Reviewer <bob@example.com>: Production to 7');
    expect(err.message).toContain('the remote is as it was');
  });
  expect(git(remote, 'rev-parse', 'main')).toBe(theirs);
  expect(showFile(remote, 'main', PRODUCTION)).toContain('replicas: 7');
  neverForcePushed(remote);
});

test('a tree another publisher already pushed leaves nothing to do', async () => {
  const { remote, root, options } = setup();
  await publish(fleetTree(), options);
  // Another publisher (own cache) publishes the very same tree first.
  const other = await publish(fleetTree({ productionReplicas: 3 }), { ...options, cacheDir: `${root}/other-cache`, author: BOB });
  const result = await publish(fleetTree({ productionReplicas: 3 }), options);
  expect(result.changed).toBe(false);
  expect(git(remote, 'rev-parse', 'main')).toBe(other.commit);
});

test('gives up after the bounded number of attempts without pushing', async () => {
  const { remote, options } = setup();
  await publish(fleetTree(), options);
  const theirs = commitAsPerson(remote, 'main', { [STAGING]: 'kind: Other\n' }, 'Other change', BOB, 'side');
  loseNextPushRace(remote, theirs);
  await expect(publish(fleetTree({ productionReplicas: 3 }), { ...options, maxPushAttempts: 1 })).rejects.toThrow(/kept moving: gave up after 1 attempt in .* s/);
  expect(git(remote, 'rev-parse', 'main')).toBe(theirs);
});

test('publishers running at once on one branch all land, each change kept', async () => {
  const { remote, root, options } = setup();
  await publish(fleetTree(), options);
  const changes = [{ productionReplicas: 3 }, { stagingReplicas: 5 }, { developmentReplicas: 6 }, { withSmf: true }];
  const results = await Promise.all(changes.map((change, i) =>
    publish(fleetTree(change), { ...options, cacheDir: `${root}/cache-${i}`, message: `change ${i}` })));
  expect(results.every(r => r.changed)).toBe(true);
  expect(showFile(remote, 'main', PRODUCTION)).toContain('replicas: 3');
  expect(showFile(remote, 'main', STAGING)).toContain('replicas: 5');
  expect(showFile(remote, 'main', 'deployments/development/dev01/amf/deployment-amf.yaml')).toContain('replicas: 6');
  expect(showFile(remote, 'main', 'deployments/development/dev01/smf/Kptfile')).toBeDefined();
  expect(showFile(remote, 'main', '.nephoran/owned-paths')).toContain('deployments/development/dev01/smf/Kptfile');
  expect(git(remote, 'rev-list', '--count', 'main')).toBe('5');
  neverForcePushed(remote);
  // Several publishers and their retries against one remote: seconds alone, more on a busy machine.
}, 120_000);
