import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { Cluster, Environment, Fleet, GitAuth, Placement, Rollout, SiteType } from '../../../src/fleet';
import { GitOpsError, promote, publish, rollbackWave, WavePublishResult } from '../../../src/gitops';
import { GitOpsRepository } from '../../../src/repo';
import { TestWorkload } from '../../fleet/support';
import { createBareRemote, git, removeTempDirs, showFile, tempDir } from '../../support/git';
import { onPath } from '../../support/tmp';
import { ALICE } from '../fixtures';

// The library API of a rollout (publish, promote, rollbackWave) on a real bare repository, and
// what the real `kpt` does with a variant held back at the previous blueprint revision: its
// Kptfile locks that revision, so `kpt pkg update` to the new revision makes a three-way merge
// that brings exactly the blueprint's change.

afterAll(removeTempDirs);

function program(remoteUrl: string, replicas: number) {
  const repo = new GitOpsRepository();
  const fleet = new Fleet(repo, 'fleet', { repoUrl: remoteUrl, auth: GitAuth.none() });
  const canary = new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
  new Cluster(fleet, 'edge-02', { environment: Environment.PRODUCTION, region: 'us-east', siteType: SiteType.EDGE });
  new Placement(fleet, 'upf', { blueprint: new TestWorkload(repo, 'upf', { namespace: 'upf', replicas }) });
  new Rollout(fleet, 'Rollout').addWave('canary', { clusters: [canary] });
  return repo.synthTree().tree;
}

function setup() {
  const root = tempDir('nephoran-held-');
  const remote = createBareRemote(root);
  const url = `file://${remote}`;
  return { root, remote, url, options: { remote, cwd: root, author: ALICE, committer: ALICE } };
}

test('library: publish ships the canary, promote without verification is recorded, rollbackWave restores one wave; proposal mode is refused', async () => {
  const { remote, url, options } = setup();
  await publish(program(url, 1), options);
  const c1 = git(remote, 'rev-parse', 'main');
  const result = await publish(program(url, 2), options) as WavePublishResult;
  expect(result.rollout).toEqual({ changeId: expect.stringMatching(/^I[0-9a-f]{40}$/), wave: { name: 'canary', number: 1, count: 2 }, pending: ['remaining'], clusters: ['edge-01'] });
  await expect(publish(program(url, 3), { ...options, mode: 'proposal' })).rejects.toThrow(/a fleet with rollout waves publishes in direct or pull-request mode/);

  const refused = promote(program(url, 2), { ...options, reader: async () => [] });
  await expect(refused).rejects.toThrow(/edge-01: no status was read/);
  const promoted = await promote(program(url, 2), { ...options, reader: async () => { throw new Error('not called'); }, skipVerification: true });
  expect(promoted.gate).toEqual({ clusters: [], skipped: true });
  expect(git(remote, 'log', '-1', '--format=%B', 'main')).toContain('Nephoran-Wave: remaining (2/2)\nNephoran-Verification: skipped');

  await expect(rollbackWave({ ...options, wave: 'nowhere' })).rejects.toThrow('no wave "nowhere" in the rollout plan; waves: canary, remaining');
  await rollbackWave({ ...options, wave: 'canary' });
  expect(git(remote, 'diff', '--name-only', c1, 'main', '--', 'deployments/production/edge-01/')).toBe('');
  expect(git(remote, 'diff', '--name-only', c1, 'main', '--', 'deployments/production/edge-02/')).not.toBe('');
  await expect(rollbackWave({ ...options, wave: 'canary' })).rejects.toBeInstanceOf(GitOpsError);
});

test('kpt pkg update of a held variant to the new revision brings exactly the blueprint change', async () => {
  if (!onPath('kpt')) {
    console.warn('kpt is not on PATH: the kpt pkg update check of a held variant is skipped');
    return;
  }
  const { root, remote, url, options } = setup();
  await publish(program(url, 1), options);
  await publish(program(url, 2), options);
  const held = 'deployments/production/edge-02/upf';
  const lock = parse(showFile(remote, 'main', `${held}/Kptfile`)!).upstreamLock.git;
  expect(lock.ref).toBe('packages/network-functions/upf/v1');
  expect(lock.commit).toBe(git(remote, 'rev-parse', 'packages/network-functions/upf/v1^{commit}'));
  const before = parse(showFile(remote, 'main', `${held}/deployment_upf.yaml`)!);
  expect(before.spec.replicas).toBe(1);

  const work = path.join(root, 'work');
  git(root, 'clone', '--quiet', remote, work);
  git(work, 'config', 'user.email', 'alice@example.com');
  git(work, 'config', 'user.name', 'Alice Author');
  execFileSync('kpt', ['pkg', 'update', `${held}@packages/network-functions/upf/v2`], { cwd: work, stdio: 'pipe' });
  const after = parse(fs.readFileSync(path.join(work, held, 'deployment_upf.yaml'), 'utf8'));
  expect(after.spec.replicas).toBe(2);
  // Everything else of the variant (its cluster label, namespace) is as it was.
  expect(after.metadata.labels).toEqual(before.metadata.labels);
  expect(after.metadata.namespace).toBe(before.metadata.namespace);
  const updated = parse(fs.readFileSync(path.join(work, held, 'Kptfile'), 'utf8')).upstreamLock.git;
  expect(updated.commit).toBe(git(remote, 'rev-parse', 'packages/network-functions/upf/v2^{commit}'));
});
