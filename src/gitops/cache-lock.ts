import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { GitOpsError } from './errors';
import { isAlive } from '../repo/temp-folders';

/**
 * The exclusive lock of a cache folder. The lock file holds its owner's pid, the owner's start
 * time (so a pid reused by a later process is not taken for the owner) and a random nonce.
 *
 * Taking the lock is one `open(O_CREAT|O_EXCL)`. Taking over the lock of a dead owner is
 * check-and-remove under a second exclusive lock, so two processes never both take it over and
 * a live owner's lock is never removed (see takeOver).
 */
export async function acquireCacheLock(lockFile: string, timeoutMs: number): Promise<() => void> {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  const mine = `${process.pid} ${processStart(process.pid) ?? 0} ${randomBytes(8).toString('hex')}\n`;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, mine, { flag: 'wx', mode: 0o600 });
      return () => releaseIfMine(lockFile, mine);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = readOrEmpty(lockFile);
    const owner = parseOwner(held);
    if (held && (!owner || !isAlive(owner.pid, owner.start))) {
      if (!owner && ageMs(lockFile) < 2000) {
        // Just created and not yet written by its owner: give it time.
      } else {
        takeOver(lockFile, held);
        continue;
      }
    }
    if (Date.now() > deadline) {
      throw new GitOpsError(`the cache is in use by another nephoran process (pid ${owner?.pid ?? 'unknown'}); wait for it, or remove ${lockFile} if that process is gone`);
    }
    await new Promise(r => setTimeout(r, 25 + Math.floor(Math.random() * 50)));
  }
}

/**
 * Removes a stale lock file if it is still the one found stale (`held`). Takeovers are
 * serialized by a second lock (`<lock>.takeover`, O_EXCL) under which the lock file is read again:
 * a lock a live process created meanwhile is never removed. A takeover lock left by a process
 * killed inside this short section is removed once it is 10 s old.
 */
function takeOver(lockFile: string, held: string): void {
  const guard = `${lockFile}.takeover`;
  const token = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
  try {
    fs.writeFileSync(guard, token, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const stale = readOrEmpty(guard);
    if (ageMs(guard) > 10_000 && readOrEmpty(guard) === stale) fs.rmSync(guard, { force: true });
    return;
  }
  try {
    if (readOrEmpty(lockFile) === held) fs.rmSync(lockFile, { force: true });
  } finally {
    if (readOrEmpty(guard) === token) fs.rmSync(guard, { force: true });
  }
}

function releaseIfMine(lockFile: string, mine: string): void {
  if (readOrEmpty(lockFile) === mine) fs.rmSync(lockFile, { force: true });
}

function parseOwner(text: string): { pid: number; start: number } | undefined {
  const [pid, start] = text.trim().split(/\s+/).map(Number);
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return { pid, start: Number.isSafeInteger(start) ? start : 0 };
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** A process's start time (field 22 of /proc/<pid>/stat, clock ticks since boot), undefined off Linux. */
export function processStart(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const start = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    return Number.isSafeInteger(start) ? start : undefined;
  } catch {
    return undefined;
  }
}
