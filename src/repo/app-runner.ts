import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { readsAsBlockYaml } from './block-yaml';
import { readOwnedPaths } from './folder-writer';
import { DNS1123_LABEL } from './names';
import { OWNERSHIP_MANIFEST_PATH } from './ownership';
import { holdsSynthesizedOutput, readRepoSetFromFolder, RepoSet, REPOSITORY_SET_MANIFEST_PATH } from './repo-set';
import { AppException, formatProblem, readSynthReport, SYNTH_REPORT_ENV, SynthError, SynthProblem } from './synth-error';
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
  /**
   * Show the whole stack of an exception the app did not catch, not only its message and the
   * line of the user's program it came from.
   * @default - true when the NEPHORAN_VERBOSE environment variable is set to a non-empty value other than 0
   */
  readonly verbose?: boolean;
}

/** What a successful run of the app synthesized. */
export interface AppSynthesis {
  /** The repositories, the primary (management) one first. */
  readonly repositories: RepoSet;
  /** The warnings of the synth (problems that do not fail it). */
  readonly warnings: SynthProblem[];
}

/** The app failed; its own output (the list of synth problems) has already been shown. */
export class AppFailedError extends Error {
  constructor(message: string, public readonly exitCode: number) {
    super(message);
    this.name = 'AppFailedError';
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * The app stopped on an exception it did not catch (a mistake in the user's program, or an API
 * called the wrong way): its message and the line of the user's program it came from, not a
 * stack from inside the library.
 */
export class AppExceptionError extends Error {
  constructor(public readonly app: string, public readonly exception: AppException, verbose: boolean) {
    super(`the app "${app}" stopped on an exception: ${exception.name && exception.name !== 'Error' ? exception.name + ': ' : ''}${exception.message}`
      + (exception.location ? `\n  at ${exception.location} (your program)` : '')
      + '\nnothing was written'
      + (verbose && exception.stack ? `; the whole stack:\n${exception.stack}` : '; set NEPHORAN_VERBOSE=1 (or pass --verbose to nephoran synth) to see the whole stack'));
    this.name = 'AppExceptionError';
    this.stack = `${this.name}: ${this.message}`;
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
 *
 * The app reports the outcome of its synth to a file (NEPHORAN_SYNTH_REPORT): a failed synth
 * throws a SynthError holding every problem, an exception the app did not catch an
 * AppExceptionError with its message and the line of the user's program it came from.
 */
export async function loadAppSynthesis(options: LoadAppTreeOptions = {}): Promise<AppSynthesis> {
  const app = resolveAppCommand(options);
  const cwd = options.cwd ?? process.cwd();
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_APP_TIMEOUT_SECONDS;
  const verbose = options.verbose ?? isVerbose();
  if (!(Number.isFinite(timeoutSeconds) && timeoutSeconds >= 0)) {
    throw new Error(`the app timeout must be a number of seconds (0 for none), found ${timeoutSeconds}`);
  }
  const outdir = makeTempFolder('synth');
  // Beside the output folder, not in it: the report is not part of the repository.
  const reportFolder = makeTempFolder('synth-report');
  const reportFile = path.join(reportFolder.path, 'report.json');
  try {
    const exitCode = await runApp(app, cwd, outdir.path, timeoutSeconds, reportFile);
    const report = readSynthReport(reportFile);
    if (exitCode !== 0) {
      if (report?.status === 'failed') throw new SynthError(report.problems);
      if (report?.status === 'exception') throw new AppExceptionError(app, report.error, verbose);
      throw new AppFailedError(`the app "${app}" failed (exit code ${exitCode}); nothing was written`, exitCode);
    }
    if (!holdsSynthesizedOutput(outdir.path)) {
      throw new Error(`the app "${app}" wrote no repository into CDK8S_OUTDIR: its root must be a GitOpsRepository and it must call synth()`);
    }
    const problems = checkOutput(outdir.path);
    if (problems.length > 0) {
      throw new Error(`the output of the app "${app}" cannot be used (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}); nothing was written:\n${problems.map(p => `  ${p}`).join('\n')}`);
    }
    const repositories = readRepoSetFromFolder(outdir.path);
    return { repositories, warnings: report?.status === 'ok' ? report.warnings : [] };
  } finally {
    outdir.remove();
    reportFolder.remove();
  }
}

/**
 * Like loadAppSynthesis, for commands that print no summary of their own: the warnings go to
 * stderr, the way the app prints them under `cdk8s synth`.
 */
export async function loadAppRepoSet(options: LoadAppTreeOptions = {}): Promise<RepoSet> {
  const { repositories, warnings } = await loadAppSynthesis(options);
  for (const warning of warnings) process.stderr.write(`warning: ${formatProblem(warning)}\n`);
  return repositories;
}

/** True when NEPHORAN_VERBOSE asks for whole stacks. */
export function isVerbose(): boolean {
  const value = process.env.NEPHORAN_VERBOSE;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * The compiled preload that turns the app's uncaught exceptions into a report; undefined when
 * this copy runs from TypeScript sources (there is no .js to require).
 */
function preloadScript(): string | undefined {
  const file = path.join(__dirname, 'app-preload.js');
  return fs.existsSync(file) ? file : undefined;
}

/** NODE_OPTIONS with the preload added to what the user set (Node reads quoted paths there). */
function nodeOptionsWithPreload(): string | undefined {
  const preload = preloadScript();
  const current = process.env.NODE_OPTIONS;
  if (!preload) return current;
  const option = `--require ${JSON.stringify(preload)}`;
  return current ? `${current} ${option}` : option;
}

/** Runs the app in its own process group; resolves with its exit code. */
function runApp(app: string, cwd: string, outdir: string, timeoutSeconds: number, reportFile: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    // detached: the shell leads a new process group, so a signal reaches the app behind it too.
    const nodeOptions = nodeOptionsWithPreload();
    const env = {
      ...process.env,
      CDK8S_OUTDIR: outdir,
      [SYNTH_REPORT_ENV]: reportFile,
      ...(nodeOptions !== undefined ? { NODE_OPTIONS: nodeOptions } : {}),
    };
    const child = spawn(app, { cwd, shell: true, detached: true, env, stdio: ['ignore', 'pipe', 'inherit'] });
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
    .filter(l => l.length > 0 && !l.startsWith('#') && DNS1123_LABEL.test(l));
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
