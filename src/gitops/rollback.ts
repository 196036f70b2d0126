import { ownedTreeAt } from './change';
import { TRAILER } from './commit-message';
import { GitOpsError } from './errors';
import { PublishOptions, publishInWorkspace, PublishResult, withRemoteHead } from './publish';
import { withWorkspace } from './workspace';

/** What to restore, and how. */
export interface RollbackOptions extends Omit<PublishOptions, 'mode'> {
  /** A commit, tag or branch of the remote whose owned paths are restored. */
  readonly to: string;
  /**
   * Push directly even when the review gate needs approvals. Recorded in the commit as an
   * `Emergency: true` trailer.
   * @default false
   */
  readonly emergency?: boolean;
  /** @default 'direct' */
  readonly mode?: 'direct' | 'pull-request';
}

/**
 * Restores the owned paths as they were at a revision, in a new commit on top of the branch
 * (history is kept). Goes through the same review gate as a publish unless `emergency`.
 */
export async function rollback(options: RollbackOptions): Promise<PublishResult> {
  if (!options.to) throw new GitOpsError('rollback needs a revision: --to <commit|tag>');
  return withWorkspace(options, async ws => {
    const commit = await ws.resolve(options.to);
    if (!commit) {
      throw new GitOpsError(`"${options.to}" is not a commit, tag or branch of ${ws.remote} (after fetching its branches and tags)`);
    }
    const tree = await ownedTreeAt(ws, await ws.snapshot(commit));
    const short = commit.slice(0, 12);
    const label = options.to === commit || options.to === short ? short : `${options.to} (${short})`;
    return withRemoteHead(ws, await publishInWorkspace(ws, tree, { ...options, mode: options.mode ?? 'direct' }, {
      defaultTitle: `${options.emergency ? 'Emergency rollback' : 'Roll back'} to ${label}`,
      trailers: [[TRAILER.rollbackTo, commit], ...(options.emergency ? [[TRAILER.emergency, 'true'] as const] : [])],
      bypassGate: options.emergency ?? false,
      // Undoing what landed since the restored commit is the point of a rollback.
      restores: true,
      reviewBranch: `nephoran/rollback-${short}`,
      retryCommand: ['rollback', '--to', options.to],
    }));
  });
}
