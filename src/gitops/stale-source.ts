import { ChangeSet, contentPaths } from './change';
import { GitOpsError, StaleSourceError, UndoneChange } from './errors';
import { TreeSnapshot } from './snapshot';
import { Workspace } from './workspace';

/**
 * The commits of the branch the program has seen: `base` when given (a commit, tag or branch of
 * the cache), else what this cache recorded (Workspace.recordedBases).
 */
export async function programBases(ws: Workspace, branch: string, base?: string): Promise<string[]> {
  if (base === undefined) return ws.recordedBases(branch);
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
