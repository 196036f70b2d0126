import { ChangeSet, contentPaths, isEmptyChange, planTreeChange, reapplyChange, restrictChange } from './change';
import { ChangeSummary } from './change-summary';
import { buildCommitMessage, summaryForCommit, TRAILER } from './commit-message';
import { GitOpsError } from './errors';
import { GitIdentity } from './identity';
import type { PreparedPublish } from './publish';
import { Workspace } from './workspace';
import { DNS1123_LABEL as DNS_LABEL } from '../repo/names';
import { RepoTree } from '../repo/repo-tree';

/**
 * Porch's git conventions: a proposed package revision is the branch
 * `proposed/<package-path>/<workspace>`; approving it writes an `Approve <path>/<N>` commit on the
 * registered branch, whose message ends with a `kpt:{...}` line, and pushes the tag `<path>/v<N>`
 * in the same atomic push.
 */
export const PROPOSED_PREFIX = 'proposed/';

/** One package proposed for approval. */
export interface ProposalBranch {
  readonly packagePath: string;
  readonly workspaceName: string;
  readonly branch: string;
  /** The commit pushed; undefined when the branch already held this change. */
  readonly commit?: string;
}

/** An approved proposal: the commit on the target branch and the revision tag. */
export interface ApprovedRevision {
  readonly commit: string;
  readonly tag: string;
  readonly revision: number;
}

/** `proposed/<path>/<workspace>`. */
export function proposalBranchName(packagePath: string, workspaceName: string): string {
  return `${PROPOSED_PREFIX}${packagePath}/${workspaceName}`;
}

/** The package path and workspace of a proposal branch, or undefined for other branches. */
export function parseProposalBranch(branch: string): { packagePath: string; workspaceName: string } | undefined {
  if (!branch.startsWith(PROPOSED_PREFIX)) return undefined;
  const rest = branch.slice(PROPOSED_PREFIX.length);
  const slash = rest.lastIndexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  return { packagePath: rest.slice(0, slash), workspaceName: rest.slice(slash + 1) };
}


