import { ChangeSet, changeBetween, contentPaths, isEmptyChange, reapplyChange } from './change';
import { ChangeSummary, summarizeChange } from './change-summary';
import { buildCommitMessage, parseCommitMessage, TRAILER } from './commit-message';
import { GitOpsError, ReviewGateError } from './errors';
import { ForgeProvider } from './forges/forge';
import { listGitApprovals, recordGitApproval } from './git-reviews';
import { shellQuote } from './hints';
import { GitIdentity, resolveIdentity } from './identity';
import { RepositoryLayout } from './layout';
import { approveProposal, parseProposalBranch, PROPOSED_PREFIX } from './proposal';
import { isAncestor, reviewBranchName, withRemoteHead } from './publish';
import { Approval, evaluateGate, gateRequirements, GateStatus, loadReviewPolicy, ReviewPolicy } from './review-gate';
import { revisionTagPushes } from './revisions';
import { TreeSnapshot } from './snapshot';
import { withWorkspace, Workspace, WorkspaceOptions } from './workspace';
import { OWNERSHIP_MANIFEST_PATH } from '../repo/ownership';

/** Where a review is and what gate applies. */
export interface ReviewOptions extends WorkspaceOptions {
  /** The branch the change goes into. @default 'main' */
  readonly branch?: string;
  /**
   * The forge hosting the pull request; approvals then live in its reviews API.
   * @default - plain git: approvals are refs under refs/nephoran/reviews/
   */
  readonly forge?: ForgeProvider;
  /** @default - the repository's .nephoran/review-policy on the target branch, else no gate */
  readonly reviewPolicy?: ReviewPolicy;
  /** Pushes tried when the target moves meanwhile. @default 5 */
  readonly maxPushAttempts?: number;
}

/** The state of one review. */
export interface ReviewStatus {
  readonly reviewBranch: string;
  readonly target: string;
  /** The commit under review (the review branch head). */
  readonly head: string;
  /** Where the review branch left the target. */
  readonly base?: string;
  readonly changeId?: string;
  /** Authors of the change: emails on plain git, the pull request's author on a forge. */
  readonly authors: readonly string[];
  readonly gate: GateStatus;
  readonly pullRequest?: { readonly number: number; readonly url: string };
  readonly proposal?: { readonly packagePath: string; readonly workspaceName: string };
  readonly summary: ChangeSummary;
  /**
   * Set when the target already holds every file this review changes, as the review would write
   * it (an emergency rollback pushed directly while its pull request waited): merging would add
   * nothing, so approve and merge refuse it. Close the review (delete its branch).
   */
  readonly superseded?: Supersession;
}

/** Why a review is superseded. */
export interface Supersession {
  /** The last commit of the target that changed the review's files. */
  readonly by: string;
  /** For people, one sentence. */
  readonly reason: string;
}

/** One open review, as `review list` shows it. */
export interface ReviewListEntry {
  readonly reviewBranch: string;
  /** The commit at the head of the review branch. */
  readonly head: string;
  readonly changeId?: string;
  /** The commit the review rolls back to, for a rollback review. */
  readonly rollbackTo?: string;
  readonly superseded?: Supersession;
}

/** What a merge did. */
export interface MergeResult {
  readonly reviewBranch: string;
  readonly target: string;
  /** The commit now at the head of the target branch. */
  readonly commit: string;
  readonly approvals: readonly Approval[];
  /** For a proposal: the Porch revision tag pushed with the approval. */
  readonly tag?: string;
  readonly revision?: number;
  /** Things to fix outside this merge, for people (the remote's HEAD, see PublishResult.hints). */
  readonly hints?: readonly string[];
  readonly description: string;
}

/** The gate status of a review branch (or change id). */
export async function reviewStatus(review: string, options: ReviewOptions): Promise<ReviewStatus> {
  return withWorkspace(options, async ws => (await assess(ws, review, options)).status);
}

/**
 * Approves the commit now at the head of a review branch. On plain git the approval is recorded
 * as `refs/nephoran/reviews/<commit>/<reviewer>`; on a forge, as a review through its API.
 */
