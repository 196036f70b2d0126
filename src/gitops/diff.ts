import { isEmptyChange, planTreeChange } from './change';
import { ChangeSummary, NO_CHANGES, summarizeChange } from './change-summary';
import { UndoneChange } from './errors';
import { ExternalRevisions, planRevisions } from './revisions';
import { findUndoneChanges, keepLanded, programBases } from './stale-source';
import { withWorkspace, WorkspaceOptions } from './workspace';
import { PackageRevision, RepoTree } from '../repo/repo-tree';

/** Which branch to compare against. */
export interface DiffOptions extends WorkspaceOptions {
  /** @default 'main' */
  readonly branch?: string;
  /**
   * Revisions of packages in other repositories of a set that this tree's variants lock to (the
   * `revisions` of the management repository's diff).
   * @default - none: such variants are compared as synthesized
   */
  readonly externalRevisions?: ExternalRevisions;
  /** Packages of this tree other repositories of a set lock to (see PublishOptions). @default - none */
  readonly boundElsewhere?: readonly string[];
  /** The program's base (see PublishOptions.base). @default - what this cache recorded */
  readonly base?: string;
  /** Folder of the source program (see PublishOptions.sourceDir). @default cwd */
  readonly sourceDir?: string;
}

/** A synthesized tree against a remote branch. */
export interface TreeDiff {
  /** True when publishing the tree would change the branch. */
  readonly different: boolean;
  readonly branch: string;
  /** The branch head compared against; undefined when the branch does not exist yet. */
  readonly commit?: string;
  readonly summary: ChangeSummary;
  /**
   * The package revisions publishing would lock to, by package path; new ones (not yet tagged on
   * the remote) are in `newRevisions`.
   */
  readonly revisions: readonly PackageRevision[];
  /** Revision tags publishing would create. */
  readonly newRevisions: readonly string[];
  /**
   * Changes made on the branch since the program's base that publishing would undo: publish
   * refuses them unless allowRevert.
   */
  readonly undone: readonly UndoneChange[];
  /** Files changed since the program's base that it does not hold: publish keeps them as they are. */
  readonly kept: readonly string[];
}

const DIFF_IDENTITY = { name: 'nephoran diff', email: 'diff@nephoran.invalid' };

/**
 * What publishing `tree` would change on the branch, per cluster, package and object (with the
 * changed fields). Resolves package revisions as publish does (a changed blueprint is compared as
 * its next revision, committed only in the local cache), so an unchanged program shows no
 * difference. Writes nothing to the remote.
 */
export async function diffTree(tree: RepoTree, options: DiffOptions): Promise<TreeDiff> {
  const branch = options.branch ?? 'main';
  return withWorkspace(options, async ws => {
    const commit = await ws.branchHead(branch);
    const base = await ws.snapshot(commit);
    const bases = await programBases(ws, branch, options.base, options.sourceDir ?? options.cwd ?? process.cwd());
    const views = bases.all;
    const merged = await keepLanded(ws, tree, bases.onBranch, base);
    const kept = merged.kept;
    const plan = await planRevisions(ws, merged.tree, base, {
      external: options.externalRevisions,
      boundElsewhere: options.boundElsewhere,
      identity: async () => ({ author: DIFF_IDENTITY, committer: DIFF_IDENTITY, trailers: [] }),
    });
    const change = await planTreeChange(ws, plan.tree, base);
    const revisions = [...plan.revisions.values()].sort((a, b) => (a.packagePath < b.packagePath ? -1 : a.packagePath > b.packagePath ? 1 : 0));
    const newRevisions = plan.created.map(r => r.tag);
    if (isEmptyChange(change) && newRevisions.length === 0) {
      return { different: false, branch, commit, summary: NO_CHANGES, revisions, newRevisions, undone: [], kept };
    }
    const overall = plan.base === base ? change : await planTreeChange(ws, plan.tree, base);
    const undone = views.length > 0 ? await findUndoneChanges(ws, views, base, overall) : [];
    return { different: true, branch, commit, summary: await summarizeChange(ws, change), revisions, newRevisions, undone, kept };
  });
}
