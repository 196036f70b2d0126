import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Temporary folders that say whose they are: `nephoran-<purpose>-<pid>.<start>-XXXXXX` in the
 * system's temporary folder, where <pid> is the creating process and <start> its start time
 * (Linux clock ticks since boot, `0` where unknown), so that a folder left by a killed run can
 * be recognized and removed by the next run, and a reused PID is not taken for its owner.
 */
const NAME = /^nephoran-([a-z][a-z0-9-]*)-([0-9]+)\.([0-9]+)-[A-Za-z0-9]{6}$/;

/** A folder made by {@link makeTempFolder}: `remove()` it when done; it is also removed when the process exits. */
export interface TempFolder {
  readonly path: string;
  remove(): void;
}

const live = new Set<string>();
let exitHookInstalled = false;

/**
 * Creates a fresh temporary folder for `purpose` (lower-case letters, digits and dashes). Folders
 * of dead processes are removed first. The folder is removed on `remove()` or, at the latest,
 * when this process exits normally; a SIGKILLed run leaves it for the next run to clean.
 */
export function makeTempFolder(purpose: string, root: string = os.tmpdir()): TempFolder {
  if (!/^[a-z][a-z0-9-]*$/.test(purpose)) throw new Error(`temporary folder purpose "${purpose}" must be lower-case letters, digits and dashes`);
  removeStaleTempFolders(root);
  const folder = fs.mkdtempSync(path.join(root, `nephoran-${purpose}-${process.pid}.${processStartTime(process.pid) ?? 0}-`));
  live.add(folder);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const f of live) fs.rmSync(f, { recursive: true, force: true });
    });
  }
  return {
    path: folder,
    remove: () => {
      fs.rmSync(folder, { recursive: true, force: true });
      live.delete(folder);
    },
  };
}

/**
 * Removes the temporary folders under `root` whose creating process is gone (its PID is not
 * alive, or now belongs to a process started at another time). Returns the removed paths.
 * Folders that cannot be removed are left alone: this is housekeeping, never a reason to fail.
 */
export function removeStaleTempFolders(root: string = os.tmpdir()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = NAME.exec(name);
    if (!match) continue;
    const pid = Number(match[2]);
    const start = Number(match[3]);
    if (pid === process.pid || isAlive(pid, start)) continue;
    const folder = path.join(root, name);
    try {
      if (!fs.lstatSync(folder).isDirectory()) continue;
      fs.rmSync(folder, { recursive: true, force: true });
      removed.push(folder);
    } catch {
      // Another run removed it first, or it is not ours to remove.
    }
  }
  return removed;
}

/**
 * True when `pid` runs and, where both are known, started at `start`. A zombie (ended, not yet
 * reaped by its parent) does not count as running.
 */
export function isAlive(pid: number, start = 0): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = processStat(pid);
  if (stat === undefined) return true;
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return start === 0 || stat.start === start;
}

function processStartTime(pid: number): number | undefined {
  return processStat(pid)?.start;
}

/** A process's state and start time (fields 3 and 22 of /proc/<pid>/stat), undefined off Linux. */
function processStat(pid: number): { state: string; start: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return Number.isSafeInteger(start) ? { state: fields[0], start } : undefined;
  } catch {
    return undefined;
  }
}
