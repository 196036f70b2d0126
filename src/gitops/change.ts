import { ConflictError, GitOpsError } from './errors';
import { FileOp, TreeSnapshot } from './snapshot';
import { Workspace } from './workspace';
import { OWNERSHIP_MANIFEST_PATH, parseOwnershipManifest, renderOwnershipManifest } from '../repo/ownership';
import { comparePaths, RepoTree } from '../repo/repo-tree';

/** A change to a deployment repository: file operations on top of one commit. */
export interface ChangeSet {
  /** The commit the operations apply to. */
  readonly base: TreeSnapshot;
  /** Writes and removals, sorted by path; the ownership manifest is one of them when it changes. */
  readonly ops: readonly FileOp[];
  /** Paths the ownership manifest listed at the base. */
  readonly ownedBefore: readonly string[];
  /** Paths it lists after the change. */
  readonly ownedAfter: readonly string[];
}

/** True when the change writes nothing. */
export function isEmptyChange(change: ChangeSet): boolean {
  return change.ops.length === 0;
}

/** Paths a change touches, without the ownership manifest. */
export function contentPaths(change: ChangeSet): string[] {
  return change.ops.map(op => op.path).filter(p => p !== OWNERSHIP_MANIFEST_PATH);
}

/** The paths the ownership manifest lists in a snapshot, or undefined when it has none. */
export async function readOwnedPathsAt(ws: Workspace, snapshot: TreeSnapshot): Promise<string[] | undefined> {
  // A publish plans on the same head several times (revisions, the deployment change, the
  // stale-source check): read and parse its 20,000-line manifest once per manifest blob.
  const id = snapshot.get(OWNERSHIP_MANIFEST_PATH)?.id;
  if (id === undefined) return undefined;
  let owned = ownedPathsByBlob.get(ws)?.get(id);
  if (owned === undefined) {
    const text = await ws.readText(snapshot, OWNERSHIP_MANIFEST_PATH);
    if (text === undefined) return undefined;
    owned = parseOwnershipManifest(text);
    // Only the latest manifest is kept: the next plan is on this head or a newer one.
    ownedPathsByBlob.set(ws, new Map([[id, owned]]));
  }
  return [...owned];
}

const ownedPathsByBlob = new WeakMap<Workspace, Map<string, string[]>>();

/**
 * What publishing `tree` changes on top of `base`: every file of the tree that differs, removal
 * of the files the previous manifest owned that the tree no longer has, and the new manifest.
 * Files a person added (not in the manifest) are never touched; a tree file at such a path is a
 * conflict unless its bytes are already the same.
 */
export async function planTreeChange(ws: Workspace, tree: RepoTree, base: TreeSnapshot): Promise<ChangeSet> {
  const conflicts = tree.findPathConflicts();
  if (conflicts.length > 0) throw new GitOpsError(`the tree cannot be written: ${conflicts.join('; ')}`);
  const ownedBefore = (await readOwnedPathsAt(ws, base)) ?? [];
  const ownedBeforeSet = new Set(ownedBefore);
  const ownedAfter = tree.paths().filter(p => p !== OWNERSHIP_MANIFEST_PATH);
  const ops: FileOp[] = [];
  const foreign: string[] = [];
  for (const [path, content] of tree.entries()) {
    if (path === OWNERSHIP_MANIFEST_PATH) continue;
    const id = ws.blobId(content);
    const existing = base.get(path);
    if (existing && existing.id === id && existing.mode === '100644') continue;
    if (existing && !ownedBeforeSet.has(path)) foreign.push(path);
    ops.push({ path, after: { id, content } });
  }
  if (foreign.length > 0) {
    throw new ConflictError(`the tree writes ${list(foreign)}, which the repository holds but nephoran did not write (not in ${OWNERSHIP_MANIFEST_PATH}). Remove or rename ${foreign.length === 1 ? 'that file' : 'those files'} in the repository, or change the program, then publish again.`, foreign);
  }
  const treePaths = new Set(ownedAfter);
  for (const path of ownedBefore) {
    if (!treePaths.has(path) && base.has(path)) ops.push({ path });
  }
  addManifestOp(ws, ops, base, ownedAfter);
  checkFolderConflicts(ops, base);
  return { base, ops: ops.sort(byPath), ownedBefore, ownedAfter };
}

/** The change between two commits, as file operations on the first (for merging a branch). */
export async function changeBetween(ws: Workspace, from: TreeSnapshot, to: string): Promise<ChangeSet> {
  const { stdout } = await ws.git.run(['diff', '--raw', '-z', '--no-renames', '--no-abbrev', from.commit ?? ws.emptyTree, to]);
  const fields = stdout.toString('utf8').split('\0');
  const ops: FileOp[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = fields[i];
    if (!meta.startsWith(':')) continue;
    const [, dstMode, , dstId, status] = meta.slice(1).split(' ');
    const path = fields[i + 1];
    ops.push(status === 'D' ? { path } : { path, after: { id: dstId, mode: dstMode } });
  }
  const target = await ws.snapshot(to);
  return {
    base: from,
    ops: ops.sort(byPath),
    ownedBefore: (await readOwnedPathsAt(ws, from)) ?? [],
    ownedAfter: (await readOwnedPathsAt(ws, target)) ?? [],
  };
}