export async function approveReview(review: string, options: ReviewOptions & {
  /** @default - GIT_AUTHOR_NAME/EMAIL, else git config user.name/user.email (plain git only) */
  readonly reviewer?: GitIdentity;
}): Promise<{ readonly recorded: boolean; readonly status: ReviewStatus }> {
  return withWorkspace(options, async ws => {
    const { status } = await assess(ws, review, options);
    if (status.superseded) throw new GitOpsError(`not approved: ${status.superseded.reason}`);
    let recorded: boolean;
    if (options.forge && !status.proposal) {
      await options.forge.approve(status.pullRequest!.number, status.head, `Approved commit ${status.head} with nephoran.`);
      recorded = true;
    } else {
      const reviewer = await resolveIdentity('author', options.reviewer, options.cwd ?? process.cwd(), '--reviewer');
      recorded = await recordGitApproval(ws, status.head, reviewer, status.reviewBranch);
      await ws.fetch();
    }
    return { recorded, status: (await assess(ws, review, options)).status };
  });
}

/**
 * Merges a review once its gate is met; refuses with what is missing otherwise. Plain git: a
 * merge commit on the target (re-applied if the target moved) recording the approvals as
 * Approved-by trailers, pushed atomically with the removal of the review branch. Forge: the
 * forge's merge, pinned to the approved commit. Proposal branch: Porch's approval (commit + tag).
 */
export async function mergeReview(review: string, options: ReviewOptions & {
  /** @default - GIT_COMMITTER_NAME/EMAIL, else git config user.name/user.email */
  readonly committer?: GitIdentity;
}): Promise<MergeResult> {
  return withWorkspace(options, async ws => {
    const merged = await mergeIn(ws, review, options);
    return withRemoteHead(ws, merged, merged.target);
  });
}

async function mergeIn(ws: Workspace, review: string, options: ReviewOptions & { readonly committer?: GitIdentity }): Promise<MergeResult> {
  const maxAttempts = Math.max(1, options.maxPushAttempts ?? 5);
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const { status, change } = await assess(ws, review, options);
    if (status.superseded) throw new GitOpsError(`not merged: ${status.superseded.reason}`);
    if (!status.gate.met) {
      throw new ReviewGateError(`cannot merge ${status.reviewBranch} into ${status.target}: the review gate is not met.\n${status.gate.missing.map(m => `  - ${m}`).join('\n')}`, status.gate.missing);
    }
    const approvals = status.gate.approvals;
    const approvedBy = approvals.map(a => a.display);
    const committer = options.committer ?? await resolveIdentity('committer', undefined, options.cwd ?? process.cwd());
    if (status.proposal) {
      const approved = await approveProposal(ws, {
        proposalBranch: status.reviewBranch,
        target: status.target,
        head: status.head,
        change,
        approvals: approvedBy,
        committer,
        changeId: status.changeId,
        maxAttempts,
      });
      return {
        reviewBranch: status.reviewBranch,
        target: status.target,
        commit: approved.commit,
        approvals,
        tag: approved.tag,
        revision: approved.revision,
        description: `Approved ${status.proposal.packagePath} revision ${approved.revision}: ${approved.commit.slice(0, 12)} on ${status.target}, tag ${approved.tag}.`,
      };
    }
    const headMessage = parseCommitMessage(await ws.git.text(['log', '-1', '--format=%B', status.head]));
    const title = `Merge ${status.reviewBranch} into ${status.target}: ${headMessage.subject}`;
    const message = buildCommitMessage({
      title,
      trailers: [
        [TRAILER.changeId, status.changeId],
        [TRAILER.sourceCommit, headMessage.trailers.get(TRAILER.sourceCommit)?.[0]],
        ...(headMessage.trailers.get(TRAILER.rollbackTo) ?? []).map(v => [TRAILER.rollbackTo, v] as const),
        [TRAILER.reviewedCommit, status.head],
        ...approvedBy.map(a => [TRAILER.approvedBy, a] as const),
      ],
    });
    // The review's revision commits become published revisions as main takes them.
    const reviewBase = await ws.branchHead(status.target).then(t => t ? ws.tryMergeBase(t, status.head) : undefined);
    const tagPushes = await revisionTagPushes(ws, reviewBase, status.head);
    if (options.forge) {
      await options.forge.merge(status.pullRequest!.number, { sha: status.head, title, message: message.split('\n').slice(2).join('\n') });
      await ws.fetch();
      if (await ws.branchHead(status.reviewBranch)) {
        await ws.push([{ source: '', ref: `refs/heads/${status.reviewBranch}`, expect: status.head }]).catch(() => undefined);
      }
      const commit = (await ws.branchHead(status.target)) ?? status.head;
      if (tagPushes.length > 0) {
        const tagged = await ws.push(tagPushes);
        if (!tagged.ok) throw new GitOpsError(`merged pull request #${status.pullRequest!.number}, but its revision tags ${tagPushes.map(t => t.ref.slice('refs/tags/'.length)).join(', ')} were taken meanwhile; publish again to renumber them`);
      }
      return { reviewBranch: status.reviewBranch, target: status.target, commit, approvals, description: `Merged pull request #${status.pullRequest!.number} into ${status.target} (${commit.slice(0, 12)}).` };
    }
    const targetHead = await ws.branchHead(status.target);
    const onTarget = await reapplyChange(ws, change, await ws.snapshot(targetHead));
    const commit = await ws.commit({
      parents: [...(targetHead ? [targetHead] : []), status.head],
      ops: isEmptyChange(onTarget) ? [] : onTarget.ops,
      message,
      author: committer,
      committer,
    });
    const outcome = await ws.push([
      { source: commit, ref: `refs/heads/${status.target}` },
      { source: '', ref: `refs/heads/${status.reviewBranch}`, expect: status.head },
      ...tagPushes,
    ]);
    if (outcome.ok) {
      return { reviewBranch: status.reviewBranch, target: status.target, commit, approvals, description: `Merged ${status.reviewBranch} into ${status.target} as ${commit.slice(0, 12)}, approved by ${approvedBy.join(', ') || 'nobody (no approval needed)'}.` };
    }
    ws.log(`${status.target} or ${status.reviewBranch} moved meanwhile: fetching and trying again (attempt ${attempt} of ${maxAttempts})`);
    await ws.fetch();
  }
  throw new GitOpsError(`the target kept moving: gave up merging after ${maxAttempts} attempts; nothing was pushed`);
}

