import { ALICE, BOB, fleetTree } from './fixtures';
import { mergeReview, parseCommitMessage, publish, approveReview, ReviewGateError } from '../../src/gitops';
import { commitAsPerson, createBareRemote, git, removeTempDirs, showFile, tempDir } from '../support/git';

// Porch's git conventions (nephio-project/porch pkg/externalrepo/git): proposals are
// proposed/<package>/<workspace> branches; approval is an `Approve <path>/<N>` commit on main
// ending with a kpt:{...} line, pushed atomically with the <path>/v<N> tag. Real bare remotes.

afterAll(removeTempDirs);

const AMF = 'deployments/production/edge01/amf';
const SMF = 'deployments/development/dev01/smf';

test('proposal mode pushes one proposed/ branch per changed package; approval writes the Approve commit and tag', async () => {
  const root = tempDir();
  const remote = createBareRemote(root);
  const options = { remote, cwd: root, author: ALICE, committer: ALICE };
  const initial = await publish(fleetTree(), options);

  const proposed = await publish(fleetTree({ productionReplicas: 3, withSmf: true }), { ...options, mode: 'proposal', workspaceName: 'scale-up' });
  expect(proposed.proposals!.map(p => p.branch)).toEqual([`proposed/${SMF}/scale-up`, `proposed/${AMF}/scale-up`]);
  expect(git(remote, 'rev-parse', 'main')).toBe(initial.commit);
  const amfBranch = `proposed/${AMF}/scale-up`;
  expect(git(remote, 'log', '-1', '--format=%P', amfBranch)).toBe(initial.commit);
  const proposalMessage = git(remote, 'log', '-1', '--format=%B', amfBranch);
  expect(proposalMessage.split('\n').pop()).toBe(`kpt:{"package":"${AMF}","workspaceName":"scale-up"}`);
  // Each branch holds only its own package's change.
  expect(showFile(remote, amfBranch, `${AMF}/deployment-amf.yaml`)).toContain('replicas: 3');
  expect(showFile(remote, amfBranch, `${SMF}/Kptfile`)).toBeUndefined();
  expect(showFile(remote, `proposed/${SMF}/scale-up`, `${SMF}/Kptfile`)).toBeDefined();

  const approved = await mergeReview(amfBranch, { remote, cwd: root, committer: BOB });
  expect(approved.revision).toBe(1);
  expect(approved.tag).toBe(`${AMF}/v1`);
  expect(git(remote, 'rev-parse', 'main')).toBe(approved.commit);
  expect(git(remote, 'rev-parse', `refs/tags/${AMF}/v1`)).toBe(approved.commit);
  expect(git(remote, 'branch', '--list', amfBranch)).toBe('');
  const message = git(remote, 'log', '-1', '--format=%B', 'main');
  expect(message.split('\n')[0]).toBe(`Approve ${AMF}/1`);
  expect(message.split('\n').pop()).toBe(`kpt:{"package":"${AMF}","workspaceName":"scale-up","revision":"1"}`);
  expect(parseCommitMessage(message).kpt).toEqual({ package: AMF, workspaceName: 'scale-up', revision: '1' });
  expect(git(remote, 'log', '-1', '--format=%P', 'main')).toBe(`${initial.commit} ${proposed.proposals![1].commit}`);
  expect(showFile(remote, 'main', `${AMF}/deployment-amf.yaml`)).toContain('replicas: 3');
  expect(showFile(remote, 'main', `${SMF}/Kptfile`)).toBeUndefined();

  // The other proposal lands on the moved main; its package's paths join the ownership manifest.
  const smf = await mergeReview(`proposed/${SMF}/scale-up`, { remote, cwd: root, committer: BOB });
  expect(smf.tag).toBe(`${SMF}/v1`);
  expect(showFile(remote, 'main', '.nephoran/owned-paths')).toContain(`${SMF}/deployment-smf.yaml`);
  expect(showFile(remote, 'main', `${AMF}/deployment-amf.yaml`)).toContain('replicas: 3');

  // The next revision of a package is numbered after its highest tag.
  await publish(fleetTree({ productionReplicas: 4, withSmf: true }), { ...options, mode: 'proposal', workspaceName: 'again' });
  const second = await mergeReview(`proposed/${AMF}/again`, { remote, cwd: root, committer: BOB });
  expect(second.tag).toBe(`${AMF}/v2`);
  expect(git(remote, 'tag', '--list', `${AMF}/*`).split('\n')).toEqual([`${AMF}/v1`, `${AMF}/v2`]);
});

test('proposal mode refuses changes outside packages and package paths Porch cannot use; approval goes through the gate', async () => {
  const root = tempDir();
  const remote = createBareRemote(root);
  const options = { remote, cwd: root, author: ALICE };
  await publish(fleetTree(), options);
  const outside = fleetTree();
  outside.setFile('clusters/edge01/rootsync.yaml', 'kind: RootSync\nmetadata: {name: changed}\n');
  await expect(publish(outside, { ...options, mode: 'proposal' })).rejects.toThrow(/outside any package.*clusters\/edge01\/rootsync\.yaml.*--mode pull-request/);

  const badName = fleetTree();
  badName.addFile('packages/Network_Functions/upf/Kptfile', 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata: {name: upf}\n');
  await expect(publish(badName, { ...options, mode: 'proposal' })).rejects.toThrow(/package path "packages\/Network_Functions\/upf" is not usable by Porch/);

  commitAsPerson(remote, 'main', { '.nephoran/review-policy.yaml': 'environments:\n  production: { approvals: 1 }\n' }, 'Policy');
  const proposed = await publish(fleetTree({ productionReplicas: 8 }), { ...options, mode: 'proposal', workspaceName: 'p1' });
  const branch = proposed.proposals![0].branch;
  await expect(mergeReview(branch, { remote, cwd: root, committer: BOB })).rejects.toThrow(ReviewGateError);
  await approveReview(branch, { remote, cwd: root, reviewer: BOB });
  const approved = await mergeReview(branch, { remote, cwd: root, committer: BOB });
  expect(parseCommitMessage(git(remote, 'log', '-1', '--format=%B', 'main')).trailers.get('Approved-by')).toEqual(['Bob Reviewer <bob@example.com>']);
  expect(approved.tag).toBe(`${AMF}/v1`);
});
