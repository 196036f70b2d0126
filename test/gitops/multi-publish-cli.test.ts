import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { createBareRemote, git, listFiles, removeTempDirs, showFile, tempDir } from '../support/git';

// `nephoran publish` runs in a throw-away project whose app writes several repositories into
// CDK8S_OUTDIR the way GitOpsRepository.synth() does (<outdir>/<repository>/ plus the list of
// repositories); every remote is a real bare repository.

afterAll(removeTempDirs);

const APP = `
const fs = require('fs');
const path = require('path');
const out = process.env.CDK8S_OUTDIR;
const replicas = process.env.REPLICAS || '1';
const single = process.env.SINGLE === '1';
const repositories = {
  mgmt: { 'clusters/edge-01/rootsync_edge-01.yaml': 'apiVersion: configsync.gke.io/v1beta1\\nkind: RootSync\\nmetadata:\\n  name: edge-01\\n  namespace: config-management-system\\n' },
  'edge-01': { 'upf/deployment_upf.yaml': 'apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: upf\\n  namespace: upf\\nspec:\\n  replicas: ' + replicas + '\\n' },
  'edge-02': { 'upf/deployment_upf.yaml': 'apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: upf\\n  namespace: upf\\nspec:\\n  replicas: 1\\n' },
};
function write(dir, files) {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  fs.mkdirSync(path.join(dir, '.nephoran'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.nephoran/owned-paths'), '# generated\\n' + Object.keys(files).sort().join('\\n') + '\\n');
}
if (single) {
  write(out, repositories['edge-01']);
} else {
  for (const [name, files] of Object.entries(repositories)) write(path.join(out, name), files);
  fs.mkdirSync(path.join(out, '.nephoran'), { recursive: true });
  fs.writeFileSync(path.join(out, '.nephoran/repositories'), '# repositories\\n' + Object.keys(repositories).join('\\n') + '\\n');
}
`;

function project(): string {
  const dir = tempDir('nephoran-multi-cli-');
  fs.writeFileSync(path.join(dir, 'app.js'), APP);
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'app: node app.js\n');
  return dir;
}

const IDENTITY = { GIT_AUTHOR_NAME: 'Alice Author', GIT_AUTHOR_EMAIL: 'alice@example.com', GIT_COMMITTER_NAME: 'Alice Author', GIT_COMMITTER_EMAIL: 'alice@example.com' };

/** Runs the command in `cwd` with `env` added, capturing what it prints. */
async function run(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { cwd: process.cwd(), env: { ...process.env } };
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => { out.push(String(chunk)); return true; });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => { err.push(String(chunk)); return true; });
  try {
    process.chdir(cwd);
    Object.assign(process.env, IDENTITY, env);
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.chdir(saved.cwd);
    for (const key of Object.keys(process.env)) if (!(key in saved.env)) delete process.env[key];
    Object.assign(process.env, saved.env);
  }
}

test('without remotes, each repository goes to its own bare repository under .nephoran/remotes/, created on first run', async () => {
  const dir = project();
  const first = await run(dir, ['publish']);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  const lines = first.stdout.trim().split('\n');
  expect(lines[0]).toBe('Published 3 repositories: 3 landed, 0 unchanged, 0 failed.');
  for (const [i, name] of ['mgmt', 'edge-01', 'edge-02'].entries()) {
    const remote = path.join(dir, '.nephoran', 'remotes', `${name}.git`);
    expect(lines[i + 1]).toMatch(new RegExp(`^  ${name} +landed +${remote.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} main at [0-9a-f]{12} \\(change I[0-9a-f]{40}\\); files 1 added, 0 changed, 0 removed$`));
    expect(git(remote, 'rev-parse', '--is-bare-repository')).toBe('true');
  }
  expect(listFiles(path.join(dir, '.nephoran/remotes/edge-01.git'), 'main')).toEqual(['.nephoran/owned-paths', 'upf/deployment_upf.yaml']);
  expect(fs.existsSync(path.join(dir, '.nephoran/remote.git'))).toBe(false);

  const second = await run(dir, ['publish', '--json'], { REPLICAS: '2' });
  expect(second.code).toBe(0);
  const result = JSON.parse(second.stdout);
  expect(result.ok).toBe(true);
  expect(result.landed).toEqual(['edge-01']);
  expect(result.unchanged).toEqual(['mgmt', 'edge-02']);
  expect(showFile(path.join(dir, '.nephoran/remotes/edge-01.git'), 'main', 'upf/deployment_upf.yaml')).toContain('replicas: 2');
});

