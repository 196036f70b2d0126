import { Cluster, Environment, Fleet, GitAuth, Placement, Rollout, SiteType } from '../../../src/fleet';
import { approveReview, ClusterSyncState, mergeReview, promote, publish, ReviewGateError, rolloutHistory } from '../../../src/gitops';
import { GitOpsRepository } from '../../../src/repo';
import { TestWorkload } from '../../fleet/support';
import { commitAsPerson, createBareRemote, git, removeTempDirs, tempDir } from '../../support/git';
import { ALICE, BOB } from '../fixtures';

// A wave goes through the same review gate as any publish: a promotion into a gated environment
// is refused in direct mode and goes through a pull request; the rollout state is read back
// through the merge commit (its Reviewed-commit carries the wave's trailers).

afterAll(removeTempDirs);

function program(replicas: number) {
  const repo = new GitOpsRepository();
  const fleet = new Fleet(repo, 'fleet', { repoUrl: 'https://git.example.com/telco/fleet.git', auth: GitAuth.none() });
  const lab = new Cluster(fleet, 'lab-01', { environment: Environment.STAGING, region: 'eu-west', siteType: SiteType.EDGE });
  new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
  new Placement(fleet, 'upf', { blueprint: new TestWorkload(repo, 'upf', { namespace: 'upf', replicas }) });
  new Rollout(fleet, 'Rollout').addWave('staging', { clusters: [lab] });
  return repo.synthTree().tree;
}

/** What a healthy cluster that synced `commit` reports. */
function synced(cluster: string, commit: string): ClusterSyncState {
  return {
    cluster,
    context: cluster,
    rootSync: { name: cluster, namespace: 'config-management-system' },
    reachable: true,
    rootSyncFound: true,
    phase: 'synced',
    syncedCommit: commit,
    syncedAt: new Date().toISOString(),
    errors: [],
    conditions: [],
    inventory: { found: true, total: 1, byStatus: { Current: 1 }, notCurrent: [], healthy: true, reconciling: false },
    readAt: new Date().toISOString(),
  };
}

test('promote into a gated environment: refused directly, then through a pull request, approved and merged', async () => {
  const root = tempDir('nephoran-waves-review-');
  const remote = createBareRemote(root);
  const options = { remote, cwd: root, author: ALICE, committer: ALICE };
  await publish(program(1), options);
  commitAsPerson(remote, 'main', { '.nephoran/review-policy': 'environments:\n  production: { approvals: 1 }\n' }, 'Review policy');

  const wave1 = await publish(program(2), options);
  expect(wave1.commit).toBe(git(remote, 'rev-parse', 'main'));
  const reader = async () => [synced('lab-01', wave1.commit!)];

  const direct = promote(program(2), { ...options, reader });
  await expect(direct).rejects.toBeInstanceOf(ReviewGateError);
  await expect(direct).rejects.toThrow('this promote cannot go directly to main: production needs 1 approval. Send it through review, then approve and merge the review branch it names:\n  nephoran promote --mode pull-request');

  const opened = await promote(program(2), { ...options, reader, mode: 'pull-request' });
  expect(opened.reviewBranch).toMatch(/^nephoran\/rollout-[0-9a-f]{12}-remaining$/);
  await approveReview(opened.reviewBranch!, { remote, cwd: root, reviewer: BOB });
  const merged = await mergeReview(opened.reviewBranch!, { remote, cwd: root, committer: BOB });
  expect(git(remote, 'show', '-s', '--format=%P', merged.commit).split(' ')).toHaveLength(2);

  await expect(promote(program(2), { ...options, reader })).rejects.toThrow(/has reached every wave \(remaining, 2\/2\): nothing to promote/);
  const [latest] = await rolloutHistory({ remote, cwd: root });
  expect(latest.steps.map(s => [s.mark, s.clusters, s.commit])).toEqual([
    ['staging (1/2)', ['lab-01'], wave1.commit],
    ['remaining (2/2)', ['edge-01'], merged.commit],
  ]);
  expect(latest.steps[1].verified).toEqual([expect.stringMatching(new RegExp(`^lab-01 synced ${wave1.commit!.slice(0, 12)} at `))]);
});
