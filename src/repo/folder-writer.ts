import * as fs from 'fs';
import * as path from 'path';
import { OWNERSHIP_MANIFEST_PATH, parseOwnershipManifest, renderOwnershipManifest } from './ownership';
import { RepoTree } from './repo-tree';

/** What a write changed. */
export interface FolderWriteResult {
  readonly written: number;
  readonly removed: string[];
  readonly unchanged: boolean;
}

const STAGING_SUFFIX = '.nephoran-staging';
const PREVIOUS_SUFFIX = '.nephoran-previous';

/**
 * Writes a RepoTree into a folder, atomically and owning only what it wrote.
 *
 * The new content is built in a sibling staging folder: files a person added (anything not in
 * the previous ownership manifest) are carried over as hard links, then the tree and its new
 * manifest are written. The staging folder is then swapped in with two renames. A run killed
 * before the swap leaves the old folder untouched; a run killed between the two renames leaves
 * the previous folder beside the target, and the next write (or `recoverInterruptedWrite`)
 * puts it back, so the folder is always either the previous tree or the new one.
 */
export function writeTreeToFolder(tree: RepoTree, targetDir: string): FolderWriteResult {
  const target = path.resolve(targetDir);
  recoverInterruptedWrite(target);
  const previousOwned = readOwnedPaths(target);
  const newManifest = renderOwnershipManifest(tree.paths());

  if (fs.existsSync(target) && sameAsOnDisk(tree, target, previousOwned, newManifest)) {
    return { written: 0, removed: [], unchanged: true };
  }

  const staging = target + STAGING_SUFFIX;
  const previous = target + PREVIOUS_SUFFIX;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });

  const owned = new Set([...previousOwned, OWNERSHIP_MANIFEST_PATH]);
  if (fs.existsSync(target)) carryOverUserFiles(target, staging, '', owned, tree);

  for (const [file, content] of tree.entries()) {
    const dest = path.join(staging, ...file.split('/'));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, content);
  }
  const manifestFile = path.join(staging, ...OWNERSHIP_MANIFEST_PATH.split('/'));
  fs.mkdirSync(path.dirname(manifestFile), { recursive: true });
  fs.writeFileSync(manifestFile, newManifest);

  if (fs.existsSync(target)) {
    fs.rmSync(previous, { recursive: true, force: true });
    fs.renameSync(target, previous);
    fs.renameSync(staging, target);
    fs.rmSync(previous, { recursive: true, force: true });
  } else {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(staging, target);
  }

  const removed = previousOwned.filter(p => !tree.has(p));
  return { written: tree.size, removed, unchanged: false };
}

/** Restores the previous folder when a write was interrupted between its two renames. */
export function recoverInterruptedWrite(targetDir: string): void {
  const target = path.resolve(targetDir);
  const previous = target + PREVIOUS_SUFFIX;
  if (fs.existsSync(previous)) {
    if (fs.existsSync(target)) fs.rmSync(previous, { recursive: true, force: true });
    else fs.renameSync(previous, target);
  }
  fs.rmSync(target + STAGING_SUFFIX, { recursive: true, force: true });
}

/** The paths a previous write recorded as its own (empty when there is no manifest). */
export function readOwnedPaths(targetDir: string): string[] {
  const file = path.join(targetDir, ...OWNERSHIP_MANIFEST_PATH.split('/'));
  if (!fs.existsSync(file)) return [];
  return parseOwnershipManifest(fs.readFileSync(file, 'utf8'));
}

/** Reads the files a previous write owns back into a RepoTree. */
export function readTreeFromFolder(targetDir: string): RepoTree {
  const tree = new RepoTree();
  for (const owned of readOwnedPaths(targetDir)) {
    const file = path.join(targetDir, ...owned.split('/'));
    if (fs.existsSync(file)) tree.addFile(owned, fs.readFileSync(file));
  }
  return tree;
}

function sameAsOnDisk(tree: RepoTree, target: string, previousOwned: string[], manifest: string): boolean {
  const manifestFile = path.join(target, ...OWNERSHIP_MANIFEST_PATH.split('/'));
  if (!fs.existsSync(manifestFile) || fs.readFileSync(manifestFile, 'utf8') !== manifest) return false;
  if (previousOwned.length !== tree.size) return false;
  for (const [file, content] of tree.entries()) {
    const onDisk = path.join(target, ...file.split('/'));
    if (!fs.existsSync(onDisk) || !fs.readFileSync(onDisk).equals(content)) return false;
  }
  return true;
}

/**
 * Hard-links (or copies, across devices) every file the previous write did not own into the
 * staging folder, so a person's README.md, docs/ or .github/ survive the swap. A user file at a
 * path the new tree writes is a conflict: the write refuses rather than overwrite it.
 */
function carryOverUserFiles(from: string, to: string, rel: string, owned: Set<string>, tree: RepoTree): void {
  for (const entry of fs.readdirSync(path.join(from, rel), { withFileTypes: true })) {
    const relPath = rel ? `${rel}/${entry.name}` : entry.name;
    const src = path.join(from, relPath);
    const dest = path.join(to, relPath);
    if (entry.isDirectory()) {
      carryOverUserFiles(from, to, relPath, owned, tree);
    } else if (!owned.has(relPath)) {
      if (tree.has(relPath)) {
        fs.rmSync(to, { recursive: true, force: true });
        throw new Error(`refusing to overwrite "${relPath}" in ${from}: the file was not written by nephoran-gitops (it is not in ${OWNERSHIP_MANIFEST_PATH}); move it away or remove it`);
      }
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), dest);
      else linkOrCopy(src, dest);
    }
  }
}

function linkOrCopy(src: string, dest: string): void {
  try {
    fs.linkSync(src, dest);
  } catch {
    fs.copyFileSync(src, dest);
  }
}