/** Porch requires a package path, with its `/` removed, to be a DNS-1123 label. */
export function checkPorchPackagePath(packagePath: string): string | undefined {
  const joined = packagePath.replace(/\//g, '');
  if (joined.length > 63 || !DNS_LABEL.test(joined)) {
    return `package path "${packagePath}" is not usable by Porch: without its "/" it must be a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)`;
  }
  return undefined;
}

/**
 * Pushes one `proposed/<package>/<workspace>` branch per changed package, each holding the target
 * branch plus that package's change. Changes outside kpt packages, and package deletions, are
 * refused: Porch has no proposal for them.
 */
export async function publishProposals(p: PreparedPublish, tree: RepoTree, change: ChangeSet, summary: ChangeSummary): Promise<ProposalBranch[]> {
  const { ws } = p;
  const packages = new Set([...change.base.packageFolders(), ...tree.paths().filter(f => f === 'Kptfile' || f.endsWith('/Kptfile')).map(f => f.slice(0, -'Kptfile'.length).replace(/\/$/, ''))]);
  const byPackage = new Map<string, Set<string>>();
  const outside: string[] = [];
  for (const path of contentPaths(change)) {
    const pkg = nearestPackage(path, packages);
    if (pkg === undefined || pkg === '') outside.push(path);
    else byPackage.set(pkg, (byPackage.get(pkg) ?? new Set()).add(path));
  }
  if (outside.length > 0) {
    throw new GitOpsError(`proposal mode publishes kpt packages only, and these changed files lie outside any package (no Kptfile above them): ${outside.slice(0, 10).join(', ')}${outside.length > 10 ? ` and ${outside.length - 10} more` : ''}. Publish them with --mode pull-request.`);
  }
  const problems: string[] = [];
  for (const pkg of byPackage.keys()) {
    const problem = checkPorchPackagePath(pkg);
    if (problem) problems.push(problem);
    if (!tree.has(`${pkg}/Kptfile`)) problems.push(`package ${pkg} is removed: Porch deletes packages through deletionProposed, which this mode does not write; use --mode pull-request`);
  }
  if (problems.length > 0) throw new GitOpsError(problems.join('\n'));
  const workspaceName = p.options.workspaceName ?? `ws-${p.changeId.slice(1, 9)}`;
  if (!DNS_LABEL.test(workspaceName) || workspaceName.length > 63) {
    throw new GitOpsError(`workspace name "${workspaceName}" must be a DNS-1123 label (lowercase letters, digits and "-")`);
  }
  const proposals: ProposalBranch[] = [];
  const pushes: Array<{ source: string; ref: string; expect: string }> = [];
  for (const [pkg, paths] of [...byPackage].sort(([a], [b]) => a.localeCompare(b))) {
    const branch = proposalBranchName(pkg, workspaceName);
    const part = restrictChange(ws, change, paths);
    const existing = await ws.branchHead(branch);
    if (existing) {
      const again = await planTreeChange(ws, tree, await ws.snapshot(existing)).catch(() => undefined);
      if (again && contentPaths(again).every(path => !paths.has(path))) {
        proposals.push({ packagePath: pkg, workspaceName, branch });
        continue;
      }
    }
    const packageSummary = { ...summary, groups: summary.groups.filter(g => g.packagePath === pkg) };
    const commit = await ws.commit({
      parents: part.base.commit ? [part.base.commit] : [],
      ops: part.ops,
      message: buildCommitMessage({
        title: `${p.title} (${pkg})`,
        body: summaryForCommit(packageSummary),
        trailers: p.trailers,
        kpt: { package: pkg, workspaceName },
      }),
      author: p.author,
      committer: p.committer,
    });
    pushes.push({ source: commit, ref: `refs/heads/${branch}`, expect: existing ?? '' });
    proposals.push({ packagePath: pkg, workspaceName, branch, commit });
  }
  if (pushes.length > 0) {
    const outcome = await ws.push(pushes);
    if (!outcome.ok) throw new GitOpsError(`proposal branches changed on the remote meanwhile (${outcome.rejected.map(r => r.ref).join(', ')}); publish again`);
  }
  return proposals;
}

/**
 * Approves a proposal the way Porch does: a commit on the target branch whose first parent is
 * the branch head and second the proposal, titled `Approve <path>/<N>`, ending with the `kpt:`
 * line; pushed atomically with the tag `<path>/v<N>` and the removal of the proposal branch,
 * and only if the target did not move (else fetched, re-applied and tried again).
 */
export async function approveProposal(ws: Workspace, args: {
  readonly proposalBranch: string;
  readonly target: string;
  readonly head: string;
  readonly change: ChangeSet;
  readonly approvals: readonly string[];
  readonly committer: GitIdentity;
  readonly changeId?: string;
  readonly maxAttempts?: number;
}): Promise<ApprovedRevision> {
  const proposal = parseProposalBranch(args.proposalBranch);
  if (!proposal) throw new GitOpsError(`${args.proposalBranch} is not a proposal branch (proposed/<package>/<workspace>)`);
  const maxAttempts = Math.max(1, args.maxAttempts ?? 5);
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const targetHead = await ws.branchHead(args.target);
    const change = await reapplyChange(ws, args.change, await ws.snapshot(targetHead));
    const revision = await nextRevision(ws, proposal.packagePath);
    const message = buildCommitMessage({
      title: `Approve ${proposal.packagePath}/${revision}`,
      trailers: [
        [TRAILER.changeId, args.changeId],
        [TRAILER.reviewedCommit, args.head],
        ...args.approvals.map(a => [TRAILER.approvedBy, a] as const),
      ],
      kpt: { package: proposal.packagePath, workspaceName: proposal.workspaceName, revision: String(revision) },
    });
    const commit = await ws.commit({
      parents: [...(targetHead ? [targetHead] : []), args.head],
      ops: isEmptyChange(change) ? [] : change.ops,
      message,
      author: args.committer,
      committer: args.committer,
    });
    const tag = `${proposal.packagePath}/v${revision}`;
    const outcome = await ws.push([
      { source: commit, ref: `refs/heads/${args.target}` },
      { source: commit, ref: `refs/tags/${tag}`, expect: '' },
      { source: '', ref: `refs/heads/${args.proposalBranch}`, expect: args.head },
    ]);
    if (outcome.ok) return { commit, tag, revision };
    ws.log(`${args.target} or the tags moved meanwhile: fetching and trying again (attempt ${attempt} of ${maxAttempts})`);
    await ws.fetch();
    if ((await ws.branchHead(args.proposalBranch)) !== args.head) {
      throw new GitOpsError(`${args.proposalBranch} changed or was removed meanwhile: its approvals no longer apply; check ${ws.command('review', 'status', args.proposalBranch)}`);
    }
  }
  throw new GitOpsError(`${args.target} kept moving: gave up approving ${args.proposalBranch} after ${maxAttempts} attempts; nothing was pushed`);
}

/** One more than the highest `<path>/v<N>` tag. */
async function nextRevision(ws: Workspace, packagePath: string): Promise<number> {
  const tags = await ws.git.text(['for-each-ref', '--format=%(refname)', `refs/tags/${packagePath}/`]);
  let highest = 0;
  for (const ref of tags.split('\n')) {
    const match = /\/v(\d+)$/.exec(ref);
    if (match && ref === `refs/tags/${packagePath}/v${match[1]}`) highest = Math.max(highest, Number(match[1]));
  }
  return highest + 1;
}

function nearestPackage(path: string, packages: ReadonlySet<string>): string | undefined {
  const parts = path.split('/');
  for (let i = parts.length - 1; i >= 1; i--) {
    const folder = parts.slice(0, i).join('/');
    if (packages.has(folder)) return folder;
  }
  return packages.has('') ? '' : undefined;
}
