import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { holdsSynthesizedOutput, readRepoSetFromFolder, RepoSet } from './repo-set';
import { RepoTree } from './repo-tree';

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
}

/** The app failed; its own output (the list of synth problems) has already been shown. */
export class AppFailedError extends Error {
  constructor(message: string, public readonly exitCode: number) {
    super(message);
    this.name = 'AppFailedError';
    this.stack = `${this.name}: ${message}`;
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
 * result.
 */
export async function loadAppRepoSet(options: LoadAppTreeOptions = {}): Promise<RepoSet> {
  const app = resolveAppCommand(options);
  const cwd = options.cwd ?? process.cwd();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nephoran-synth-'));
  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      const child = spawn(app, { cwd, shell: true, env: { ...process.env, CDK8S_OUTDIR: outdir }, stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout.on('data', chunk => process.stderr.write(chunk));
      child.on('error', reject);
      child.on('close', code => resolve(code ?? 1));
    });
    if (exitCode !== 0) throw new AppFailedError(`the app "${app}" failed (exit code ${exitCode}); nothing was written`, exitCode);
    if (!holdsSynthesizedOutput(outdir)) {
      throw new Error(`the app "${app}" wrote no repository into CDK8S_OUTDIR: its root must be a GitOpsRepository and it must call synth()`);
    }
    return readRepoSetFromFolder(outdir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
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
