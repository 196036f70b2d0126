import { RepoTree } from '../repo/repo-tree';
import { isEmptyChange, planTreeChange } from './change';
import { ChangeSummary, NO_CHANGES, summarizeChange } from './change-summary';
import { withWorkspace, WorkspaceOptions } from './workspace';

/** Which branch to compare against. */
export interface DiffOptions extends WorkspaceOptions {
  /** @default 'main' */
  readonly branch?: string;
}

/** A synthesized tree against a remote branch. */
export interface TreeDiff {
  /** True when publishing the tree would change the branch. */
  readonly different: boolean;
  readonly branch: string;
  /** The branch head compared against; undefined when the branch does not exist yet. */
  readonly commit?: string;
  readonly summary: ChangeSummary;
}

/**
 * What publishing `tree` would change on the branch, per cluster, package and object (with the
 * changed fields). Writes nothing to the remote.
 */
export async function diffTree(tree: RepoTree, options: DiffOptions): Promise<TreeDiff> {
  const branch = options.branch ?? 'main';
  return withWorkspace(options, async ws => {
    const commit = await ws.branchHead(branch);
    const change = await planTreeChange(ws, tree, await ws.snapshot(commit));
    if (isEmptyChange(change)) return { different: false, branch, commit, summary: NO_CHANGES };
    return { different: true, branch, commit, summary: await summarizeChange(ws, change) };
  });
}
