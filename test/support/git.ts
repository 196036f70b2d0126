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
export function commitAsPerson(remote: string, branch: string, files: Record<string, string | null>, message: string, who = { name: 'Pat Person', email: 'pat@example.com' }, pushTo = branch): string {
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
  git(clone, 'push', '--quiet', 'origin', `HEAD:refs/heads/${pushTo}`);
  return git(clone, 'rev-parse', 'HEAD');
}

/**
 * Makes the next push to the remote lose a race: its pre-receive hook moves main to `commit`
 * (as another publisher's push would) before git updates the refs, once.
 */
export function loseNextPushRace(remote: string, commit: string): void {
  fs.writeFileSync(path.join(remote, 'race-once'), commit);
  const hook = path.join(remote, 'hooks', 'pre-receive');
  fs.writeFileSync(hook, [
    '#!/bin/sh',
    'cat >/dev/null',
    'marker="$GIT_DIR/race-once"',
    '[ -f "$marker" ] || exit 0',
    'target=$(cat "$marker")',
    'rm -f "$marker"',
    '# Ref updates are refused inside the push quarantine: step out of it, as a separate push would.',
    'env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES git update-ref refs/heads/main "$target"',
    'exit 0',
    '',
  ].join('\n'), { mode: 0o755 });
}

/** Every update of a ref in a repository whose reflog is on: [old, new] pairs. */
export function refUpdates(repo: string, ref: string): Array<[string, string]> {
  const log = path.join(repo, 'logs', ...ref.split('/'));
  if (!fs.existsSync(log)) return [];
  return fs.readFileSync(log, 'utf8').split('\n').filter(l => l).map(l => l.split(' ').slice(0, 2) as [string, string]);
}
