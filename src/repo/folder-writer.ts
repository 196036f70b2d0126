import * as fs from 'fs';
import * as path from 'path';
import { OWNERSHIP_MANIFEST_PATH, parseOwnershipManifest, renderOwnershipManifest } from './ownership';
import { RepoTree } from './repo-tree';

/** What a write changed. */
export interface FolderWriteResult {
  /** Generated files the new folder holds (written afresh or kept); 0 when unchanged. */
  readonly written: number;
  /** Of `written`, files whose bytes were already in the folder: carried over as hard links, not written again. */
  readonly kept: number;
  /** Generated files of the previous write that the tree no longer has. */
  readonly removed: string[];
  /** True when the folder already held exactly this tree: nothing was touched. */
  readonly unchanged: boolean;
}

const STAGING_SUFFIX = '.nephoran-staging';
const PREVIOUS_SUFFIX = '.nephoran-previous';
const MANIFEST_SEGMENTS = OWNERSHIP_MANIFEST_PATH.split('/');

/**
 * Writes a RepoTree into a folder, atomically and owning only what it wrote.
 *
 * The new content is built in a sibling staging folder: files a person added (anything not in
 * the previous ownership manifest) are carried over as hard links, then the tree and its new
 * manifest are written. The staging folder is then swapped in with two renames. A run killed
 * before the swap leaves the old folder untouched; a run killed between the two renames leaves
 * the previous folder beside the target, and the next write (or `recoverInterruptedWrite`)
 * puts it back, so the folder is always either the previous tree or the new one.
 *
 * Creating a file (an inode) is the dominant cost of a write, so generated files whose bytes are
 * already in the folder are hard-linked into the staging folder instead of written again. The
 * old folder is never modified, so the guarantee above holds; a file is linked only when the
 * folder's entry is its one link, so no other path shares the inode after the swap. (So a
 * generated file edited in place while a write runs may keep that edit until the next write.)
 */
export function writeTreeToFolder(tree: RepoTree, targetDir: string): FolderWriteResult {
  const target = path.resolve(targetDir);
  recoverInterruptedWrite(target);
  const targetExists = fs.existsSync(target);
  const previousManifest = targetExists ? readManifestText(target) : undefined;
  const previousOwned = previousManifest === undefined ? [] : parseOwnershipManifest(previousManifest);
  const entries = tree.entries();
  const newManifest = renderOwnershipManifest(entries.map(([file]) => file));

  const onDisk = targetExists ? findFilesAlreadyOnDisk(entries, target, new Set(previousOwned)) : { same: 0, linkable: new Set<string>() };
  if (previousManifest === newManifest && onDisk.same === entries.length) {
    return { written: 0, kept: 0, removed: [], unchanged: true };
  }

  const staging = new StagingFolder(target + STAGING_SUFFIX);
  try {
    const owned = new Set([...previousOwned, OWNERSHIP_MANIFEST_PATH]);
    if (targetExists) carryOverUserFiles(target, staging, '', owned, tree, foldersOf(entries));
    for (const [file, content] of entries) {
      staging.ensureFolder(parentOf(file));
      const dest = staging.pathOf(file);
      if (onDisk.linkable.has(file)) fs.linkSync(path.join(target, ...file.split('/')), dest);
      else fs.writeFileSync(dest, content);
    }
    staging.ensureFolder(parentOf(OWNERSHIP_MANIFEST_PATH));
    fs.writeFileSync(staging.pathOf(OWNERSHIP_MANIFEST_PATH), newManifest);
  } catch (err) {
    removeFolder(staging.root);
    throw err;
  }

  if (targetExists) {
    const previous = target + PREVIOUS_SUFFIX;
    fs.renameSync(target, previous);
    fs.renameSync(staging.root, target);
    removeFolder(previous);
  } else {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(staging.root, target);
  }

  const removed = previousOwned.filter(p => !tree.has(p));
  return { written: entries.length, kept: onDisk.linkable.size, removed, unchanged: false };
}

/** Restores the previous folder when a write was interrupted between its two renames. */
export function recoverInterruptedWrite(targetDir: string): void {
  const target = path.resolve(targetDir);
  const previous = target + PREVIOUS_SUFFIX;
  if (fs.existsSync(previous)) {
    if (fs.existsSync(target)) removeFolder(previous);
    else fs.renameSync(previous, target);
  }
  removeFolder(target + STAGING_SUFFIX);
}

/**
 * Removes a folder tree if it exists. Unlike `fs.rmSync`, which stats every entry and first tries
 * rmdir on every folder, this uses the types readdir already returns: about half the system calls.
 */
function removeFolder(folder: string): void {
  try {
    removeEntries(folder);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !fs.existsSync(folder)) return;
    // Anything unusual (permissions, a concurrent change): the thorough removal handles it or says why.
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

function removeEntries(folder: string): void {
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const entryPath = path.join(folder, entry.name);
    if (entry.isDirectory()) removeEntries(entryPath);
    else fs.unlinkSync(entryPath);
  }
  fs.rmdirSync(folder);
}

/** The paths a previous write recorded as its own (empty when there is no manifest). */
export function readOwnedPaths(targetDir: string): string[] {
  const text = readManifestText(targetDir);
  return text === undefined ? [] : parseOwnershipManifest(text);
}

