import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A fresh temporary folder, removed by `removeTempDirs`. */
const created: string[] = [];
export function tempDir(prefix = 'nephoran-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Runs git synchronously and returns trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-C', cwd, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  }).trim();
}

/** Runs git and returns undefined instead of throwing. */
export function tryGit(cwd: string, ...args: string[]): string | undefined {
  try {
    return git(cwd, ...args);
  } catch {
    return undefined;
  }
}

/** A new bare repository with initial branch main; returns its path. */
export function createBareRemote(parent: string, name = 'remote.git'): string {
  const dir = path.join(parent, name);
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', dir]);
  return dir;
}

/** A file at a ref of a (bare) repository, or undefined. */
export function showFile(repo: string, ref: string, file: string): string | undefined {
  return tryGit(repo, 'show', `${ref}:${file}`);
}

/** Files at a ref of a (bare) repository. */
export function listFiles(repo: string, ref: string): string[] {
  const out = tryGit(repo, 'ls-tree', '-r', '--name-only', ref);
  return out ? out.split('\n').filter(l => l) : [];
}

/** Commits a file into a bare repository's branch as another person would (through a clone). */
export function commitAsPerson(remote: string, branch: string, files: Record<string, string | null>, message: string, who = { name: 'Pat Person', email: 'pat@example.com' }): string {
  const work = tempDir('nephoran-person-');
  git(work, 'clone', '--quiet', '--branch', branch, remote, 'w');
  const clone = path.join(work, 'w');
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(clone, file);
    if (content === null) {
      fs.rmSync(full);
    } else {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, content);
    }
  }
  git(clone, 'add', '-A');
  git(clone, '-c', `user.name=${who.name}`, '-c', `user.email=${who.email}`, 'commit', '--quiet', '-m', message);
  git(clone, 'push', '--quiet', 'origin', branch);
  return git(clone, 'rev-parse', 'HEAD');
}
