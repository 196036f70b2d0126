import { ALICE, BOB, fleetTree } from './fixtures';
import { approveReview, diffTree, formatHistory, formatReviewStatus, formatTreeDiff, history, listReviewStates, mergeReview, publish, ReviewGateError, reviewStatus, rollback, parseCommitMessage } from '../../src/gitops';
import { commitAsPerson, createBareRemote, git, listFiles, removeTempDirs, showFile, tempDir } from '../support/git';

// rollback, history and diff against real bare repositories over file://.

afterAll(removeTempDirs);

const PRODUCTION = 'deployments/production/edge01/amf/deployment-amf.yaml';

async function setup() {
  const root = tempDir();
  const remote = createBareRemote(root);
  const options = { remote, cwd: root, author: ALICE };
  const v1 = await publish(fleetTree(), options);
  git(remote, 'tag', 'release-1', v1.commit!);
  const v2 = await publish(fleetTree({ productionReplicas: 4, withSmf: true }), { ...options, author: BOB, message: 'Scale edge01, add smf' });
  return { root, remote, options, v1, v2 };
}

test('rollback restores the owned paths of a tag in a new commit and keeps history and people\'s files', async () => {
  const { remote, options, v1, v2 } = await setup();
  commitAsPerson(remote, 'main', { 'README.md': '# fleet\n' }, 'Docs');
  const result = await rollback({ ...options, to: 'release-1' });
  expect(result.changed).toBe(true);
  expect(git(remote, 'rev-list', '--count', 'main')).toBe('4');
  expect(showFile(remote, 'main', PRODUCTION)).toBe(showFile(remote, v1.commit!, PRODUCTION));
  expect(listFiles(remote, 'main')).not.toContain('deployments/development/dev01/smf/Kptfile');
  expect(listFiles(remote, 'main')).toContain('README.md');
  const message = parseCommitMessage(git(remote, 'log', '-1', '--format=%B', 'main'));
  expect(message.subject).toBe(`Roll back to release-1 (${v1.commit!.slice(0, 12)})`);
  expect(message.trailers.get('Rollback-To')).toEqual([v1.commit]);
  expect(message.trailers.get('Emergency')).toBeUndefined();
  // The restored tree is the v1 tree: same change id.
  expect(message.trailers.get('Change-Id')).toEqual([v1.changeId]);
  // Rolling back to where the branch already is changes nothing.
  expect((await rollback({ ...options, to: v1.commit! })).changed).toBe(false);
  expect(v2.changed).toBe(true);
});

test('rollback goes through the review gate unless --emergency, which the commit records', async () => {
  const { remote, options, v1 } = await setup();
  commitAsPerson(remote, 'main', { '.nephoran/review-policy.yaml': 'environments:\n  production: { approvals: 2 }\n' }, 'Policy');
  const before = git(remote, 'rev-parse', 'main');
  await expect(rollback({ ...options, to: 'release-1' })).rejects.toThrow(ReviewGateError);
  // The refusal names the ways that work for a rollback, as complete commands: no proposal mode.
  const refusal = await rollback({ ...options, to: 'release-1', targetArgs: ['--remote', remote] }).catch(e => (e as Error).message);
  expect(refusal).toContain('this rollback cannot go directly to main: production needs 2 approvals.');
  expect(refusal).toContain(`\n  nephoran rollback --to release-1 --mode pull-request --remote ${remote}\n`);
  expect(refusal).toMatch(new RegExp(`\n  nephoran rollback --to release-1 --emergency --remote ${remote}$`));
  expect(refusal).not.toContain('proposal');
  expect(git(remote, 'rev-parse', 'main')).toBe(before);

  const review = await rollback({ ...options, to: 'release-1', mode: 'pull-request' });
  expect(review.reviewBranch).toBe(`nephoran/rollback-${v1.commit!.slice(0, 12)}`);
  expect(git(remote, 'rev-parse', 'main')).toBe(before);

  const emergency = await rollback({ ...options, to: 'release-1', emergency: true, message: 'Edge01 AMF crash-looping' });
  expect(git(remote, 'rev-parse', 'main')).toBe(emergency.commit);
  const message = parseCommitMessage(git(remote, 'log', '-1', '--format=%B', 'main'));
  expect(message.subject).toBe('Edge01 AMF crash-looping');
  expect(message.trailers.get('Emergency')).toEqual(['true']);
  const [entry] = await history({ ...options, limit: 1 });
  expect(entry).toMatchObject({ kind: 'rollback', emergency: true, rollbackTo: v1.commit });
  expect(formatHistory([entry])).toContain('EMERGENCY: review gate bypassed');

  // The rollback pull request still waits, but main already holds its tree: superseded.
  const status = await reviewStatus(review.reviewBranch!, options);
  expect(status.superseded).toMatchObject({ by: emergency.commit });
  expect(status.superseded!.reason).toMatch(/is superseded: main already holds every file it changes, since [0-9a-f]{12} \("Edge01 AMF crash-looping"\)/);
  expect(formatReviewStatus(status)).toContain('  superseded: ');
  expect(formatReviewStatus(status)).not.toContain('ready to merge');
  const listed = await listReviewStates(options);
  expect(listed).toEqual([expect.objectContaining({
    reviewBranch: review.reviewBranch,
    head: review.commit,
    rollbackTo: v1.commit,
    superseded: expect.objectContaining({ by: emergency.commit }),
  })]);
  await expect(approveReview(review.reviewBranch!, { ...options, reviewer: BOB })).rejects.toThrow(/^not approved: .* is superseded/);
  await expect(mergeReview(review.reviewBranch!, { ...options, committer: BOB })).rejects.toThrow(/^not merged: .* is superseded/);
  expect(git(remote, 'rev-parse', 'main')).toBe(emergency.commit);
});