/** Open reviews: the remote's `nephoran/*` and `proposed/*` branches. */
export async function listReviews(options: WorkspaceOptions): Promise<string[]> {
  return withWorkspace(options, ws => openReviewBranches(ws));
}

/** Open reviews with their head, change id and whether the target already holds them (superseded). */
export async function listReviewStates(options: WorkspaceOptions & { readonly branch?: string }): Promise<ReviewListEntry[]> {
  const target = options.branch ?? 'main';
  return withWorkspace(options, async ws => {
    const targetHead = await ws.branchHead(target);
    const targetSnapshot = await ws.snapshot(targetHead);
    const entries: ReviewListEntry[] = [];
    for (const reviewBranch of await openReviewBranches(ws)) {
      const head = (await ws.branchHead(reviewBranch))!;
      const message = parseCommitMessage(await ws.git.text(['log', '-1', '--format=%B', head]));
      let superseded: Supersession | undefined;
      if (targetHead && !await isAncestor(ws, head, targetHead)) {
        const base = await ws.tryMergeBase(targetHead, head);
        superseded = await supersession(ws, reviewBranch, target, targetSnapshot, await changeBetween(ws, await ws.snapshot(base), head));
      }
      entries.push({
        reviewBranch,
        head,
        changeId: message.trailers.get(TRAILER.changeId)?.[0],
        rollbackTo: message.trailers.get(TRAILER.rollbackTo)?.[0],
        superseded,
      });
    }
    return entries;
  });
}

/**
 * Whether the target already holds every file the review's change writes or removes, as the
 * review has it; then the review is superseded, and the commit of the target that last changed
 * those files is named.
 */
async function supersession(
  ws: Workspace,
  reviewBranch: string,
  target: string,
  targetSnapshot: TreeSnapshot,
  change: ChangeSet,
): Promise<Supersession | undefined> {
  const paths = contentPaths(change);
  const targetHead = targetSnapshot.commit;
  if (paths.length === 0 || !targetHead) return undefined;
  for (const op of change.ops) {
    if (op.path === OWNERSHIP_MANIFEST_PATH) continue;
    const there = targetSnapshot.get(op.path);
    if (op.after ? there?.id !== op.after.id : there !== undefined) return undefined;
  }
  const by = (await ws.git.text(['log', '-1', '--first-parent', '--format=%H', targetHead, '--', ...paths])) || targetHead;
  const subject = await ws.git.text(['log', '-1', '--format=%s', by]);
  return {
    by,
    reason: `${reviewBranch} is superseded: ${target} already holds every file it changes, since ${by.slice(0, 12)} ("${subject}"). Merging it would change nothing; delete the branch to close it (git push ${shellQuote(ws.remote)} --delete ${shellQuote(reviewBranch)}).`,
  };
}

