import { ChangeSet, contentPaths } from './change';
import { parseCommitMessage, TRAILER } from './commit-message';
import { GitOpsError, StaleSourceError, UndoneChange } from './errors';
import { GitRunner } from './git';
import { TreeSnapshot } from './snapshot';
import { Workspace } from './workspace';

/**
 * The commits of the branch the program has seen: `base` when given (a commit, tag or branch of
 * the cache), else what this cache recorded (Workspace.recordedBases), else (a fresh cache: a new
 * checkout, a CI runner) the newest publish made from the program's own sources (baseFromSource).
 */
export async function programBases(ws: Workspace, branch: string, base?: string, sourceDir?: string): Promise<string[]> {
  if (base === undefined) {
    const recorded = await ws.recordedBases(branch);
    if (recorded.length > 0 || sourceDir === undefined) return recorded;
    const fromSource = await baseFromSource(ws, branch, sourceDir);
    if (fromSource) ws.log(`no base recorded for ${branch} in this cache: taking ${fromSource.slice(0, 12)}, the newest publish from a commit of this program's sources`);
    return fromSource ? [fromSource] : [];
  }
  const commit = await ws.resolve(base);
  if (!commit) throw new GitOpsError(`the base "${base}" is not a commit, tag or branch of ${ws.remote} (after fetching ${branch}); pass the commit of ${branch} the program was last synthesized against`);
  return [commit];
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
    const log = await ws.git.text(['log', '--format=%H%x00%an <%ae>%x00%s', head.commit, '--not', ...views, '--', path]);
    const commits = log.split('\n').filter(l => l).map(l => {
      const [commit, author, subject] = l.split('\0');
      return { commit, author, subject };
    });
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
