import { createHash } from 'crypto';
import { buildCommitMessage, TRAILER } from './commit-message';
import { formatIdentity, GitIdentity } from './identity';
import { Approval } from './review-gate';
import { Workspace } from './workspace';

/**
 * On a plain git remote, each approval is a ref `refs/nephoran/reviews/<commit>/<reviewer>`
 * pointing at a small commit authored by the reviewer, whose parent is the approved commit. One
 * ref per reviewer and commit: approvals never race each other, a new push (a new head commit)
 * starts with none, and the records are fetched and read with git alone.
 */
export const REVIEW_REF_PREFIX = 'refs/nephoran/reviews/';

/** The ref that records `reviewer`'s approval of `commit`. */
export function approvalRef(commit: string, reviewerEmail: string): string {
  return `${REVIEW_REF_PREFIX}${commit}/${createHash('sha256').update(reviewerEmail.trim().toLowerCase()).digest('hex').slice(0, 16)}`;
}

/**
 * Approvals of a review: those of the given commits, and those given on the review branch to
 * commits a later push replaced (which no longer count). All approvals when no filter is given.
 */
export async function listGitApprovals(
  ws: Workspace,
  filter?: { readonly commits: ReadonlySet<string>; readonly reviewBranch: string },
): Promise<Approval[]> {
  const output = await ws.git.text(['for-each-ref', '--format=%(refname)%09%(authorname)%09%(authoremail)%09%(authordate:iso-strict)%09%(subject)', REVIEW_REF_PREFIX]);
  const approvals: Approval[] = [];
  for (const line of output.split('\n')) {
    if (!line) continue;
    const [ref, name, rawEmail, at, subject] = line.split('\t');
    const commit = ref.slice(REVIEW_REF_PREFIX.length).split('/')[0];
    if (filter && !filter.commits.has(commit) && !subject.startsWith(`Approve ${filter.reviewBranch} at `)) continue;
    const email = rawEmail.replace(/^<|>$/g, '');
    approvals.push({ reviewer: email, display: formatIdentity({ name, email }), commit, at });
  }
  return approvals.sort((a, b) => (a.at ?? '').localeCompare(b.at ?? '') || a.reviewer.localeCompare(b.reviewer));
}

/**
 * Records an approval of `commit` by `reviewer` on the remote. Returns false when that reviewer
 * had already approved that commit.
 */
export async function recordGitApproval(ws: Workspace, commit: string, reviewer: GitIdentity, reviewBranch: string): Promise<boolean> {
  const ref = approvalRef(commit, reviewer.email);
  if (await ws.git.tryText(['rev-parse', '--verify', '--quiet', ref])) return false;
  const message = buildCommitMessage({
    title: `Approve ${reviewBranch} at ${commit.slice(0, 12)}`,
    trailers: [[TRAILER.reviewedCommit, commit]],
  });
  const record = await ws.commitTree(ws.emptyTree, [commit], message, reviewer);
  const outcome = await ws.push([{ source: record, ref, expect: '' }]);
  return outcome.ok;
}