async function openReviewBranches(ws: Workspace): Promise<string[]> {
  const refs = await ws.git.text(['for-each-ref', '--format=%(refname:strip=2)', 'refs/heads/nephoran/', `refs/heads/${PROPOSED_PREFIX}`]);
  return refs.split('\n').filter(r => r);
}

/** Finds the review branch, the change it carries, its approvals and the gate. */
async function assess(ws: Workspace, review: string, options: ReviewOptions): Promise<{ status: ReviewStatus; change: ChangeSet }> {
  const target = options.branch ?? 'main';
  const reviewBranch = await findReviewBranch(ws, review);
  const proposal = parseProposalBranch(reviewBranch);
  let head = (await ws.branchHead(reviewBranch))!;
  const pullRequest = options.forge && !proposal ? await options.forge.findOpenPullRequest(reviewBranch, target) : undefined;
  if (options.forge && !proposal && !pullRequest) {
    throw new GitOpsError(`no open pull request from ${reviewBranch} into ${target} on ${options.forge.name} ${options.forge.repository}`);
  }
  if (pullRequest && pullRequest.headSha !== head) {
    await ws.fetch();
    head = (await ws.branchHead(reviewBranch)) ?? pullRequest.headSha;
  }
  const targetHead = await ws.branchHead(target);
  if (targetHead && await isAncestor(ws, head, targetHead)) {
    throw new GitOpsError(`${reviewBranch} is already merged into ${target}`);
  }
  const base = targetHead ? await ws.tryMergeBase(targetHead, head) : undefined;
  const baseSnapshot = await ws.snapshot(base);
  const targetSnapshot = base === targetHead ? baseSnapshot : await ws.snapshot(targetHead);
  const change = await changeBetween(ws, baseSnapshot, head);
  const policy = await loadReviewPolicy(ws, targetSnapshot, options.reviewPolicy);
  const headSnapshot = await ws.snapshot(head);
  const layout = new RepositoryLayout([...targetSnapshot.paths(), ...headSnapshot.paths()]);
  const requirements = gateRequirements(policy, contentPaths(change), layout);
  const range = base ? `${base}..${head}` : head;
  const commits = new Set((await ws.git.text(['rev-list', range])).split('\n').filter(c => c));
  let authors: string[];
  let approvals: Approval[];
  if (pullRequest) {
    authors = [pullRequest.author];
    approvals = (await options.forge!.listReviews(pullRequest.number))
      .filter(r => r.state === 'approved')
      .map(r => ({ reviewer: r.reviewer, display: r.reviewer, commit: r.commitSha, at: r.submittedAt }));
  } else {
    authors = [...new Set((await ws.git.text(['log', '--no-merges', '--format=%ae', range])).split('\n').filter(a => a))];
    approvals = await listGitApprovals(ws, { commits, reviewBranch });
  }
  const headMessage = parseCommitMessage(await ws.git.text(['log', '-1', '--format=%B', head]));
  const superseded = await supersession(ws, reviewBranch, target, targetSnapshot, change);
  return {
    change,
    status: {
      reviewBranch,
      target,
      head,
      base,
      authors,
      changeId: headMessage.trailers.get(TRAILER.changeId)?.[0],
      gate: evaluateGate(requirements, approvals, authors, head),
      pullRequest: pullRequest && { number: pullRequest.number, url: pullRequest.url },
      proposal,
      summary: await summarizeChange(ws, change),
      superseded,
    },
  };
}

/** A branch name, or a change id whose review branch exists. */
async function findReviewBranch(ws: Workspace, review: string): Promise<string> {
  const candidates = [review, ...(/^I[0-9a-f]{12,40}$/.test(review) ? [reviewBranchName(review)] : [])];
  for (const candidate of candidates) {
    if (!candidate.startsWith('-') && await ws.branchHead(candidate)) return candidate;
  }
  const open = await openReviewBranches(ws);
  throw new GitOpsError(`no review branch "${review}" on ${ws.remote}. ${open.length ? `Open reviews: ${open.join(', ')}` : 'There are no open reviews.'}`);
}
