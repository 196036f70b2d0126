import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { readsAsBlockYaml } from './block-yaml';
import { readOwnedPaths } from './folder-writer';
import { OWNERSHIP_MANIFEST_PATH } from './ownership';
import { holdsSynthesizedOutput, readRepoSetFromFolder, RepoSet, REPOSITORY_SET_MANIFEST_PATH } from './repo-set';
import { RepoTree } from './repo-tree';
import { makeTempFolder } from './temp-folders';

/** How long an app may run before it is stopped, unless told otherwise. */
export const DEFAULT_APP_TIMEOUT_SECONDS = 600;

/** After a stop signal, how long the app gets to exit before it is killed. */
const KILL_GRACE_MS = 5_000;

/** Options for running a cdk8s app and reading back the repository it synthesizes. */
export interface LoadAppTreeOptions {
  /**
   * The shell command that runs the app.
   * @default - the `app` of cdk8s.yaml in `cwd`, the way `cdk8s synth` finds it
   */
  readonly app?: string;
  /**
   * The folder to run the app in.
   * @default process.cwd()
   */
  readonly cwd?: string;
  /**
   * Seconds the app may run; then it (its whole process group) is stopped and the run fails.
   * 0 waits for ever.
   * @default 600
   */
  readonly timeoutSeconds?: number;
}

/** The app failed; its own output (the list of synth problems) has already been shown. */
export class AppFailedError extends Error {
  constructor(message: string, public readonly exitCode: number) {
    super(message);
    this.name = 'AppFailedError';
    this.stack = `${this.name}: ${message}`;
  }
}

/** nephoran was asked to stop (SIGINT/SIGTERM) while the app ran; the app was stopped too. */
export class AppInterruptedError extends Error {
  /** 128 + the signal's number, the exit code a shell reports for a process ended by it. */
  public readonly exitCode: number;

  constructor(public readonly signal: NodeJS.Signals) {
    super(`stopped by ${signal}: the app was stopped too and nothing was written`);
    this.name = 'AppInterruptedError';
    this.stack = `${this.name}: ${this.message}`;
    this.exitCode = 128 + (signal === 'SIGINT' ? 2 : 15);
  }
}

/** Finds the app command: the explicit one, else `app:` in cdk8s.yaml. */
export function resolveAppCommand(options: LoadAppTreeOptions = {}): string {
  if (options.app) return options.app;
  const cwd = options.cwd ?? process.cwd();
  const configFile = path.join(cwd, 'cdk8s.yaml');
  if (!fs.existsSync(configFile)) {
    throw new Error(`no app to run: pass --app "<command>" or create ${configFile} with an "app:" entry`);
  }
  const config = parse(fs.readFileSync(configFile, 'utf8')) ?? {};
  if (typeof config.app !== 'string' || config.app.trim() === '') {
    throw new Error(`${configFile} has no "app:" entry: set it to the command that runs your program, e.g. "npx ts-node main.ts"`);
  }
  return config.app;
}

/**
 * Runs the app with CDK8S_OUTDIR pointing at a fresh temporary folder (the way `cdk8s synth`
 * does) and reads back the repositories it wrote: one for the single-repository layout, several
 * for the others. The app's output goes to stderr, so that stdout stays for the command's own
 * result. The app runs in its own process group: SIGINT and SIGTERM sent to this process are
 * passed on to it, and it is stopped when it outlives `timeoutSeconds`. What it wrote is checked
 * before anything is returned: a listed file must stay inside the output folder and YAML must parse.
 */
export async function loadAppRepoSet(options: LoadAppTreeOptions = {}): Promise<RepoSet> {
  const app = resolveAppCommand(options);
  const cwd = options.cwd ?? process.cwd();
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_APP_TIMEOUT_SECONDS;
  if (!(Number.isFinite(timeoutSeconds) && timeoutSeconds >= 0)) {
    throw new Error(`the app timeout must be a number of seconds (0 for none), found ${timeoutSeconds}`);
  }
  const outdir = makeTempFolder('synth');
  try {
    const exitCode = await runApp(app, cwd, outdir.path, timeoutSeconds);
    if (exitCode !== 0) throw new AppFailedError(`the app "${app}" failed (exit code ${exitCode}); nothing was written`, exitCode);
    if (!holdsSynthesizedOutput(outdir.path)) {
      throw new Error(`the app "${app}" wrote no repository into CDK8S_OUTDIR: its root must be a GitOpsRepository and it must call synth()`);
    }
    const problems = checkOutput(outdir.path);
    if (problems.length > 0) {
      throw new Error(`the output of the app "${app}" cannot be used (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}); nothing was written:\n${problems.map(p => `  ${p}`).join('\n')}`);
    }
    const set = readRepoSetFromFolder(outdir.path);
    return set;
  } finally {
    outdir.remove();
  }
}

/** Like loadAppRepoSet, for commands that take one repository. */
export async function loadAppTree(options: LoadAppTreeOptions = {}): Promise<RepoTree> {
  const set = await loadAppRepoSet(options);
  if (!set.isSingle) {
    throw new Error(`the app synthesizes ${set.size} repositories (${set.names.join(', ')}); this command takes one repository`);
  }
  return set.tree(set.primary);
}

