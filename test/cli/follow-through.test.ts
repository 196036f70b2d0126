import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { splitCommandLine } from '../../src/gitops/hints';
import { commitAsPerson, createBareRemote, git, removeTempDirs, showFile, tempDir } from '../support/git';
import { startGitDaemon } from '../support/git-daemon';

// Every command the CLI suggests works when followed: the test reads the printed command line,
// splits it as a shell would, and runs it (bin/nephoran, the compiled lib/: run
// `npx projen compile` first). Remotes are real bare repositories, over a path or git://.

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'nephoran');

afterAll(removeTempDirs);

const APP = `
const fs = require('fs');
const path = require('path');
const out = process.env.CDK8S_OUTDIR;
const replicas = process.env.REPLICAS || '2';
const files = {
  'deployments/production/edge01/amf/Kptfile': 'apiVersion: kpt.dev/v1\\nkind: Kptfile\\nmetadata:\\n  name: amf\\n',
  'deployments/production/edge01/amf/deployment-amf.yaml': 'apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: amf\\n  namespace: amf\\nspec:\\n  replicas: ' + replicas + '\\n',
  'deployments/development/dev01/amf/Kptfile': 'apiVersion: kpt.dev/v1\\nkind: Kptfile\\nmetadata:\\n  name: amf\\n',
  'deployments/development/dev01/amf/deployment-amf.yaml': 'apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: amf\\n  namespace: amf\\nspec:\\n  replicas: ' + replicas + '\\n',
  'clusters/edge01/rootsync.yaml': 'apiVersion: configsync.gke.io/v1beta1\\nkind: RootSync\\nmetadata:\\n  name: root-sync\\n  namespace: config-management-system\\n',
};
for (const [file, content] of Object.entries(files)) {
  fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
  fs.writeFileSync(path.join(out, file), content);
}
fs.mkdirSync(path.join(out, '.nephoran'), { recursive: true });
fs.writeFileSync(path.join(out, '.nephoran/owned-paths'), '# generated\\n' + Object.keys(files).sort().join('\\n') + '\\n');
`;

const ALICE = { GIT_AUTHOR_NAME: 'Alice Author', GIT_AUTHOR_EMAIL: 'alice@example.com', GIT_COMMITTER_NAME: 'Alice Author', GIT_COMMITTER_EMAIL: 'alice@example.com' };
const BOB = { GIT_AUTHOR_NAME: 'Bob Reviewer', GIT_AUTHOR_EMAIL: 'bob@example.com', GIT_COMMITTER_NAME: 'Bob Reviewer', GIT_COMMITTER_EMAIL: 'bob@example.com' };

function project(): string {
  const dir = tempDir('nephoran-follow-');
  fs.writeFileSync(path.join(dir, 'app.js'), APP);
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'app: node app.js\n');
  return dir;
}