/**
 * Re-applies a change on a newer head (after a rejected push, or when merging a branch whose
 * base moved). Files both sides changed differently are a conflict; files both changed the same
 * way are dropped; the ownership manifest is merged as a set. Returns the change relative to the
 * new head.
 */
export async function reapplyChange(ws: Workspace, change: ChangeSet, head: TreeSnapshot): Promise<ChangeSet> {
  if (!head.commit || head.commit === change.base.commit) return change;
  const theirs = await ws.changedPaths(change.base.commit, head.commit);
  const ops: FileOp[] = [];
  const conflicts: string[] = [];
  for (const op of change.ops) {
    if (op.path === OWNERSHIP_MANIFEST_PATH) continue;
    if (!theirs.has(op.path)) {
      ops.push(op);
      continue;
    }
    const current = head.get(op.path);
    const same = op.after ? current?.id === op.after.id : current === undefined;
    if (!same) conflicts.push(op.path);
  }
  if (conflicts.length > 0) {
    const commits = await ws.git.text(['log', '--format=  %h %an <%ae>: %s', `${change.base.commit ? change.base.commit + '..' : ''}${head.commit}`, '--', ...conflicts.slice(0, 50)]);
    throw new ConflictError(
      `conflict: ${list(conflicts)} changed on the remote since this change was prepared, differently from this change. ` +
      `Nothing was pushed; the remote is as it was. Changed by:\n${commits}\nSynthesize from the updated source and publish again.`, conflicts);
  }
  const before = new Set(change.ownedBefore);
  const after = new Set(change.ownedAfter);
  const owned = new Set((await readOwnedPathsAt(ws, head)) ?? []);
  for (const p of after) if (!before.has(p)) owned.add(p);
  for (const p of before) if (!after.has(p)) owned.delete(p);
  const ownedAfter = [...owned].sort(comparePaths);
  addManifestOp(ws, ops, head, ownedAfter);
  checkFolderConflicts(ops, head);
  return { base: head, ops: ops.sort(byPath), ownedBefore: change.ownedBefore, ownedAfter };
}

function addManifestOp(ws: Workspace, ops: FileOp[], base: TreeSnapshot, owned: readonly string[]): void {
  const content = Buffer.from(renderOwnershipManifest(owned), 'utf8');
  const id = ws.blobId(content);
  if (base.get(OWNERSHIP_MANIFEST_PATH)?.id !== id) ops.push({ path: OWNERSHIP_MANIFEST_PATH, after: { id, content } });
}

/** A file cannot replace a folder that keeps files, nor sit below a file that stays. */
function checkFolderConflicts(ops: readonly FileOp[], base: TreeSnapshot): void {
  const removed = new Set(ops.filter(op => !op.after).map(op => op.path));
  const problems: string[] = [];
  for (const op of ops) {
    if (!op.after) continue;
    if (base.isFolder(op.path) && base.filesUnder(op.path).some(f => !removed.has(f))) {
      problems.push(`"${op.path}" would replace a folder of the same name that holds other files`);
    }
    const parts = op.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (base.has(parent) && !removed.has(parent)) problems.push(`"${op.path}" needs "${parent}" to be a folder, but the repository has a file there`);
    }
  }
  if (problems.length > 0) throw new ConflictError(`the change cannot be written: ${problems.join('; ')}`, problems);
}

function byPath(a: FileOp, b: FileOp): number {
  return comparePaths(a.path, b.path);
}

function list(paths: readonly string[]): string {
  const shown = paths.slice(0, 10).map(p => `"${p}"`).join(', ');
  return paths.length > 10 ? `${shown} and ${paths.length - 10} more` : shown;
}

/**
 * The part of a change that touches `paths`, with an ownership manifest that takes only those
 * paths' additions and removals (one package of a proposal).
 */
export function restrictChange(ws: Workspace, change: ChangeSet, paths: ReadonlySet<string>): ChangeSet {
  const ops = change.ops.filter(op => op.path !== OWNERSHIP_MANIFEST_PATH && paths.has(op.path));
  const before = new Set(change.ownedBefore);
  const after = new Set(change.ownedAfter);
  const owned = new Set(change.ownedBefore);
  for (const p of paths) {
    if (after.has(p) && !before.has(p)) owned.add(p);
    if (before.has(p) && !after.has(p)) owned.delete(p);
  }
  const ownedAfter = [...owned].sort(comparePaths);
  addManifestOp(ws, ops, change.base, ownedAfter);
  return { base: change.base, ops: ops.sort(byPath), ownedBefore: change.ownedBefore, ownedAfter };
}

/** The files a snapshot's ownership manifest lists, as a RepoTree (what was published there). */
export async function ownedTreeAt(ws: Workspace, snapshot: TreeSnapshot): Promise<RepoTree> {
  const owned = await readOwnedPathsAt(ws, snapshot);
  if (!owned) throw new GitOpsError(`commit ${snapshot.commit?.slice(0, 12) ?? '(none)'} has no ${OWNERSHIP_MANIFEST_PATH}: nephoran did not publish it`);
  const files = await ws.readFiles(snapshot, owned);
  const tree = new RepoTree();
  for (const [path, content] of files) tree.addFile(path, content);
  return tree;
}
