import { ChangeSet, contentPaths, readOwnedPathsAt } from './change';
import { parseCommitMessage, TRAILER } from './commit-message';
import { GitOpsError, StaleSourceError, UndoneChange } from './errors';
import { GitRunner } from './git';
import { TreeSnapshot } from './snapshot';
import { Workspace } from './workspace';
import { OWNERSHIP_MANIFEST_PATH } from '../repo/ownership';
import { comparePaths, RepoTree } from '../repo/repo-tree';

/**
 * The commits of the branch the program has seen: `base` when given (a commit, tag or branch of
 * the cache), else what this cache recorded (Workspace.recordedBases), else (a fresh cache: a new
 * checkout, a CI runner) the newest publish made from the program's own sources (baseFromSource).
 */
export async function programBases(ws: Workspace, branch: string, base?: string, sourceDir?: string): Promise<ProgramBases> {
  if (base === undefined) {
    const recorded = await ws.recordedBases(branch);
    const primary = await ws.resolve(`refs/nephoran-base/heads/${branch}`);
    if (recorded.length > 0 || sourceDir === undefined) return { all: recorded, onBranch: primary ? [primary] : [] };
    const fromSource = await baseFromSource(ws, branch, sourceDir);
    if (fromSource) ws.log(`no base recorded for ${branch} in this cache: taking ${fromSource.slice(0, 12)}, the newest publish from a commit of this program's sources`);
    return fromSource ? { all: [fromSource], onBranch: [fromSource] } : { all: [], onBranch: [] };
  }
  const commit = await ws.resolve(base);
  if (!commit) throw new GitOpsError(`the base "${base}" is not a commit, tag or branch of ${ws.remote} (after fetching ${branch}); pass the commit of ${branch} the program was last synthesized against`);
  return { all: [commit], onBranch: [commit] };
}

/** The commits a program has seen of a branch. */
export interface ProgramBases {
  /** Every one: the branch state and the review commits and proposals it pushed since. */
  readonly all: readonly string[];
  /** The branch states among them (what the branch held, with the program's tree): the bases a change is measured from. */
  readonly onBranch: readonly string[];
}

/**
 * The files this change would set back although the branch changed them since the program saw
 * it: paths the change writes or removes whose content at the head differs from every commit in
 * `views` (the program's base and its pending reviews). Each with the commits that changed it
 * since, newest first.
 */
export async function findUndoneChanges(ws: Workspace, views: readonly string[], head: TreeSnapshot, change: ChangeSet): Promise<UndoneChange[]> {
  if (!head.commit || views.includes(head.commit)) return [];
  let paths = contentPaths(change);
  for (const view of views) {
    if (paths.length === 0) break;
    const moved = await ws.changedPaths(view, head.commit);
    paths = paths.filter(path => moved.has(path));
  }
  const undone: UndoneChange[] = [];
  for (const path of paths.slice(0, 50)) {
    // The commits that changed the file since it last held a version the program saw (newest first).
    const seen = new Set(await Promise.all(views.map(v => ws.git.tryText(['rev-parse', '--verify', '--quiet', `${v}:${path}`]))));
    const log = await ws.git.text(['log', '-n', '20', '--format=%H%x00%an <%ae>%x00%s', head.commit, '--', path]);
    const commits: Array<{ commit: string; author: string; subject: string }> = [];
    for (const l of log.split('\n').filter(x => x)) {
      const [commit, author, subject] = l.split('\0');
      if (seen.has(await ws.git.tryText(['rev-parse', '--verify', '--quiet', `${commit}:${path}`]))) break;
      commits.push({ commit, author, subject });
    }
    undone.push({ path, commits });
  }
  if (paths.length > 50) undone.push({ path: `... and ${paths.length - 50} more files`, commits: [] });
  return undone;
}

