import { spawn } from 'child_process';
import { GitOpsError } from './errors';

/** Environment variables that would point git at another repository than the one asked for. */
const REPOSITORY_ENV = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_NAMESPACE', 'GIT_PREFIX'];

/** How to run git: where, with which extra environment and `-c` settings, and what to hide. */
export interface GitRunnerOptions {
  /** Folder git runs in (`-C`). */
  readonly cwd: string;
  /** Extra environment (credentials, identity). @default {} */
  readonly env?: Record<string, string>;
  /** Extra `-c key=value` settings put before every command. @default [] */
  readonly config?: readonly string[];
  /** Strings that must never appear in an error message (tokens). @default [] */
  readonly secrets?: readonly string[];
}

/** What one git command returned. */
export interface GitResult {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly exitCode: number;
}

/** A git command failed. The message carries git's own explanation, with secrets removed. */
export class GitCommandError extends GitOpsError {
  constructor(message: string, public readonly exitCode: number, public readonly stderr: string) {
    super(message);
    this.name = 'GitCommandError';
  }
}

/**
 * Runs the git executable. Plain child processes rather than a wrapper library: publishing needs
 * stdin streams (fast-import, cat-file --batch) and full control of the environment that carries
 * credentials.
 */
export class GitRunner {
  constructor(public readonly options: GitRunnerOptions) {}

  /** A runner for another folder with the same credentials and settings. */
  public in(cwd: string): GitRunner {
    return new GitRunner({ ...this.options, cwd });
  }

  /** Runs git; throws GitCommandError on a non-zero exit unless `allowFailure`. */
  public async run(
    args: readonly string[],
    opts: { input?: Buffer | string; allowFailure?: boolean; env?: Record<string, string> } = {},
  ): Promise<GitResult> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of REPOSITORY_ENV) delete env[name];
    Object.assign(env, { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', LANGUAGE: 'C' }, this.options.env ?? {}, opts.env ?? {});
    const configArgs = (this.options.config ?? []).flatMap(c => ['-c', c]);
    const fullArgs = [...configArgs, '-C', this.options.cwd, ...args];
    const result = await new Promise<GitResult>((resolve, reject) => {
      const child = spawn('git', fullArgs, { env, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', e => reject(new GitOpsError(`cannot run git: ${e.message}. Install git 2.38 or later and put it on PATH.`)));
      child.on('close', code => resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), exitCode: code ?? 1 }));
      child.stdin.on('error', () => { /* git may exit before reading all input; the exit code tells */ });
      child.stdin.end(opts.input ?? '');
    });
    if (result.exitCode !== 0 && !opts.allowFailure) {
      const detail = this.redact(result.stderr.trim() || result.stdout.toString('utf8').trim());
      throw new GitCommandError(`git ${args[0]} failed: ${detail || `exit code ${result.exitCode}`}`, result.exitCode, this.redact(result.stderr));
    }
    return { ...result, stderr: this.redact(result.stderr) };
  }

  /** Runs git and returns its standard output as trimmed text. */
  public async text(args: readonly string[], opts: { input?: Buffer | string; env?: Record<string, string> } = {}): Promise<string> {
    return (await this.run(args, opts)).stdout.toString('utf8').trim();
  }

  /** Runs git and returns the trimmed output, or undefined when git exits non-zero. */
  public async tryText(args: readonly string[]): Promise<string | undefined> {
    const result = await this.run(args, { allowFailure: true });
    return result.exitCode === 0 ? result.stdout.toString('utf8').trim() : undefined;
  }

  /** Replaces every secret in the text with `***`. */
  public redact(text: string): string {
    return redactSecrets(text, this.options.secrets ?? []);
  }
}

/** Replaces each secret (and its URL-encoded form) with `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) result = result.split(form).join('***');
  }
  return result;
}

/**
 * Reads many objects in one `git cat-file --batch` call. Missing objects are left out of the
 * returned map.
 */
export async function readObjects(git: GitRunner, ids: readonly string[]): Promise<Map<string, Buffer>> {
  const result = new Map<string, Buffer>();
  const unique = [...new Set(ids)];
  if (unique.length === 0) return result;
  const { stdout } = await git.run(['cat-file', '--batch'], { input: unique.join('\n') + '\n' });
  let offset = 0;
  for (const id of unique) {
    const lineEnd = stdout.indexOf(0x0a, offset);
    if (lineEnd < 0) break;
    const header = stdout.subarray(offset, lineEnd).toString('utf8').split(' ');
    offset = lineEnd + 1;
    if (header[1] === 'missing' || header.length < 3) continue;
    const size = Number(header[2]);
    result.set(id, stdout.subarray(offset, offset + size));
    offset += size + 1;
  }
  return result;
}
