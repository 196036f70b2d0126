import { history, mergeReview, parseCommitMessage, publish, ReviewGateError, reviewStatus, approveReview, TRAILER, listReviews } from '../../src/gitops';
import { commitAsPerson, createBareRemote, git, listFiles, removeTempDirs, showFile, tempDir } from '../support/git';
import { ALICE, BOB, CAROL, fleetTree } from './fixtures';

// The review gate on a plain git remote (a bare repository over file://): approvals are refs
// under refs/nephoran/reviews/, read and written with git alone.

afterAll(removeTempDirs);

const POLICY = 'environments:\n  development: { approvals: 0 }\n  staging: { approvals: 1 }\n  production: { approvals: 2 }\n';
const PRODUCTION = 'deployments/production/edge01/amf/deployment-amf.yaml';

async function setup() {
  const root = tempDir();
  const remote = createBareRemote(root);
  const options = { remote, cwd: root, author: ALICE };
  await publish(fleetTree(), options);
  commitAsPerson(remote, 'main', { '.nephoran/review-policy.yaml': POLICY }, 'Review policy');
  return { root, remote, options };
}

test('a change that touches only a direct environment goes straight in; a gated one is refused', async () => {
  const { remote, options } = await setup();
  const dev = await publish(fleetTree({ developmentReplicas: 2 }), options);
  expect(git(remote, 'rev-parse', 'main')).toBe(dev.commit);
  expect(dev.requirements).toEqual([{ scope: 'development', approvals: 0, excludeAuthor: true }]);

  const attempt = publish(fleetTree({ developmentReplicas: 2, productionReplicas: 5 }), options);
  await expect(attempt).rejects.toThrow(ReviewGateError);
  await expect(attempt).rejects.toThrow(/cannot go directly to main: production needs 2 approvals.*--mode pull-request/);
  expect(git(remote, 'rev-parse', 'main')).toBe(dev.commit);
});