export function staleSourceError(branch: string, view: string, undone: readonly UndoneChange[], revertAllowed: boolean): StaleSourceError {
  const lines = undone.map(u => `  ${u.path}${u.commits.length > 0 ? ': ' + u.commits.map(c => `${c.commit.slice(0, 12)} ${c.author}: ${c.subject}`).join('; ') : ''}`);
  const advice = revertAllowed
    ? 'These changes landed while this publish was running, after the reverts it was allowed were chosen: check them, then publish again.'
    : 'Update the program so that it holds these changes (pull its sources, synthesize again) and publish again; or, if undoing them is intended, publish with --allow-revert (allowRevert), which records the undone commits in the commit message.';
  return new StaleSourceError(
    `this publish would undo changes made on ${branch} since ${view.slice(0, 12)}, the base this program was synthesized against:\n${lines.join('\n')}\n` +
    `Nothing was pushed; the remote is as it was. ${advice}`, undone);
}

/**
 * The newest commit of the branch (of the last `limit`) published from a source commit the
 * program's repository holds: its `Source-Commit` is the program's HEAD or an ancestor of it.
 * That commit's tree is what those sources generated, which the program's sources contain. Skipped:
 * publishes from uncommitted sources (`-dirty`: not reproducible from any commit) and publishes
 * re-applied after a lost race (`Reapplied-From`: they also hold others' changes).
 */
export async function baseFromSource(ws: Workspace, branch: string, sourceDir: string, limit = 200): Promise<string | undefined> {
  const head = await ws.branchHead(branch);
  if (!head) return undefined;
  const source = new GitRunner({ cwd: sourceDir });
  const sourceHead = await source.tryText(['rev-parse', '--verify', '--quiet', 'HEAD']);
  if (!sourceHead) return undefined;
  const log = await ws.git.text(['log', `-${limit}`, '--format=%H%x00%B%x01', head]);
  for (const record of log.split('\x01')) {
    const [commit, message] = record.trim().split('\0');
    if (!commit || message === undefined) continue;
    const trailers = parseCommitMessage(message).trailers;
    const from = trailers.get(TRAILER.sourceCommit)?.[0];
    if (!from || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(from) || trailers.has(TRAILER.reappliedFrom)) continue;
    if (from === sourceHead || (await source.run(['merge-base', '--is-ancestor', from, sourceHead], { allowFailure: true })).exitCode === 0) return commit;
  }
  return undefined;
}

/**
 * The program's tree with the changes that landed since its bases kept: for each file where the
 * head differs from a base, if the program's tree holds that base's version (the program did not
 * change the file since), the head's version is taken (or its removal, or a file another
 * publisher added). Files the program changed are left as the program has them: when the head
 * changed them too, the stale-source check reports them. Files bound to package revisions are
 * never taken (their locks are resolved on the head). Returns the tree and the kept paths.
 */
export async function keepLanded(
  ws: Workspace,
  tree: RepoTree,
  bases: readonly string[],
  head: TreeSnapshot,
): Promise<{ tree: RepoTree; kept: string[] }> {
  if (!head.commit || bases.length === 0) return { tree, kept: [] };
  const candidates = new Set<string>();
  for (const base of bases) {
    if (base === head.commit) continue;
    for (const p of await ws.changedPaths(base, head.commit)) candidates.add(p);
  }
  candidates.delete(OWNERSHIP_MANIFEST_PATH);
  for (const binding of tree.revisionBindings()) candidates.delete(binding.path);
  if (candidates.size === 0) return { tree, kept: [] };
  const snapshots = await Promise.all(bases.map(b => ws.snapshot(b)));
  const ownedAtHead = new Set((await readOwnedPathsAt(ws, head)) ?? []);
  const kept: string[] = [];
  for (const p of [...candidates].sort(comparePaths)) {
    const ours = tree.get(p);
    const ourId = ours ? ws.blobId(ours) : undefined;
    const theirId = head.get(p)?.id;
    if (ourId === theirId) continue;
    if (!snapshots.some(s => s.get(p)?.id === ourId)) continue;
    if (theirId === undefined ? ours !== undefined : (ours !== undefined || ownedAtHead.has(p))) kept.push(p);
  }
  if (kept.length === 0) return { tree, kept };
  const merged = tree.withRevisions(() => undefined);
  const contents = await ws.readFiles(head, kept);
  for (const p of kept) {
    const content = contents.get(p);
    if (content === undefined) merged.removeFile(p);
    else merged.setFile(p, content);
  }
  return { tree: merged, kept };
}
