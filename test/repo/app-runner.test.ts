import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppExceptionError, AppFailedError, loadAppRepoSet, loadAppSynthesis } from '../../src/repo/app-runner';
import { SynthError } from '../../src/repo/synth-error';
import { isAlive, makeTempFolder, removeStaleTempFolders } from '../../src/repo/temp-folders';
import { tmpDir } from '../support/tmp';

/** A shell app that writes `files` (path -> content) into CDK8S_OUTDIR and lists them as generated. */
function writingApp(dir: string, files: Record<string, string>, extra = ''): string {
  const script = path.join(dir, 'app.sh');
  const lines = ['set -e', 'cd "$CDK8S_OUTDIR"', 'mkdir -p .nephoran'];
  for (const [file, content] of Object.entries(files)) {
    lines.push(`mkdir -p "$(dirname '${file}')"`, `cat > '${file}' <<'END'\n${content}END`);
  }
  lines.push(extra, `printf '%s\\n' ${Object.keys(files).map(f => `'${f}'`).join(' ')} ${extra ? "'secret.yaml'" : ''} > .nephoran/owned-paths`);
  fs.writeFileSync(script, lines.join('\n') + '\n');
  return `sh ${script}`;
}

async function waitFor(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise(r => setTimeout(r, 50));
  }
}

/** The runner's temporary folders this process still has. */
function ourTempFolders(): string[] {
  return fs.readdirSync(os.tmpdir()).filter(name => name.startsWith(`nephoran-synth-${process.pid}.`));
}

let tmpRoot: string;
beforeEach(() => {
  tmpRoot = tmpDir('nephoran-test-tmp-');
});

describe("the app's output", () => {
  test('valid output is read back and the temporary folder is removed', async () => {
    const dir = tmpDir();
    const files = {
      'a/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Secret\n',
      // valid YAML the quick reader leaves to the yaml package
      'a/flow.yaml': 'metadata: {name: a}\ndata:\n  k: "\\e"\n  f: >\n    folded\n',
      'Kptfile': 'kind: Kptfile\n',
    };
    const set = await loadAppRepoSet({ cwd: dir, app: writingApp(dir, files) });
    expect(set.tree(set.primary).paths()).toEqual(['Kptfile', 'a/cm.yaml', 'a/flow.yaml']);
    expect(ourTempFolders()).toEqual([]);
  });

  test('a symlink to outside the folder and invalid YAML are refused together, naming each file', async () => {
    const dir = tmpDir();
    const outside = path.join(dir, 'outside.yaml');
    fs.writeFileSync(outside, 'password: hunter2\n');
    const app = writingApp(dir, {
      'ok.yaml': 'a: 1\n',
      'pkg/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: [1, 2\n',
      'pkg/Kptfile': 'a: b: c\n',
    }, `ln -s '${outside}' secret.yaml`);
    const error = await loadAppRepoSet({ cwd: dir, app }).then(() => undefined, (err: Error) => err);
    expect(error?.message).toMatch(/cannot be used \(3 problems\); nothing was written/);
    expect(error?.message).toContain(`secret.yaml: is a symlink to ${fs.realpathSync(outside)}, outside the app's output folder`);
    expect(error?.message).toMatch(/pkg\/bad\.yaml: invalid YAML at line 5, column \d+: /);
    expect(error?.message).toMatch(/pkg\/Kptfile: invalid YAML at line 1, column \d+: /);
    expect(error?.message).not.toContain('hunter2');
    expect(ourTempFolders()).toEqual([]);
  });

  test('a listed path that climbs out with .. is refused', async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'outside.yaml'), 'a: 1\n');
    const script = path.join(dir, 'app.sh');
    fs.writeFileSync(script, `cd "$CDK8S_OUTDIR" && mkdir .nephoran && cp '${path.join(dir, 'outside.yaml')}' ../outside.yaml && printf '../outside.yaml\\n' > .nephoran/owned-paths\n`);
    await expect(loadAppRepoSet({ cwd: dir, app: `sh ${script}` })).rejects.toThrow(/\.\.\/outside\.yaml: resolves to .*outside the app's output folder/);
  });
});

describe('running the app', () => {
  test('an app that never ends is stopped after the timeout, its processes gone', async () => {
    const dir = tmpDir();
    const pidFile = path.join(dir, 'pid');
    const started = Date.now();
    const error = await loadAppRepoSet({ cwd: dir, app: `sleep 1000 & echo $! > ${pidFile}; wait`, timeoutSeconds: 1 }).then(() => undefined, (err: Error) => err);
    expect(error?.message).toMatch(/the app ".*" did not finish within 1 s and was stopped; nothing was written\. If it needs longer, raise the limit with --app-timeout <seconds>/);
    expect(Date.now() - started).toBeLessThan(10_000);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    await waitFor(() => !isAlive(pid), 5_000);
    expect(ourTempFolders()).toEqual([]);
  });

  test('an app that ignores SIGTERM is killed after a grace period', async () => {
    const dir = tmpDir();
    const error = await loadAppRepoSet({ cwd: dir, app: "trap '' TERM; sleep 1000 & wait; wait", timeoutSeconds: 1 }).then(() => undefined, (err: Error) => err);
    expect(error?.message).toMatch(/did not finish within 1 s/);
  }, 30_000);
});

