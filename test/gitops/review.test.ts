import { ALICE, BOB, CAROL, fleetTree } from './fixtures';
import { history, mergeReview, parseCommitMessage, publish, ReviewGateError, reviewStatus, approveReview, TRAILER, listReviews, formatReviewStatus } from '../../src/gitops';
import { RepositoryLayout } from '../../src/gitops/layout';
import { checkPipelineFiles, gateRequirements, LEGACY_REVIEW_POLICY_PATH, REVIEW_POLICY_PATH } from '../../src/gitops/review-gate';
import { clusterEnvironmentPath, repositoryEnvironmentPath } from '../../src/repo/environment-records';
import { OWNERSHIP_MANIFEST_PATH } from '../../src/repo/ownership';
import { REPOSITORY_SET_MANIFEST_PATH } from '../../src/repo/repo-set';
import { RepoTree } from '../../src/repo/repo-tree';
import { commitAsPerson, createBareRemote, git, listFiles, removeTempDirs, showFile, tempDir } from '../support/git';

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
  commitAsPerson(remote, 'main', { '.nephoran/review-policy': POLICY }, 'Review policy');
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
  // Only approvals that count under the gate are listed as approvals: the author's own is not.
  expect(one.status.gate.approvals.map(a => a.reviewer)).toEqual(['bob@example.com']);
  expect(one.status.gate.notCounted.map(a => a.reviewer)).toEqual(['alice@example.com']);
  expect(formatReviewStatus(one.status)).not.toContain('approved by Alice');
  expect(formatReviewStatus(one.status)).toContain('not counted: Alice Author <alice@example.com>: an author of the change approved it');
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
  // The author's own approval of the final head is recorded but never becomes an Approved-by trailer.
  await approveReview('nephoran/scale-edge01', { ...reviewOptions, reviewer: ALICE });
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

describe('the review policy and the environment records stay invisible to ConfigSync', () => {
  const CONFIGSYNC_PARSES = /\.(ya?ml|json)$/;

  test('no file the pipeline keeps in a repository ends in .yaml, .yml or .json', () => {
    for (const path of [REVIEW_POLICY_PATH, OWNERSHIP_MANIFEST_PATH, REPOSITORY_SET_MANIFEST_PATH, repositoryEnvironmentPath('production'), clusterEnvironmentPath('edge-01', 'production')]) {
      expect([path, CONFIGSYNC_PARSES.test(path)]).toEqual([path, false]);
    }
    expect(() => checkPipelineFiles([OWNERSHIP_MANIFEST_PATH])).not.toThrow();
    expect(() => checkPipelineFiles(['.nephoran/owned-paths.yaml'])).toThrow(/ConfigSync parses as Kubernetes objects/);
  });

  test('the policy of earlier versions (.nephoran/review-policy.yaml) is still read when the repository has no other', async () => {
    const root = tempDir();
    const remote = createBareRemote(root);
    const options = { remote, cwd: root, author: ALICE };
    await publish(fleetTree(), options);
    commitAsPerson(remote, 'main', { [LEGACY_REVIEW_POLICY_PATH]: POLICY }, 'Review policy');
    await expect(publish(fleetTree({ productionReplicas: 5 }), options)).rejects.toThrow(/production needs 2 approvals/);
    // The new file takes precedence.
    commitAsPerson(remote, 'main', { [REVIEW_POLICY_PATH]: 'environments:\n  production: { approvals: 0 }\n' }, 'Review policy, renamed');
    const direct = await publish(fleetTree({ productionReplicas: 5 }), options);
    expect(direct.requirements).toEqual([{ scope: 'production', approvals: 0, excludeAuthor: true }]);
  });
});

describe('the review gate of a workload cluster\'s own repository', () => {
  const policy = { environments: { production: { approvals: 2 }, development: { approvals: 0 } } };
  const clusterRepo = ['upf/Kptfile', 'upf/deployment_upf.yaml', 'namespaces/namespace_upf.yaml'];

  test('gates every file by the environment the repository records, not as shared', () => {
    const layout = new RepositoryLayout([...clusterRepo, repositoryEnvironmentPath('production')]);
    expect(gateRequirements(policy, ['upf/deployment_upf.yaml'], layout)).toEqual([{ scope: 'production', approvals: 2, excludeAuthor: true }]);
    // Without a record the paths name no environment.
    expect(gateRequirements(policy, ['upf/deployment_upf.yaml'], new RepositoryLayout(clusterRepo))).toEqual([{ scope: 'shared', approvals: 0, excludeAuthor: true }]);
  });

  test('a change that moves the repository to another environment meets both gates', () => {
    const layout = new RepositoryLayout([...clusterRepo, repositoryEnvironmentPath('production'), repositoryEnvironmentPath('development')]);
    expect(gateRequirements(policy, [repositoryEnvironmentPath('development')], layout).map(r => r.scope)).toEqual(['production', 'development']);
  });

  test('in a management repository, a cluster\'s folders take the environment its record names', () => {
    const layout = new RepositoryLayout(['clusters/edge-01/Kptfile', 'management/workload-clusters/edge-01/Kptfile', clusterEnvironmentPath('edge-01', 'production')]);
    expect(gateRequirements(policy, ['clusters/edge-01/rootsync_edge-01.yaml', 'management/workload-clusters/edge-01/workloadcluster_edge-01.yaml'], layout))
      .toEqual([{ scope: 'production', approvals: 2, excludeAuthor: true }]);
  });

  test('publish to a cluster repository over git refuses a direct change of a production cluster', async () => {
    const root = tempDir();
    const remote = createBareRemote(root);
    const options = { remote, cwd: root, author: ALICE };
    const tree = (replicas: number) => RepoTree.fromRecord({
      [repositoryEnvironmentPath('production')]: '# production\n',
      'upf/Kptfile': 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: upf\n',
      'upf/deployment_upf.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: upf\n  namespace: upf\nspec:\n  replicas: ${replicas}\n`,
    });
    await publish(tree(1), options);
    commitAsPerson(remote, 'main', { [REVIEW_POLICY_PATH]: POLICY }, 'Review policy');
    await expect(publish(tree(2), options)).rejects.toThrow(/production needs 2 approvals/);
  });
});
