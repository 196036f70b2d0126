import { ALICE, fleetTree } from './fixtures';
import { approveReview, createForge, ForgeError, history, mergeReview, parseCommitMessage, publish, repositoryFromRemote, ReviewGateError, reviewStatus } from '../../src/gitops';
import { startFakeForge } from '../support/forge-server';
import { commitAsPerson, createBareRemote, git, removeTempDirs, showFile, tempDir } from '../support/git';

// The GitHub and Gitea providers run against test/support/forge-server.ts: a local HTTP server
// on 127.0.0.1 that follows each forge's documented REST endpoints (GitHub REST API: pulls,
// reviews, merge; Gitea API v1: the same under /api/v1 with Gitea's field names), backed by a
// real bare repository. Git itself goes to that repository over file://.

afterAll(removeTempDirs);

const USERS = { 'alice-token': 'alice', 'bob-token': 'bob', 'carol-token': 'carol' };

describe.each(['github', 'gitea'] as const)('%s', kind => {
  test('pull request with summary and Mermaid diagram, approvals through the reviews API bound to the head, merge through the forge', async () => {
    const root = tempDir();
    const remote = createBareRemote(root);
    const forgeServer = await startFakeForge(kind, { repoDir: remote, owner: 'nephio', repo: 'fleet', users: USERS });
    const forgeAs = (token: string) => createForge({ kind, apiUrl: forgeServer.apiUrl, repository: 'nephio/fleet', token }, remote, { NEPHORAN_GIT_ALLOW_HTTP: new URL(forgeServer.apiUrl).host });
    try {
      const base = { remote, cwd: root, author: ALICE };
      await publish(fleetTree(), base);
      commitAsPerson(remote, 'main', { '.nephoran/review-policy.yaml': 'environments:\n  production: { approvals: 2 }\n' }, 'Policy');

      const opened = await publish(fleetTree({ productionReplicas: 3 }), { ...base, mode: 'pull-request', reviewBranch: 'nephoran/edge01', forge: forgeAs('alice-token'), message: 'Scale edge01' });
      expect(opened.pullRequest).toEqual({ number: 1, url: expect.stringMatching(/\/nephio\/fleet\/pull\/1$/) });
      const pull = forgeServer.pulls[0];
      expect(pull).toMatchObject({ title: 'Scale edge01', head: 'nephoran/edge01', base: 'main', author: 'alice' });
      expect(pull.body).toContain(`Change \`${opened.changeId}\``);
      expect(pull.body).toContain('| cluster edge01 (production) | `deployments/production/edge01/amf` | 0 | 1 | 0 |');
      expect(pull.body).toContain('```mermaid\nflowchart LR');
      expect(pull.body).toMatch(/p0\["amf<br\/>\+0 ~1 -0"\]:::changed/);
      expect(pull.body).toContain('`spec.replicas: 2 → 3`');
      expect(pull.body).toContain('Review gate: production needs 2 approvals (not the author).');

      const reviewAs = (token: string) => ({ remote, cwd: root, forge: forgeAs(token) });
      await expect(approveReview('nephoran/edge01', reviewAs('alice-token'))).rejects.toThrow(ForgeError);
      await expect(approveReview('nephoran/edge01', reviewAs('alice-token'))).rejects.toThrow(/422: .*own pull/);
      const bobApproved = await approveReview('nephoran/edge01', reviewAs('bob-token'));
      expect(forgeServer.reviews.get(1)).toEqual([expect.objectContaining({ user: 'bob', state: 'APPROVED', commit_id: opened.commit })]);
      expect(bobApproved.status.gate.missing).toEqual([expect.stringMatching(/^production needs 2 approvals .* by people other than the author \(alice\); only bob$/)]);
      await expect(mergeReview('nephoran/edge01', reviewAs('bob-token'))).rejects.toThrow(ReviewGateError);

      // A new push updates the pull request and voids bob's approval.
      const pushed = await publish(fleetTree({ productionReplicas: 4 }), { ...base, mode: 'pull-request', reviewBranch: 'nephoran/edge01', forge: forgeAs('alice-token'), message: 'Scale edge01' });
      expect(forgeServer.pulls).toHaveLength(1);
      expect(forgeServer.pulls[0].body).toContain('`spec.replicas: 2 → 4`');
      const voided = await reviewStatus('nephoran/edge01', reviewAs('alice-token'));
      expect(voided.head).toBe(pushed.commit);
      expect(voided.gate.approvals).toEqual([]);
      expect(voided.gate.stale.map(a => a.reviewer)).toEqual(['bob']);

      await approveReview('nephoran/edge01', reviewAs('bob-token'));
      await approveReview('nephoran/edge01', reviewAs('carol-token'));
      const merged = await mergeReview('nephoran/edge01', reviewAs('bob-token'));
      expect(forgeServer.requests).toContain(kind === 'github' ? 'PUT /repos/nephio/fleet/pulls/1/merge' : 'POST /api/v1/repos/nephio/fleet/pulls/1/merge');
      expect(forgeServer.pulls[0].merged).toBe(true);
      expect(git(remote, 'rev-parse', 'main')).toBe(merged.commit);
      expect(git(remote, 'log', '-1', '--format=%P', 'main').split(' ')[1]).toBe(pushed.commit);
      expect(showFile(remote, 'main', 'deployments/production/edge01/amf/deployment-amf.yaml')).toContain('replicas: 4');
      expect(git(remote, 'branch', '--list', 'nephoran/edge01')).toBe('');
      const message = parseCommitMessage(git(remote, 'log', '-1', '--format=%B', 'main'));
      expect(message.subject).toBe('Merge nephoran/edge01 into main: Scale edge01');
      expect(message.trailers.get('Approved-by')).toEqual(['bob', 'carol']);
      const [entry] = await history({ remote, cwd: root, limit: 1 });
      expect(entry).toMatchObject({ kind: 'merge', approvals: ['bob', 'carol'], changeId: pushed.changeId });
    } finally {
      await forgeServer.stop();
    }
  });
});

test('a forge without a token, or a remote it cannot read the repository from, is refused with what to set', () => {
  expect(() => createForge({ kind: 'gitea' }, 'https://gitea.example.com/nephio/fleet.git', {})).toThrow(/set GITEA_TOKEN/);
  expect(() => createForge({ kind: 'github', token: 't' }, '/srv/git', {})).toThrow(/--forge-repo/);
  const gitea = createForge({ kind: 'gitea', token: 't' }, 'https://gitea.example.com/nephio/fleet.git', {});
  expect(gitea.repository).toBe('nephio/fleet');
});

test('the forge repository is read from HTTPS and SSH remote URLs, never from local paths', () => {
  expect(repositoryFromRemote('https://github.com/nephio-project/catalog.git')).toBe('nephio-project/catalog');
  expect(repositoryFromRemote('git@github.com:nephio-project/catalog.git')).toBe('nephio-project/catalog');
  expect(repositoryFromRemote('ssh://git@gitea.local:2222/nephio/fleet')).toBe('nephio/fleet');
  expect(repositoryFromRemote('/srv/git/fleet.git')).toBeUndefined();
});