test('a remote template names every remote; one refusing remote makes the exit code 1 while the others land', async () => {
  const dir = project();
  const remotes = tempDir('nephoran-remotes-');
  for (const name of ['mgmt', 'edge-01', 'edge-02']) createBareRemote(remotes, `${name}.git`);
  fs.writeFileSync(path.join(remotes, 'edge-02.git', 'hooks', 'pre-receive'), '#!/bin/sh\ncat >/dev/null\necho "no pushes to edge-02 today" >&2\nexit 1\n', { mode: 0o755 });

  const result = await run(dir, ['publish', '--remote-template', `file://${remotes}/{repository}.git`, '--concurrency', '1', '--message', 'Roll out UPF']);
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^Published 2 of 3 repositories \(2 landed, 0 unchanged, 1 failed\); edge-02 failed and must be published again\.$/m);
  expect(result.stdout).toMatch(/^  edge-02 +FAILED +file:\/\/.*edge-02\.git: the remote refused the push.*no pushes to edge-02 today/m);
  expect(git(path.join(remotes, 'mgmt.git'), 'log', '-1', '--format=%s', 'main')).toBe('Roll out UPF');
  expect(git(path.join(remotes, 'edge-01.git'), 'log', '-1', '--format=%s', 'main')).toBe('Roll out UPF');
  expect(git(path.join(remotes, 'edge-02.git'), 'for-each-ref')).toBe('');
});

test('--remotes-dir takes a folder of bare repositories', async () => {
  const dir = project();
  const result = await run(dir, ['publish', '--remotes-dir', 'remotes']);
  expect(result.code).toBe(0);
  expect(listFiles(path.join(dir, 'remotes', 'mgmt.git'), 'main')).toContain('clusters/edge-01/rootsync_edge-01.yaml');
});

test('flags that name one repository are refused for several, and the other way round', async () => {
  const dir = project();
  const several = await run(dir, ['publish', '--remote', path.join(dir, 'x.git')]);
  expect(several.code).toBe(1);
  expect(several.stderr).toBe('nephoran: this app synthesizes 3 repositories (mgmt, edge-01, edge-02): give each its remote with --remote-template "https://git.example.com/nephio/{repository}.git" or --remotes-dir <folder of bare repositories>, not --remote\n');
  expect((await run(dir, ['publish', '--cache', 'c'])).stderr).toMatch(/each has its own cache folder/);
  expect((await run(dir, ['publish', '--concurrency', '0'])).stderr).toBe('nephoran: --concurrency must be a whole number of at least 1; got "0"\n');
  expect((await run(dir, ['publish', '--remote-template', 'file:///tmp/fleet.git'])).stderr).toMatch(/must hold "\{repository\}"/);
  expect((await run(dir, ['publish', '--remote-template', 'file:///tmp/{repository}.git', '--remotes-dir', 'r'])).stderr).toBe('nephoran: give --remote-template or --remotes-dir, not both\n');
  expect(fs.existsSync(path.join(dir, '.nephoran/remotes'))).toBe(false);

  const single = await run(dir, ['publish', '--remotes-dir', 'r'], { SINGLE: '1' });
  expect(single.code).toBe(1);
  expect(single.stderr).toBe('nephoran: --remote-template and --remotes-dir are for apps that synthesize several repositories; this one synthesizes one: use --remote\n');
});

test('an app that synthesizes one repository still publishes to the embedded .nephoran/remote.git', async () => {
  const dir = project();
  const result = await run(dir, ['publish'], { SINGLE: '1' });
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^Published change I[0-9a-f]{40} to main as [0-9a-f]{12}\./);
  expect(listFiles(path.join(dir, '.nephoran/remote.git'), 'main')).toEqual(['.nephoran/owned-paths', 'upf/deployment_upf.yaml']);
});