test('approvals bind to a commit, the author does not count, merge says what is missing', async () => {
  const { remote, root, options } = await setup();
  const mainBefore = git(remote, 'rev-parse', 'main');
  const opened = await publish(fleetTree({ productionReplicas: 5 }), { ...options, mode: 'pull-request', reviewBranch: 'nephoran/scale-edge01' });
  expect(opened.reviewBranch).toBe('nephoran/scale-edge01');
  expect(git(remote, 'rev-parse', 'nephoran/scale-edge01')).toBe(opened.commit);
  expect(git(remote, 'rev-parse', 'main')).toBe(mainBefore);
  expect(await listReviews({ remote, cwd: root })).toEqual(['nephoran/scale-edge01']);

  const reviewOptions = { remote, cwd: root };
  const self = await approveReview('nephoran/scale-edge01', { ...reviewOptions, reviewer: ALICE });
  expect(self.recorded).toBe(true);
  const one = await approveReview('nephoran/scale-edge01', { ...reviewOptions, reviewer: BOB });
  expect(one.status.gate.approvals.map(a => a.reviewer).sort()).toEqual(['alice@example.com', 'bob@example.com']);
  expect(one.status.gate.met).toBe(false);
  expect(one.status.gate.missing).toEqual([expect.stringMatching(/^production needs 2 approvals of commit [0-9a-f]{12} by people other than the author \(alice@example.com\); only Bob Reviewer <bob@example.com>$/)]);
  // Approving twice records nothing new.
  expect((await approveReview('nephoran/scale-edge01', { ...reviewOptions, reviewer: BOB })).recorded).toBe(false);

  const refused = mergeReview('nephoran/scale-edge01', { ...reviewOptions, committer: BOB });
  await expect(refused).rejects.toThrow(ReviewGateError);
  await expect(refused).rejects.toThrow(/cannot merge nephoran\/scale-edge01 into main: the review gate is not met\.\n  - production needs 2 approvals/);
  expect(git(remote, 'rev-parse', 'main')).toBe(mainBefore);

  // A new push to the review branch voids the approvals given so far.
  await approveReview('nephoran/scale-edge01', { ...reviewOptions, reviewer: CAROL });
  const pushed = await publish(fleetTree({ productionReplicas: 6 }), { ...options, mode: 'pull-request', reviewBranch: 'nephoran/scale-edge01' });
  const afterPush = await reviewStatus('nephoran/scale-edge01', reviewOptions);
  expect(afterPush.head).toBe(pushed.commit);
  expect(afterPush.gate.approvals).toEqual([]);
  expect(afterPush.gate.stale.map(a => a.reviewer).sort()).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.com']);
  expect(afterPush.gate.met).toBe(false);

  await approveReview('nephoran/scale-edge01', { ...reviewOptions, reviewer: BOB });
  await approveReview('nephoran/scale-edge01', { ...reviewOptions, reviewer: CAROL });
  // main moved meanwhile (a person's README): the merge re-applies the change on the new head.
  const moved = commitAsPerson(remote, 'main', { 'README.md': '# fleet\n' }, 'Docs');
  const merged = await mergeReview('nephoran/scale-edge01', { ...reviewOptions, committer: BOB });

  expect(git(remote, 'rev-parse', 'main')).toBe(merged.commit);
  expect(git(remote, 'log', '-1', '--format=%P', 'main')).toBe(`${moved} ${pushed.commit}`);
  expect(showFile(remote, 'main', PRODUCTION)).toContain('replicas: 6');
  expect(listFiles(remote, 'main')).toContain('README.md');
  expect(git(remote, 'branch', '--list', 'nephoran/scale-edge01')).toBe('');
  const message = parseCommitMessage(git(remote, 'log', '-1', '--format=%B', 'main'));
  expect(message.trailers.get(TRAILER.approvedBy)).toEqual(['Bob Reviewer <bob@example.com>', 'Carol Reviewer <carol@example.com>']);
  expect(message.trailers.get(TRAILER.reviewedCommit)).toEqual([pushed.commit]);
  expect(message.trailers.get(TRAILER.changeId)).toEqual([pushed.changeId]);

  const [entry] = await history({ remote, cwd: root, limit: 1 });
  expect(entry.kind).toBe('merge');
  expect(entry.approvals).toEqual(['Bob Reviewer <bob@example.com>', 'Carol Reviewer <carol@example.com>']);
  expect(entry.locations).toEqual([{ cluster: 'edge01', environment: 'production', packagePath: 'deployments/production/edge01/amf', added: 0, changed: 1, removed: 0 }]);
});

test('a push to the review branch by hand also voids approvals; merging an already merged branch is refused', async () => {
  const { remote, root, options } = await setup();
  const opened = await publish(fleetTree({ stagingReplicas: 3 }), { ...options, mode: 'pull-request' });
  expect(opened.reviewBranch).toMatch(/^nephoran\/change-[0-9a-f]{12}$/);
  const branch = opened.reviewBranch!;
  await approveReview(branch, { remote, cwd: root, reviewer: BOB });
  expect((await reviewStatus(branch, { remote, cwd: root })).gate.met).toBe(true);
  commitAsPerson(remote, branch, { 'deployments/staging/lab01/notes.txt': 'tweak\n' }, 'Tweak', CAROL);
  const status = await reviewStatus(branch, { remote, cwd: root });
  expect(status.gate.met).toBe(false);
  expect([...status.authors].sort()).toEqual(['alice@example.com', 'carol@example.com']);
  await approveReview(branch, { remote, cwd: root, reviewer: BOB });
  const merged = await mergeReview(branch, { remote, cwd: root, committer: BOB });
  expect(showFile(remote, merged.commit, 'deployments/staging/lab01/notes.txt')).toBe('tweak');
  await expect(mergeReview(branch, { remote, cwd: root })).rejects.toThrow(/no review branch/);
});

test('publishing the same tree twice for review pushes nothing new', async () => {
  const { remote, options } = await setup();
  const first = await publish(fleetTree({ productionReplicas: 9 }), { ...options, mode: 'pull-request' });
  const second = await publish(fleetTree({ productionReplicas: 9 }), { ...options, mode: 'pull-request' });
  expect(second.commit).toBeUndefined();
  expect(second.description).toMatch(/^Already proposed on nephoran\/change-/);
  expect(git(remote, 'rev-parse', first.reviewBranch!)).toBe(first.commit);
});