function run(cwd: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...ALICE, ...env } });
  expect(result.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The suggested `nephoran ...` command lines of an output, in order. */
function suggested(output: string, verb: string): string[][] {
  return output.split('\n').map(l => l.trim()).filter(l => l.startsWith(`nephoran ${verb}`)).map(splitCommandLine);
}

/** Runs a suggested command exactly as printed (its first word is `nephoran`). */
function follow(cwd: string, words: string[], env: Record<string, string> = {}) {
  expect(words[0]).toBe('nephoran');
  return run(cwd, words.slice(1), env);
}

beforeAll(() => {
  if (!fs.existsSync(path.resolve(__dirname, '..', '..', 'lib', 'gitops', 'hints.js'))) throw new Error('lib/ is not compiled: run npx projen compile first');
});

test('after publish --remote, the approve and merge hints act on that remote, never on an embedded default', () => {
  const dir = project();
  const remote = createBareRemote(tempDir('nephoran-follow-remote-'), 'fleet repo.git');
  expect(run(dir, ['publish', '--remote', remote]).code).toBe(0);
  commitAsPerson(remote, 'main', { '.nephoran/review-policy': 'environments:\n  production: { approvals: 1 }\n' }, 'Review policy');

  // The gate refuses the direct publish and prints the publish that goes through review.
  const refused = run(dir, ['publish', '--remote', remote, '--message', 'Scale edge01'], { REPLICAS: '3' });
  expect(refused.code).toBe(1);
  const [throughReview] = suggested(refused.stderr, 'publish');
  expect(throughReview).toEqual(['nephoran', 'publish', '--message', 'Scale edge01', '--mode', 'pull-request', '--remote', remote]);
  const opened = follow(dir, throughReview, { REPLICAS: '3' });
  expect(opened.code).toBe(0);
  const [approve] = suggested(opened.stdout, 'review approve');
  const [merge] = suggested(opened.stdout, 'review merge');
  // The path holds a space: the printed line quotes it, and the split gives it back whole.
  expect(approve).toEqual(['nephoran', 'review', 'approve', expect.stringMatching(/^nephoran\/change-[0-9a-f]{12}$/), '--remote', remote]);

  // The author's own approval is recorded but does not count, and is not listed as an approval.
  const own = follow(dir, approve);
  expect(own.code).toBe(0);
  expect(own.stdout).not.toContain('approved by Alice');
  expect(own.stdout).toContain('not counted: Alice Author <alice@example.com>');
  expect(own.stdout).toMatch(/production needs 1 approval of commit [0-9a-f]{12} by people other than the author \(alice@example.com\); none yet/);

  const approved = follow(dir, approve, BOB);
  expect(approved.code).toBe(0);
  expect(approved.stdout).toContain('approved by Bob Reviewer <bob@example.com>');
  expect(approved.stdout).toContain('ready to merge');
  expect(suggested(approved.stdout, 'review merge')).toEqual([merge]);
  const merged = follow(dir, merge, BOB);
  expect(merged.code).toBe(0);
  expect(merged.stdout).toMatch(/approved by Bob Reviewer <bob@example.com>\.$/m);
  expect(showFile(remote, 'main', 'deployments/production/edge01/amf/deployment-amf.yaml')).toContain('replicas: 3');
  expect(git(remote, 'log', '-1', '--format=%(trailers:key=Approved-by,valueonly)', 'main')).toBe('Bob Reviewer <bob@example.com>');
  // A review command without the remote says so instead of creating an empty embedded remote.
  const bare = run(dir, ['review', 'status', approve[3]]);
  expect(bare.code).toBe(1);
  expect(bare.stderr).toMatch(/^nephoran: nothing was published to the embedded remote \.nephoran\/remote\.git of this folder: name the repository as publish did, with --remote <url>/);
  expect(fs.existsSync(path.join(dir, '.nephoran', 'remote.git'))).toBe(false);
});

test('rollback refused by the gate names --mode pull-request and --emergency as complete commands; both work; the pending review is then superseded', () => {
  const dir = project();
  const remote = createBareRemote(tempDir('nephoran-follow-remote-'));
  expect(run(dir, ['publish', '--remote', remote, '--message', 'v1']).code).toBe(0);
  const v1 = git(remote, 'rev-parse', 'main');
  expect(run(dir, ['publish', '--remote', remote, '--message', 'v2'], { REPLICAS: '4' }).code).toBe(0);
  commitAsPerson(remote, 'main', { '.nephoran/review-policy': 'environments:\n  production: { approvals: 1 }\n' }, 'Review policy');

  const refused = run(dir, ['rollback', '--remote', remote, '--to', v1]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).not.toContain('proposal');
  const [throughReview, emergency] = suggested(refused.stderr, 'rollback');
  expect(throughReview).toEqual(['nephoran', 'rollback', '--to', v1, '--mode', 'pull-request', '--remote', remote]);
  expect(emergency).toEqual(['nephoran', 'rollback', '--to', v1, '--emergency', '--remote', remote]);

  const review = follow(dir, throughReview);
  expect(review.code).toBe(0);
  const [approve] = suggested(review.stdout, 'review approve');
  expect(approve[3]).toBe(`nephoran/rollback-${v1.slice(0, 12)}`);
  const pushed = follow(dir, emergency);
  expect(pushed.code).toBe(0);
  expect(showFile(remote, 'main', 'deployments/production/edge01/amf/deployment-amf.yaml')).toContain('replicas: 2');

  const status = run(dir, ['review', 'status', approve[3], '--remote', remote]);
  expect(status.code).toBe(1);
  expect(status.stdout).toMatch(/superseded: nephoran\/rollback-[0-9a-f]{12} is superseded: main already holds every file it changes/);
  const listed = JSON.parse(run(dir, ['review', 'list', '--remote', remote, '--json']).stdout);
  expect(listed).toEqual([expect.objectContaining({ reviewBranch: approve[3], superseded: expect.objectContaining({ by: git(remote, 'rev-parse', 'main') }) })]);
  const late = follow(dir, approve, BOB);
  expect(late.code).toBe(1);
  expect(late.stderr).toMatch(/^nephoran: not approved: .* is superseded/);
});

test('--json prints one JSON document on stdout for every command that prints a result', () => {
  const dir = project();
  const remote = createBareRemote(tempDir('nephoran-follow-remote-'));
  const json = (args: string[], env: Record<string, string> = {}) => {
    const r = run(dir, [...args, '--json'], env);
    return { ...r, value: JSON.parse(r.stdout) };
  };
  const published = json(['publish', '--remote', remote]);
  expect(published.code).toBe(0);
  expect(published.value).toMatchObject({ changed: true, mode: 'direct', branch: 'main', commit: git(remote, 'rev-parse', 'main') });
  const diff = json(['diff', '--remote', remote], { REPLICAS: '3' });
  expect(diff.code).toBe(1);
  expect(diff.value).toMatchObject({ different: true, branch: 'main' });
  const review = json(['publish', '--remote', remote, '--mode', 'pull-request'], { REPLICAS: '3' });
  expect(review.value.next).toEqual([
    `nephoran review approve ${review.value.reviewBranch} --remote ${remote}`,
    `nephoran review merge ${review.value.reviewBranch} --remote ${remote}`,
  ]);
  expect(json(['review', 'list', '--remote', remote]).value).toEqual([expect.objectContaining({ reviewBranch: review.value.reviewBranch, head: review.value.commit })]);
  const status = json(['review', 'status', review.value.reviewBranch, '--remote', remote]);
  expect(status.value).toMatchObject({ reviewBranch: review.value.reviewBranch, gate: { met: true, approvals: [], notCounted: [] } });
  expect(json(['review', 'approve', review.value.reviewBranch, '--remote', remote], BOB).value).toMatchObject({ recorded: true });
  expect(json(['review', 'merge', review.value.reviewBranch, '--remote', remote]).value).toMatchObject({ target: 'main', approvals: [expect.objectContaining({ reviewer: 'bob@example.com' })] });
  const entries = json(['history', '--remote', remote, '--cluster', 'dev01']).value;
  expect(entries.length).toBeGreaterThan(0);
  for (const e of entries) expect(e.locations.every((l: { cluster: string }) => l.cluster === 'dev01')).toBe(true);
  const rolled = json(['rollback', '--remote', remote, '--to', entries[entries.length - 1].commit]);
  expect(rolled.value).toMatchObject({ changed: true, mode: 'direct' });
});

test('history --cluster prints only that cluster\'s locations of each commit', () => {
  const dir = project();
  const remote = createBareRemote(tempDir('nephoran-follow-remote-'));
  expect(run(dir, ['publish', '--remote', remote]).code).toBe(0);
  const all = run(dir, ['history', '--remote', remote]).stdout;
  expect(all).toContain('cluster dev01');
  expect(all).toContain('cluster edge01');
  const edge = run(dir, ['history', '--remote', remote, '--cluster', 'edge01']).stdout;
  expect(edge).toContain('cluster edge01');
  expect(edge).not.toContain('cluster dev01');
  // A set's options on a one-repository app are refused, never silently replaced by the embedded remote.
  const diff = run(dir, ['diff', '--remotes-dir', 'remotes']);
  expect([diff.code, diff.stderr]).toEqual([1, expect.stringMatching(/^nephoran: --remote-template and --remotes-dir are for apps that synthesize several repositories; this one synthesizes one: use --remote/)]);
});

test('the embedded remote and a repository nephoran created point HEAD at the published branch: a clone checks it out without a warning', () => {
  const dir = project();
  expect(run(dir, ['publish', '--branch', 'production']).code).toBe(0);
  const embedded = path.join(dir, '.nephoran', 'remote.git');
  expect(git(embedded, 'symbolic-ref', 'HEAD')).toBe('refs/heads/production');
  const clones = tempDir('nephoran-clone-');
  const cloned = spawnSync('git', ['clone', embedded, path.join(clones, 'a')], { encoding: 'utf8' });
  expect(cloned.status).toBe(0);
  expect(cloned.stderr).not.toContain('remote HEAD refers to nonexistent ref');
  expect(fs.existsSync(path.join(clones, 'a', 'clusters', 'edge01', 'rootsync.yaml'))).toBe(true);

  // Created earlier for main, then published to another branch: HEAD follows it once it exists.
  const other = project();
  expect(run(other, ['publish', '--branch', 'main', '--mode', 'pull-request']).code).toBe(0);
  expect(git(path.join(other, '.nephoran', 'remote.git'), 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
  expect(run(other, ['publish', '--branch', 'staging']).code).toBe(0);
  expect(git(path.join(other, '.nephoran', 'remote.git'), 'symbolic-ref', 'HEAD')).toBe('refs/heads/staging');
});

test('a remote nephoran did not create keeps its HEAD; publish prints on stderr how to fix it, and following that fixes the clone', async () => {
  const dir = project();
  const base = tempDir('nephoran-follow-remote-');
  const remote = createBareRemote(base, 'fleet.git');
  const published = run(dir, ['publish', '--remote', remote, '--branch', 'production', '--json']);
  expect(published.code).toBe(0);
  expect(JSON.parse(published.stdout).hints).toEqual([expect.stringContaining('names refs/heads/main, which does not exist')]);
  expect(git(remote, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
  const hint = published.stderr.split('\n').find(l => l.startsWith('nephoran: hint: '))!;
  expect(hint).toContain('git clone warns "remote HEAD refers to nonexistent ref"');
  const fix = splitCommandLine(hint.slice(hint.indexOf('git --git-dir=')));
  expect(fix).toEqual(['git', `--git-dir=${remote}`, 'symbolic-ref', 'HEAD', 'refs/heads/production']);
  expect(spawnSync(fix[0], fix.slice(1)).status).toBe(0);
  const clones = tempDir('nephoran-clone-');
  const cloned = spawnSync('git', ['clone', remote, path.join(clones, 'b')], { encoding: 'utf8' });
  expect(cloned.stderr).not.toContain('remote HEAD refers to nonexistent ref');
  expect(fs.existsSync(path.join(clones, 'b', 'clusters', 'edge01', 'rootsync.yaml'))).toBe(true);
  // Once HEAD is right, no hint.
  expect(run(dir, ['publish', '--remote', remote, '--branch', 'production'], { REPLICAS: '5' }).stderr).toBe('');

  // Over the network: the server does not advertise a HEAD that names no branch.
  const daemon = await startGitDaemon(base);
  try {
    createBareRemote(base, 'served.git');
    const served = run(dir, ['publish', '--remote', daemon.url('served.git'), '--branch', 'production']);
    expect(served.code).toBe(0);
    expect(served.stderr).toMatch(/^nephoran: hint: the remote's HEAD names no existing branch: .* symbolic-ref HEAD refs\/heads\/production; on a forge, make production the default branch/m);
  } finally {
    await daemon.stop();
  }
});

test('history, rollback and review take --remotes-dir/--repository like publish; the hints after a publish of several repositories carry them', () => {
  const dir = tempDir('nephoran-follow-multi-');
  fs.writeFileSync(path.join(dir, 'app.js'), `
const fs = require('fs');
const path = require('path');
const out = process.env.CDK8S_OUTDIR;
const replicas = process.env.REPLICAS || '1';
const repositories = {
  mgmt: { 'clusters/edge-01/rootsync_edge-01.yaml': 'apiVersion: configsync.gke.io/v1beta1\\nkind: RootSync\\nmetadata:\\n  name: edge-01\\n  namespace: config-management-system\\n' },
  'edge-01': { 'upf/deployment_upf.yaml': 'apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: upf\\n  namespace: upf\\nspec:\\n  replicas: ' + replicas + '\\n' },
};
for (const [name, files] of Object.entries(repositories)) {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(out, name, file)), { recursive: true });
    fs.writeFileSync(path.join(out, name, file), content);
  }
  fs.mkdirSync(path.join(out, name, '.nephoran'), { recursive: true });
  fs.writeFileSync(path.join(out, name, '.nephoran/owned-paths'), '# generated\\n' + Object.keys(files).sort().join('\\n') + '\\n');
}
fs.mkdirSync(path.join(out, '.nephoran'), { recursive: true });
fs.writeFileSync(path.join(out, '.nephoran/repositories'), '# repositories\\n' + Object.keys(repositories).join('\\n') + '\\n');
`);
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'app: node app.js\n');
  expect(run(dir, ['publish', '--remotes-dir', 'remotes']).code).toBe(0);
  const v1 = git(path.join(dir, 'remotes', 'edge-01.git'), 'rev-parse', 'main');
  const opened = run(dir, ['publish', '--remotes-dir', 'remotes', '--mode', 'pull-request'], { REPLICAS: '2' });
  expect(opened.code).toBe(0);
  const approvals = suggested(opened.stdout.split('\n').map(l => l.replace(/^.*next: /, '')).join('\n'), 'review approve');
  expect(approvals).toEqual([['nephoran', 'review', 'approve', expect.stringMatching(/^nephoran\/change-/), '--remotes-dir', 'remotes', '--repository', 'edge-01']]);
  expect(follow(dir, approvals[0], BOB).code).toBe(0);
  const merges = suggested(opened.stdout.split('\n').map(l => l.replace(/^.*next: /, '')).join('\n'), 'review merge');
  expect(follow(dir, merges[0]).code).toBe(0);
  expect(showFile(path.join(dir, 'remotes', 'edge-01.git'), 'main', 'upf/deployment_upf.yaml')).toContain('replicas: 2');

  const entries = JSON.parse(run(dir, ['history', '--remotes-dir', 'remotes', '--repository', 'edge-01', '--json']).stdout);
  expect(entries[0].kind).toBe('merge');
  expect(run(dir, ['history', '--remotes-dir', 'remotes']).stderr).toMatch(/remotes holds 2 repositories \(edge-01, mgmt\): pick one with --repository <name>/);
  expect(run(dir, ['history', '--remotes-dir', 'remotes', '--repository', 'nope']).stderr).toMatch(/no repository "nope" in remotes .*it holds edge-01, mgmt/);
  const rolled = run(dir, ['rollback', '--remotes-dir', 'remotes', '--repository', 'edge-01', '--to', v1]);
  expect(rolled.code).toBe(0);
  expect(showFile(path.join(dir, 'remotes', 'edge-01.git'), 'main', 'upf/deployment_upf.yaml')).toContain('replicas: 1');
  expect(run(dir, ['review', 'list', '--remotes-dir', 'remotes', '--repository', 'mgmt']).stdout).toBe('No open reviews.\n');

  // The same repositories named by a template: the hints carry the template, quoted.
  const template = path.join(dir, 'remotes', '{repository}.git');
  const viaTemplate = run(dir, ['publish', '--remote-template', template, '--mode', 'pull-request'], { REPLICAS: '3' });
  expect(viaTemplate.code).toBe(0);
  const lines = viaTemplate.stdout.split('\n').map(l => l.replace(/^.*next: /, '')).join('\n');
  expect(viaTemplate.stdout).toContain(`--remote-template '${template}' --repository edge-01`);
  const [approveT] = suggested(lines, 'review approve');
  expect(approveT.slice(4)).toEqual(['--remote-template', template, '--repository', 'edge-01']);
  expect(follow(dir, approveT, BOB).code).toBe(0);
  expect(follow(dir, suggested(lines, 'review merge')[0]).code).toBe(0);
  expect(showFile(path.join(dir, 'remotes', 'edge-01.git'), 'main', 'upf/deployment_upf.yaml')).toContain('replicas: 3');
  expect(fs.existsSync(path.join(dir, '.nephoran', 'remote.git'))).toBe(false);
});