test('a pending review the target does not hold yet is not superseded', async () => {
  const { options } = await setup();
  const review = await rollback({ ...options, to: 'release-1', mode: 'pull-request' });
  expect((await reviewStatus(review.reviewBranch!, options)).superseded).toBeUndefined();
  expect((await listReviewStates(options))[0].superseded).toBeUndefined();
});

test('rollback to an unknown revision or one nephoran did not write says so', async () => {
  const { remote, options } = await setup();
  await expect(rollback({ ...options, to: 'no-such-tag' })).rejects.toThrow(/"no-such-tag" is not a commit, tag or branch of/);
  git(remote, 'update-ref', 'refs/heads/bare', git(remote, 'commit-tree', '4b825dc642cb6eb9a060e54bf8d69288fbee4904', '-m', 'empty'));
  await expect(rollback({ ...options, to: 'bare' })).rejects.toThrow(/has no \.nephoran\/owned-paths: nephoran did not publish it/);
});

test('history tells who changed what, when, with which change id, filtered by cluster and package', async () => {
  const { options, v1, v2 } = await setup();
  const all = await history(options);
  expect(all.map(e => e.commit)).toEqual([v2.commit, v1.commit]);
  expect(all[0]).toMatchObject({ kind: 'publish', subject: 'Scale edge01, add smf', author: { name: 'Bob Reviewer', email: 'bob@example.com' }, changeId: v2.changeId, approvals: [] });
  expect(all[0].authoredAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(all[0].locations).toEqual([
    { cluster: 'dev01', environment: 'development', packagePath: 'deployments/development/dev01/smf', added: 2, changed: 0, removed: 0 },
    { cluster: 'edge01', environment: 'production', packagePath: 'deployments/production/edge01/amf', added: 0, changed: 1, removed: 0 },
  ]);
  expect((await history({ ...options, cluster: 'lab01' })).map(e => e.commit)).toEqual([v1.commit]);
  expect((await history({ ...options, package: 'smf' })).map(e => e.commit)).toEqual([v2.commit]);
  // A filter keeps only the matching locations and files of each commit.
  const [smf] = await history({ ...options, package: 'smf' });
  expect(smf.locations).toEqual([{ cluster: 'dev01', environment: 'development', packagePath: 'deployments/development/dev01/smf', added: 2, changed: 0, removed: 0 }]);
  expect(smf.files.every(f => f.path.startsWith('deployments/development/dev01/smf/'))).toBe(true);
  const byCluster = await history({ ...options, cluster: 'edge01' });
  expect(byCluster.map(e => e.commit)).toEqual([v2.commit, v1.commit]);
  for (const e of byCluster) {
    expect(e.locations.map(l => l.cluster)).toEqual(e.locations.map(() => 'edge01'));
    expect(formatHistory([e])).not.toMatch(/cluster (dev01|lab01)/);
  }
  expect((await history({ ...options, package: 'deployments/production/edge01/amf' })).map(e => e.commit)).toEqual([v2.commit, v1.commit]);
  expect(JSON.parse(JSON.stringify(all))[1].changeId).toBe(v1.changeId);
});

test('diff compares a tree with the remote branch per cluster, package and object, with changed fields', async () => {
  const { options, v2 } = await setup();
  const same = await diffTree(fleetTree({ productionReplicas: 4, withSmf: true }), options);
  expect(same).toMatchObject({ different: false, commit: v2.commit });
  expect(formatTreeDiff(same)).toMatch(/^No difference/);

  const changed = await diffTree(fleetTree({ productionReplicas: 6, withConfigMap: true }), options);
  expect(changed.different).toBe(true);
  expect(changed.summary.objects).toEqual({ added: 1, changed: 1, removed: 2 });
  const text = formatTreeDiff(changed);
  expect(text).toContain('cluster edge01 (production)\n  package deployments/production/edge01/amf: 0 added, 1 changed, 0 removed\n    ~ Deployment amf/amf\n        spec.replicas: 4 -> 6');
  expect(text).toContain('    + ConfigMap amf/amf-config');
  expect(text).toContain('    - Deployment smf/smf');
  expect(changed.commit).toBe(v2.commit);
});
