import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { git, removeTempDirs, showFile, tempDir } from '../support/git';

// Runs bin/nephoran (the compiled lib/; compile first with `npx tsc -p tsconfig.json`) in a
// throw-away project whose app writes a small repository into CDK8S_OUTDIR. The remote is the
// embedded default (.nephoran/remote.git) or a bare repository over file://.

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
  'clusters/edge01/rootsync.yaml': 'apiVersion: configsync.gke.io/v1beta1\\nkind: RootSync\\nmetadata:\\n  name: root-sync\\n  namespace: config-management-system\\n',
};
for (const [file, content] of Object.entries(files)) {
  fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
  fs.writeFileSync(path.join(out, file), content);
}
fs.mkdirSync(path.join(out, '.nephoran'), { recursive: true });
fs.writeFileSync(path.join(out, '.nephoran/owned-paths'), '# generated\\n' + Object.keys(files).sort().join('\\n') + '\\n');
`;

function project(): string {
  const dir = tempDir('nephoran-cli-');
  fs.writeFileSync(path.join(dir, 'app.js'), APP);
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'app: node app.js\n');
  return dir;
}

function run(cwd: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'Alice Author', GIT_AUTHOR_EMAIL: 'alice@example.com', GIT_COMMITTER_NAME: 'Alice Author', GIT_COMMITTER_EMAIL: 'alice@example.com', ...env },
  });
  expect(result.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!fs.existsSync(path.resolve(__dirname, '..', '..', 'lib', 'cli', 'main.js'))) {
    throw new Error('lib/ is not compiled: run npx tsc -p tsconfig.json first');
  }
});

test('publish without --remote creates the embedded remote, prints the summary, and reports no change the second time', () => {
  const dir = project();
  const first = run(dir, ['publish']);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/^Published change I[0-9a-f]{40} to main as [0-9a-f]{12}\./);
  expect(first.stdout).toContain('cluster edge01 (production)\n  package deployments/production/edge01/amf: 2 added, 0 changed, 0 removed\n    + Kptfile amf\n    + Deployment amf/amf');
  const remote = path.join(dir, '.nephoran', 'remote.git');
  expect(git(remote, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
  expect(showFile(remote, 'main', 'clusters/edge01/rootsync.yaml')).toContain('RootSync');

  const second = run(dir, ['publish']);
  expect(second.code).toBe(0);
  expect(second.stdout).toMatch(/^No change: main already holds this tree/);
  expect(git(remote, 'rev-list', '--count', 'main')).toBe('1');
});

test('diff exits 1 with the changed fields when the tree differs, 0 when it does not; history and rollback', () => {
  const dir = project();
  expect(run(dir, ['publish', '--message', 'First']).code).toBe(0);
  expect(run(dir, ['diff']).stdout).toMatch(/^No difference/);
  expect(run(dir, ['diff']).code).toBe(0);
  const diff = run(dir, ['diff'], { REPLICAS: '3' });
  expect(diff.code).toBe(1);
  expect(diff.stdout).toContain('~ Deployment amf/amf\n        spec.replicas: 2 -> 3');
  const json = JSON.parse(run(dir, ['diff', '--json'], { REPLICAS: '3' }).stdout);
  expect(json.summary.objects).toEqual({ added: 0, changed: 1, removed: 0 });

  expect(run(dir, ['publish', '--message', 'Scale'], { REPLICAS: '3' }).code).toBe(0);
  const entries = JSON.parse(run(dir, ['history', '--json']).stdout);
  expect(entries.map((e: { subject: string }) => e.subject)).toEqual(['Scale', 'First']);
  expect(entries[0].changeId).toMatch(/^I[0-9a-f]{40}$/);
  expect(run(dir, ['history', '--cluster', 'edge01', '--limit', '1']).stdout).toMatch(/Alice Author <alice@example.com>  Scale\n    kind publish; change I/);

  const back = run(dir, ['rollback', '--to', 'main~1']);
  expect(back.code).toBe(0);
  expect(back.stdout).toMatch(/^Published change .* to main/);
  expect(showFile(path.join(dir, '.nephoran', 'remote.git'), 'main', 'deployments/production/edge01/amf/deployment-amf.yaml')).toContain('replicas: 2');
});

test('review through the command line: the gate refuses a direct push, approve and merge a pull request', () => {
  const dir = project();
  fs.writeFileSync(path.join(dir, 'policy.yaml'), 'environments:\n  production: { approvals: 1 }\n');
  expect(run(dir, ['publish']).code).toBe(0);
  const refused = run(dir, ['publish', '--policy', 'policy.yaml'], { REPLICAS: '5' });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/^nephoran: this change cannot go directly to main: production needs 1 approval\./);

  const opened = run(dir, ['publish', '--policy', 'policy.yaml', '--mode', 'pull-request', '--review-branch', 'nephoran/scale'], { REPLICAS: '5' });
  expect(opened.code).toBe(0);
  expect(opened.stdout).toContain('Pushed nephoran/scale for review into main.');
  expect(run(dir, ['review', 'list']).stdout).toMatch(/^nephoran\/scale  [0-9a-f]{12}  change I[0-9a-f]{40}\n$/);
  const waiting = run(dir, ['review', 'status', 'nephoran/scale', '--policy', 'policy.yaml']);
  expect(waiting.code).toBe(1);
  expect(waiting.stdout).toContain('production needs 1 approval of commit');
  expect(run(dir, ['review', 'merge', 'nephoran/scale', '--policy', 'policy.yaml']).stderr).toMatch(/the review gate is not met/);

  expect(run(dir, ['review', 'approve', 'nephoran/scale', '--reviewer', 'Bob Reviewer <bob@example.com>']).code).toBe(0);
  expect(run(dir, ['review', 'status', 'nephoran/scale', '--policy', 'policy.yaml']).code).toBe(0);
  const merged = run(dir, ['review', 'merge', 'nephoran/scale', '--policy', 'policy.yaml']);
  expect(merged.code).toBe(0);
  expect(merged.stdout).toMatch(/^Merged nephoran\/scale into main as [0-9a-f]{12}, approved by Bob Reviewer <bob@example.com>\./);
});

test('bad input gets a message, not a stack trace', () => {
  const dir = project();
  const token = 'tok_do_not_print_me';
  const withToken = run(dir, ['publish', '--remote', `https://deployer:${token}@git.example.com/fleet.git`]);
  expect(withToken.code).toBe(1);
  expect(withToken.stderr).toMatch(/^nephoran: --remote: .* carries a password/);
  expect(withToken.stderr + withToken.stdout).not.toContain(token);
  // A token in the query, at the CLI and in a remote template: refused before the app runs, never printed.
  for (const args of [['--remote', `https://git.example.com/fleet.git?access_token=${token}`], ['--remote-template', `https://git.example.com/{repository}.git?private_token=${token}`], ['--remote', 'https://git.example.com/fleet.git', '--forge', 'gitea', '--forge-url', `https://git.example.com/api/v1?token=${token}`]]) {
    const refused = run(dir, ['publish', ...args]);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/carries a credential in its query \((access_token|private_token|token)\)/)]);
    expect(refused.stderr + refused.stdout).not.toContain(token);
  }
  expect(run(dir, ['publish', '--mode', 'sideways']).stderr).toMatch(/Allowed choices are direct, pull-request, proposal/);
  // Nothing was published in this folder: commands that read the repository do not create an empty one.
  expect(run(dir, ['review', 'status', 'nope']).stderr).toMatch(/^nephoran: nothing was published to the embedded remote \.nephoran\/remote\.git of this folder/);
  expect(run(dir, ['rollback', '--to', 'v9']).stderr).toMatch(/^nephoran: nothing was published to the embedded remote/);
  expect(fs.existsSync(path.join(dir, '.nephoran', 'remote.git'))).toBe(false);
  expect(run(dir, ['publish']).code).toBe(0);
  expect(run(dir, ['review', 'status', 'nope']).stderr).toMatch(/^nephoran: no review branch "nope" on .*There are no open reviews\./);
  expect(run(dir, ['rollback', '--to', 'v9']).stderr).toMatch(/"v9" is not a commit, tag or branch/);
  expect(run(dir, ['publish', '--author', 'nobody']).stderr).toMatch(/"nobody" is not an identity: write it as "Name <email@example.com>"/);
  expect(run(dir, ['history', '--limit', 'x']).stderr).toMatch(/--limit must be a whole number/);
});