/** Runs the app in its own process group; resolves with its exit code. */
function runApp(app: string, cwd: string, outdir: string, timeoutSeconds: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    // detached: the shell leads a new process group, so a signal reaches the app behind it too.
    const child = spawn(app, { cwd, shell: true, detached: true, env: { ...process.env, CDK8S_OUTDIR: outdir }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stoppedBy: NodeJS.Signals | 'timeout' | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    const stop = (reason: NodeJS.Signals | 'timeout') => {
      stoppedBy ??= reason;
      signalGroup(reason === 'timeout' ? 'SIGTERM' : reason);
      killTimer ??= setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
    };
    const onSigint = () => stop('SIGINT');
    const onSigterm = () => stop('SIGTERM');
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    const timeout = timeoutSeconds > 0 ? setTimeout(() => stop('timeout'), timeoutSeconds * 1000) : undefined;
    const settle = () => {
      process.removeListener('SIGINT', onSigint);
      process.removeListener('SIGTERM', onSigterm);
      clearTimeout(timeout);
      clearTimeout(killTimer);
    };
    child.stdout.on('data', chunk => process.stderr.write(chunk));
    child.on('error', err => {
      settle();
      reject(err);
    });
    child.on('close', code => {
      // Whatever the shell left behind in its group goes too.
      signalGroup('SIGKILL');
      settle();
      if (stoppedBy === 'timeout') {
        reject(new Error(`the app "${app}" did not finish within ${timeoutSeconds} s and was stopped; nothing was written. If it needs longer, raise the limit with --app-timeout <seconds> (0 for none)`));
      } else if (stoppedBy) {
        reject(new AppInterruptedError(stoppedBy));
      } else {
        resolve(code ?? 1);
      }
    });
  });
}

/**
 * What is wrong with the app's output folder, every problem at once: a listed file (or a list)
 * that resolves to a place outside the folder, through a symlink or `..`, whose content would be
 * copied from wherever it points; and a YAML file (`*.yaml`, `*.yml`, `Kptfile`) that does not
 * parse, which would be written and pushed as it is.
 */
function checkOutput(outdir: string): string[] {
  const root = fs.realpathSync(outdir);
  const problems: string[] = [];
  /** The file's path when it stays inside the folder (undefined when missing or refused). */
  const inside = (file: string): string | undefined => {
    const full = path.join(outdir, ...file.split('/'));
    let real: string;
    try {
      real = fs.realpathSync(full);
    } catch {
      return undefined; // missing: it is skipped when read
    }
    if (real === root || real.startsWith(root + path.sep)) return full;
    let isLink = false;
    try {
      isLink = fs.lstatSync(full).isSymbolicLink();
    } catch {
      // it vanished meanwhile: reported all the same
    }
    problems.push(`${file}: ${isLink ? 'is a symlink' : 'resolves'} to ${real}, outside the app's output folder; the app must write the file itself`);
    return undefined;
  };
  if (fs.existsSync(path.join(outdir, ...REPOSITORY_SET_MANIFEST_PATH.split('/'))) && !inside(REPOSITORY_SET_MANIFEST_PATH)) return problems;
  const names = repositoryNames(outdir);
  const folders = names.length ? names.map(name => `${name}/`) : [''];
  for (const prefix of folders) {
    if (!inside(prefix + OWNERSHIP_MANIFEST_PATH)) continue;
    for (const owned of readOwnedPaths(path.join(outdir, prefix))) {
      const full = inside(prefix + owned);
      if (full === undefined || !YAML_FILE.test(owned)) continue;
      let text: string;
      try {
        if (!fs.statSync(full).isFile()) continue;
        text = fs.readFileSync(full, 'utf8');
      } catch {
        continue;
      }
      const error = firstYamlError(text);
      if (error) problems.push(`${prefix}${owned}: invalid YAML at ${error}`);
    }
  }
  return problems;
}

function repositoryNames(outdir: string): string[] {
  const file = path.join(outdir, ...REPOSITORY_SET_MANIFEST_PATH.split('/'));
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').map(l => l.trim())
    .filter(l => l.length > 0 && !l.startsWith('#') && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(l));
}

const YAML_FILE = /(^|\/)(Kptfile|[^/]+\.ya?ml)$/;

function firstYamlError(text: string): string | undefined {
  // Most files are plain block YAML, read here at a fraction of the yaml package's cost.
  if (readsAsBlockYaml(text)) return undefined;
  let docs;
  try {
    docs = parseAllDocuments(text);
  } catch (err) {
    return `line 1, column 1: ${(err as Error).message}`;
  }
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const error = doc.errors[0];
    if (!error) continue;
    const where = error.linePos?.[0];
    const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return where ? `line ${where.line}, column ${where.col}: ${message}` : `offset ${error.pos[0]}: ${message}`;
  }
  return undefined;
}