describe('temporary folders', () => {
  test('a folder left by a dead process is removed at the next start; those of live processes stay', async () => {
    const dead = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout.trim());
    expect(isAlive(deadPid)).toBe(false);
    const live = spawn('sleep', ['30']);
    try {
      const leftover = path.join(tmpRoot, `nephoran-synth-${deadPid}.0-Ab12Cd`);
      fs.mkdirSync(path.join(leftover, 'packages/a'), { recursive: true });
      fs.writeFileSync(path.join(leftover, 'packages/a/cm.yaml'), 'a: 1\n');
      const running = path.join(tmpRoot, `nephoran-synth-${live.pid}.0-Ef34Gh`);
      fs.mkdirSync(running);
      const unrelated = path.join(tmpRoot, 'nephoran-askpass-Xy12Zw');
      fs.mkdirSync(unrelated);

      const folder = makeTempFolder('synth', tmpRoot);
      expect(path.basename(folder.path)).toMatch(new RegExp(`^nephoran-synth-${process.pid}\\.[0-9]+-`));
      expect(fs.existsSync(leftover)).toBe(false);
      expect(fs.existsSync(running)).toBe(true);
      expect(fs.existsSync(unrelated)).toBe(true);
      folder.remove();
      expect(fs.existsSync(folder.path)).toBe(false);
    } finally {
      live.kill();
    }
  });

  test('a reused PID (same number, other start time) does not keep a folder', () => {
    const stale = path.join(tmpRoot, `nephoran-synth-${process.ppid}.1-Ab12Cd`);
    fs.mkdirSync(stale);
    expect(removeStaleTempFolders(tmpRoot)).toEqual(fs.existsSync('/proc/self/stat') ? [stale] : []);
  });
});

describe('the outcome the app reports (NEPHORAN_SYNTH_REPORT)', () => {
  /** A shell app that writes `report` to the report file, then exits with `code`. */
  function reportingApp(dir: string, report: unknown, code: number, files: Record<string, string> = {}): string {
    fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report));
    const write = `cp '${path.join(dir, 'report.json')}' "$NEPHORAN_SYNTH_REPORT"`;
    if (code !== 0) {
      fs.writeFileSync(path.join(dir, 'fail.sh'), `${write}\nexit ${code}\n`);
      return `sh ${path.join(dir, 'fail.sh')}`;
    }
    return writingApp(dir, files, write);
  }

  const reportFolders = () => fs.readdirSync(os.tmpdir()).filter(name => name.startsWith(`nephoran-synth-report-${process.pid}.`));

  test('a failed synth is one SynthError with every problem, sorted', async () => {
    const dir = tmpDir();
    const problems = [
      { path: 'fleet/upf', field: 'props.packageName', message: '"UPF" is not a DNS-1123 label', severity: 'error' },
      { path: 'fleet', field: 'props.syncPeriod', message: 'must be a Go duration', severity: 'error' },
    ];
    const error = await loadAppSynthesis({ cwd: dir, app: reportingApp(dir, { status: 'failed', problems }, 1) }).catch(e => e);
    expect(error).toBeInstanceOf(SynthError);
    expect((error as SynthError).problems.map(p => p.path)).toEqual(['fleet', 'fleet/upf']);
    expect((error as SynthError).message).toMatch(/^synth failed with 2 problems:\n {2}\[fleet\] props.syncPeriod: must be a Go duration\n/);
    expect(reportFolders()).toEqual([]);
  });

  test('an exception: its message and location; the stack only when verbose', async () => {
    const dir = tmpDir();
    const report = { status: 'exception', error: { name: 'TypeError', message: 'x is undefined', location: '/p/main.ts:3:1', stack: 'TypeError: x is undefined\n    at /p/main.ts:3:1' } };
    const quiet = await loadAppSynthesis({ cwd: dir, app: reportingApp(dir, report, 1), verbose: false }).catch(e => e);
    expect(quiet).toBeInstanceOf(AppExceptionError);
    expect(quiet.message).toBe(`the app "sh ${path.join(dir, 'fail.sh')}" stopped on an exception: TypeError: x is undefined\n  at /p/main.ts:3:1 (your program)\nnothing was written; set NEPHORAN_VERBOSE=1 (or pass --verbose to nephoran synth) to see the whole stack`);
    const verbose = await loadAppSynthesis({ cwd: dir, app: reportingApp(dir, report, 1), verbose: true }).catch(e => e);
    expect(verbose.message).toMatch(/nothing was written; the whole stack:\nTypeError: x is undefined\n {4}at \/p\/main.ts:3:1$/);
  });

  test('a failing app without a report, or with an unreadable one, fails as before', async () => {
    const dir = tmpDir();
    for (const report of [undefined, { status: 'failed', problems: [] }, 'garbage']) {
      const app = report === undefined ? 'exit 3' : reportingApp(dir, report, 3);
      const error = await loadAppSynthesis({ cwd: dir, app }).catch(e => e);
      expect(error).toBeInstanceOf(AppFailedError);
      expect(error.message).toMatch(/failed \(exit code 3\); nothing was written/);
    }
  });

  test('the warnings of a successful synth come back with the repositories', async () => {
    const dir = tmpDir();
    const warnings = [{ path: 'fleet/edge-01/Package/RootSync', field: '', message: 'close to 5,000 objects', severity: 'warning' }];
    const { repositories, warnings: read } = await loadAppSynthesis({ cwd: dir, app: reportingApp(dir, { status: 'ok', warnings }, 0, { 'a/cm.yaml': 'kind: ConfigMap\n' }) });
    // writingApp lists secret.yaml when given extra lines; it is absent, so it is skipped.
    expect(repositories.tree(repositories.primary).paths()).toEqual(['a/cm.yaml']);
    expect(read).toEqual(warnings);
  });
});
