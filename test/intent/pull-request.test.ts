import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { startFakeForge } from '../support/forge-server';
import { createBareRemote, git, removeTempDirs, showFile, tempDir } from '../support/git';
import { startGitDaemon } from '../support/git-daemon';
import { PROJECT_ROOT } from '../support/tmp';

// The example fleet's intent files published to a real bare repository served by `git daemon`,
// with pull requests opened on the local GitHub API stand-in (test/support/forge-server.ts). Three
// runs of the command: its own timeout.

const BIN = path.join(PROJECT_ROOT, 'bin/nephoran');

afterAll(removeTempDirs);

test('an edit to an intent file (scale one UPF) published with --mode pull-request opens a pull request with the per-cluster plan', async () => {
  const root = tempDir();
  const remote = createBareRemote(root, 'fleet.git');
  const daemon = await startGitDaemon(root);
  const forge = await startFakeForge('github', { repoDir: remote, owner: 'nephio', repo: 'fleet', users: { 'alice-token': 'alice' } });
  const apiHost = new URL(forge.apiUrl).host;
  const work = path.join(root, 'work');
  fs.cpSync(path.join(PROJECT_ROOT, 'clusters/intent'), path.join(work, 'intent'), { recursive: true });
  // Asynchronous: the forge stand-in answers from this process while the command runs.
  const run = (cwd: string, args: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(BIN, [...args, '--remote', daemon.url('fleet.git')], {
      cwd,
      env: { ...process.env, CDK8S_OUTDIR: '', GITHUB_TOKEN: 'alice-token', NEPHORAN_GITHUB_HOST: apiHost, NEPHORAN_GIT_ALLOW_HTTP: apiHost },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    child.on('error', reject);
    child.on('close', status => resolve({ status, stdout, stderr }));
  });
  const nephoran = (...args: string[]) => run(work, [...args, '--intent', 'intent']);
  try {
    const first = await nephoran('publish', '--message', 'Example fleet', '--author', 'Alice <alice@example.com>');
    expect(first.stderr).not.toMatch(/nephoran: (?!hint)/);
    expect(first.status).toBe(0);
    const upfFile = 'deployments/production/prod-edge-eu-01/upf-embb/nfdeployment_upf-embb.yaml';
    expect(parse(showFile(remote, 'main', upfFile)!).spec.capacity.maxDownlinkThroughput).toBe('10G');

    // The TypeScript program of the same fleet (the project's cdk8s.yaml app) sees nothing to change.
    const program = await run(PROJECT_ROOT, ['diff', '--cache', path.join(root, 'program-cache')]);
    expect([program.status, program.stderr.replace(/^warning: .*\n/gm, '')]).toEqual([0, '']);

    // Scale the eMBB UPF: the free5gc operator sizes its pods from the NFDeployment's capacity.
    const slices = path.join(work, 'intent/slices.yaml');
    const text = fs.readFileSync(slices, 'utf8');
    const scaled = text.replace('    maxUplinkThroughput: 5G\n    maxDownlinkThroughput: 10G\n', '    maxUplinkThroughput: 10G\n    maxDownlinkThroughput: 20G\n');
    expect(scaled).not.toBe(text);
    fs.writeFileSync(slices, scaled);

    const plan = await nephoran('diff');
    expect(plan.status).toBe(1);
    expect(plan.stdout).toContain('prod-edge-eu-01');

    const opened = await nephoran('publish', '--mode', 'pull-request', '--message', 'Scale the eMBB UPF', '--author', 'Alice <alice@example.com>', '--forge', 'github', '--forge-url', forge.apiUrl, '--forge-repo', 'nephio/fleet');
    expect(opened.stderr).not.toMatch(/nephoran: (?!hint)/);
    expect(opened.status).toBe(0);
    expect(forge.pulls).toHaveLength(1);
    const pull = forge.pulls[0];
    expect(pull).toMatchObject({ title: 'Scale the eMBB UPF', base: 'main', author: 'alice', state: 'open' });
    // One row per cluster the UPF runs on (the edge sites), each with its package and counts.
    for (const [environment, cluster] of [['development', 'dev-edge-eu'], ['staging', 'stg-edge-eu'], ['production', 'prod-edge-eu-01'], ['production', 'prod-edge-us-01']]) {
      expect(pull.body).toContain(`| cluster ${cluster} (${environment}) | \`deployments/${environment}/${cluster}/upf-embb\` |`);
    }
    expect(pull.body).not.toMatch(/regional/);
    expect(pull.body).toContain('`spec.capacity.maxDownlinkThroughput: "10G" → "20G"`');
    expect(pull.body).toContain('```mermaid\nflowchart LR');
    // main is unchanged until the pull request merges; its branch holds the change.
    expect(parse(showFile(remote, 'main', upfFile)!).spec.capacity.maxDownlinkThroughput).toBe('10G');
    expect(parse(showFile(remote, pull.head, upfFile)!).spec.capacity.maxDownlinkThroughput).toBe('20G');
    expect(git(remote, 'diff', '--name-only', 'main', pull.head).split('\n').filter(f => !f.startsWith('packages/')).every(f => f.includes('/upf-embb/') || f.startsWith('.nephoran/'))).toBe(true);
  } finally {
    await forge.stop();
    await daemon.stop();
  }
}, 180_000);