/** Reads the files a previous write owns back into a RepoTree (owned paths since removed by hand are skipped). */
export function readTreeFromFolder(targetDir: string): RepoTree {
  const tree = new RepoTree();
  for (const owned of readOwnedPaths(targetDir)) {
    const content = readIfPresent(path.join(targetDir, ...owned.split('/')));
    if (content !== undefined) tree.addFile(owned, content);
  }
  return tree;
}

/** The staging folder, creating each of its folders once. */
class StagingFolder {
  private readonly folders = new Set<string>(['']);

  constructor(public readonly root: string) {
    removeFolder(root);
    fs.mkdirSync(root, { recursive: true });
  }

  public pathOf(relPath: string): string {
    return this.root + path.sep + (path.sep === '/' ? relPath : relPath.split('/').join(path.sep));
  }

  /** Creates a folder (repo-relative, '/'-separated) and its parents, unless already created. */
  public ensureFolder(relPath: string): void {
    if (this.folders.has(relPath)) return;
    this.ensureFolder(parentOf(relPath));
    fs.mkdirSync(this.pathOf(relPath));
    this.folders.add(relPath);
  }
}

function parentOf(relPath: string): string {
  const slash = relPath.lastIndexOf('/');
  return slash < 0 ? '' : relPath.slice(0, slash);
}

function readManifestText(targetDir: string): string | undefined {
  return readIfPresent(path.join(targetDir, ...MANIFEST_SEGMENTS))?.toString('utf8');
}

/** One open instead of an exists check and a read. */
function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Which generated files already hold their bytes in the folder (`same`), and which of those can be
 * hard-linked into the new folder (`linkable`): regular files with one link. A file a person
 * edited or replaced by a symlink is written afresh, and so is one linked elsewhere, so that the
 * other link does not follow later writes. Files of another size are not read.
 */
function findFilesAlreadyOnDisk(
  entries: Array<[string, Buffer]>,
  target: string,
  previousOwned: Set<string>,
): { same: number; linkable: Set<string> } {
  let same = 0;
  const linkable = new Set<string>();
  let scratch = Buffer.alloc(64 * 1024);
  for (const [file, content] of entries) {
    if (!previousOwned.has(file)) continue;
    let fd: number;
    try {
      fd = fs.openSync(path.join(target, ...file.split('/')), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    } catch {
      continue; // gone, a symlink, or unreadable: written afresh
    }
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile() || stat.size !== content.length) continue;
      if (scratch.length < content.length + 1) scratch = Buffer.alloc(content.length + 1);
      // One read of one byte more than expected: a regular file returns exactly its size, so a
      // file that grew or shrank since the stat reads as changed and is written afresh.
      const read = fs.readSync(fd, scratch, 0, content.length + 1, 0);
      if (read !== content.length || !scratch.subarray(0, read).equals(content)) continue;
      same++;
      if (stat.nlink === 1) linkable.add(file);
    } finally {
      fs.closeSync(fd);
    }
  }
  return { same, linkable };
}

/** Every folder the tree's files need, repo-relative. */
function foldersOf(entries: Array<[string, Buffer]>): Set<string> {
  const folders = new Set<string>();
  for (const [file] of entries) {
    for (let folder = parentOf(file); folder !== '' && !folders.has(folder); folder = parentOf(folder)) folders.add(folder);
  }
  return folders;
}

/**
 * Hard-links (or copies, across devices) every file the previous write did not own into the
 * staging folder, so a person's README.md, docs/ or .github/ survive the swap. A user file at a
 * path the new tree writes, needs as a folder, or writes a file above is a conflict: the write
 * refuses rather than overwrite it.
 */
function carryOverUserFiles(from: string, staging: StagingFolder, rel: string, owned: Set<string>, tree: RepoTree, treeFolders: Set<string>): void {
  for (const entry of fs.readdirSync(path.join(from, rel), { withFileTypes: true })) {
    const relPath = rel ? `${rel}/${entry.name}` : entry.name;
    const src = path.join(from, relPath);
    if (entry.isDirectory()) {
      carryOverUserFiles(from, staging, relPath, owned, tree, treeFolders);
    } else if (!owned.has(relPath)) {
      if (tree.has(relPath)) refuse(from, relPath, `the file was not written by nephoran-gitops (it is not in ${OWNERSHIP_MANIFEST_PATH})`);
      if (treeFolders.has(relPath)) refuse(from, relPath, 'the file was not written by nephoran-gitops, and the tree needs a folder there');
      const fileAbove = ancestorsOf(relPath).find(folder => tree.has(folder));
      if (fileAbove) refuse(from, relPath, `the file was not written by nephoran-gitops, and the tree writes a file at "${fileAbove}", the folder it is in`);
      staging.ensureFolder(rel);
      const dest = staging.pathOf(relPath);
      if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), dest);
      else linkOrCopy(src, dest);
    }
  }
}

function ancestorsOf(relPath: string): string[] {
  const folders: string[] = [];
  for (let folder = parentOf(relPath); folder !== ''; folder = parentOf(folder)) folders.push(folder);
  return folders;
}

function refuse(folder: string, relPath: string, why: string): never {
  throw new Error(`refusing to overwrite "${relPath}" in ${folder}: ${why}; move it away or remove it`);
}

function linkOrCopy(src: string, dest: string): void {
  try {
    fs.linkSync(src, dest);
  } catch {
    fs.copyFileSync(src, dest);
  }
}
