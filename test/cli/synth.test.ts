import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { isAlive } from '../../src/repo/temp-folders';
import { PROJECT_ROOT, tmpDir } from '../support/tmp';

const BIN = path.join(PROJECT_ROOT, 'bin/nephoran');
const LIB = path.join(PROJECT_ROOT, 'lib/index.js');

/** A user program, in plain JavaScript against the compiled library. */
function writeApp(dir: string, body: string): string {
  const file = path.join(dir, 'app.js');
  fs.writeFileSync(file, `
    const { GitOpsRepository, KptPackage, KptFunction } = require(${JSON.stringify(LIB)});
    const { ApiObject } = require(${JSON.stringify(require.resolve('cdk8s'))});
    const app = new GitOpsRepository();
    ${body}
    app.synth();
  `);
  return file;
}

function run(command: string, args: string[], cwd: string) {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: '' } });
}

beforeAll(() => {
  if (!fs.existsSync(LIB)) throw new Error(`${LIB} is missing: compile first (npm test does)`);
});

describe('nephoran synth', () => {
  test('runs the app from cdk8s.yaml and writes the tree; a second run changes nothing; hand-written files stay', () => {
    const dir = tmpDir();
    writeApp(dir, `
      const pkg = new KptPackage(app, 'cm', { path: 'packages/config', mutators: [KptFunction.setNamespace('core')] });
      new ApiObject(pkg, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } });
    `);
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\napp: node app.js\n');

    const first = run(BIN, ['synth'], dir);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/dist: wrote 3 files/);
    expect(fs.readFileSync(path.join(dir, 'dist/packages/config/configmap_settings.yaml'), 'utf8')).toContain('namespace: core');

    fs.writeFileSync(path.join(dir, 'dist/README.md'), 'hand-written');
    const second = run(BIN, ['synth'], dir);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/dist: no change \(3 files\)/);
    expect(fs.readFileSync(path.join(dir, 'dist/README.md'), 'utf8')).toBe('hand-written');
  });

  test('bad input: every problem at once, exit 1, no stack trace, nothing written', () => {
    const dir = tmpDir();
    writeApp(dir, `
      new KptPackage(app, 'a', { path: '../escape' });
      new KptPackage(app, 'b', { path: 'packages/Upper' });
    `);
    const result = run(BIN, ['synth', '--app', 'node app.js', '--out', 'out'], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/synth failed with 2 problems/);
    expect(result.stderr).toMatch(/\[a\] path: .*stay inside the repository/);
    expect(result.stderr).toMatch(/\[b\] path: .*"Upper" is not a DNS-1123 label/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('without cdk8s.yaml or --app it says what to do', () => {
    const result = run(BIN, ['synth'], tmpDir());
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no app to run: pass --app "<command>" or create .*cdk8s.yaml/);
  });

  test('cdk8s synth works with the library too', () => {
    const dir = tmpDir();
    writeApp(dir, `
      const pkg = new KptPackage(app, 'cm', { path: 'packages/config' });
      new ApiObject(pkg, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
    `);
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\napp: node app.js\n');
    const cdk8s = path.join(PROJECT_ROOT, 'node_modules/.bin/cdk8s');
    const result = run(cdk8s, ['synth', '--output', 'cdk8s-out'], dir);
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'cdk8s-out/packages/config/Kptfile'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'cdk8s-out/packages/config/configmap_settings.yaml'))).toBe(true);
  });

  test('SIGTERM to nephoran stops the app (its whole process group), removes the temporary folder and exits 143', async () => {
    const dir = tmpDir();
    const tmp = tmpDir('nephoran-test-tmp-');
    const pids = path.join(dir, 'pids');
    const nephoran = spawn(BIN, ['synth', '--app', `sleep 1000 & echo $! > ${pids}; wait`], { cwd: dir, env: { ...process.env, TMPDIR: tmp } });
    let stderr = '';
    nephoran.stderr.on('data', chunk => { stderr += chunk; });
    const exited = new Promise<number | null>(resolve => nephoran.on('close', code => resolve(code)));
    await waitFor(() => fs.existsSync(pids) && fs.readFileSync(pids, 'utf8').trim() !== '');
    expect(fs.readdirSync(tmp).filter(n => n.startsWith(`nephoran-synth-${nephoran.pid}.`))).toHaveLength(1);
    const appPid = Number(fs.readFileSync(pids, 'utf8'));
    nephoran.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(stderr).toContain('nephoran: stopped by SIGTERM: the app was stopped too and nothing was written');
    await waitFor(() => !isAlive(appPid), 5_000);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('--app-timeout stops an app that hangs and says how to raise the limit', () => {
    const dir = tmpDir();
    const result = run(BIN, ['synth', '--app', 'sleep 1000', '--app-timeout', '1'], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/the app "sleep 1000" did not finish within 1 s and was stopped; nothing was written\. If it needs longer, raise the limit with --app-timeout <seconds>/);
    expect(run(BIN, ['synth', '--app', 'true', '--app-timeout', 'soon'], dir).stderr).toMatch(/--app-timeout.*expected a number of seconds/);
  });

  test('a temporary folder left by a killed run is removed by the next run', () => {
    const dir = tmpDir();
    const tmp = tmpDir('nephoran-test-tmp-');
    const dead = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' });
    const leftover = path.join(tmp, `nephoran-synth-${dead.stdout.trim()}.0-Ab12Cd`);
    fs.mkdirSync(path.join(leftover, 'packages'), { recursive: true });
    const result = spawnSync(BIN, ['synth', '--app', 'true'], { cwd: dir, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } });
    expect(result.stderr).toMatch(/wrote no repository/);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});

async function waitFor(check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise(r => setTimeout(r, 50));
  }
}
