import { formatChangeSummary, formatCounts } from './change-summary';
import { TreeDiff } from './diff';
import { HistoryEntry } from './history';
import { formatIdentity } from './identity';
import { PublishResult } from './publish';
import { MergeResult, ReviewStatus } from './review';

/** A publish result for people: what happened, then the change per cluster and package. */
export function formatPublishResult(result: PublishResult): string {
  const lines = [result.description];
  if (result.changed) {
    lines.push(`Files: ${formatCounts(result.summary.files)}. Objects: ${formatCounts(result.summary.objects)}.`);
    const text = formatChangeSummary(result.summary, { maxLines: 60 });
    if (text) lines.push(text);
  }
  return lines.join('\n');
}

/** A diff for people: one line when identical, else the summary with changed fields. */
export function formatTreeDiff(diff: TreeDiff): string {
  if (!diff.different) return `No difference: ${diff.branch}${diff.commit ? ` (${diff.commit.slice(0, 12)})` : ''} already holds this tree.${diff.kept.length > 0 ? ` It also holds changes made since this program's base that the program does not: ${diff.kept.slice(0, 10).join(', ')}.` : ''}`;
  const against = diff.commit ? `${diff.branch} (${diff.commit.slice(0, 12)})` : `${diff.branch} (does not exist yet)`;
  return [
    `Differences against ${against}: files ${formatCounts(diff.summary.files)}; objects ${formatCounts(diff.summary.objects)}.`,
    diff.newRevisions.length > 0 ? `New package revisions: ${diff.newRevisions.join(', ')}.` : '',
    diff.undone.length > 0
      ? `Publishing would undo changes made on ${diff.branch} since this program's base, and is refused unless --allow-revert:\n${diff.undone.map(u => `  ${u.path}${u.commits.length > 0 ? ': ' + u.commits.map(c => `${c.commit.slice(0, 12)} ${c.author}: ${c.subject}`).join('; ') : ''}`).join('\n')}`
      : '',
    diff.kept.length > 0 ? `Kept as ${diff.branch} has them (changed since this program's base, not held by the program): ${diff.kept.slice(0, 10).join(', ')}${diff.kept.length > 10 ? ` and ${diff.kept.length - 10} more` : ''}.` : '',
    formatChangeSummary(diff.summary, { maxLines: 2000 }),
  ].filter(l => l).join('\n');
}

/** A review's state: the gate, the approvals that count, those a later push voided. */
export function formatReviewStatus(status: ReviewStatus): string {
  const lines = [
    `Review ${status.reviewBranch} into ${status.target}${status.pullRequest ? ` (pull request #${status.pullRequest.number}, ${status.pullRequest.url})` : ''}`,
    `  head ${status.head.slice(0, 12)}, change ${status.changeId ?? '(none)'}, authors ${status.authors.join(', ') || '(unknown)'}`,
  ];
  const gated = status.gate.requirements.filter(r => r.approvals > 0);
  lines.push(`  gate: ${gated.length === 0 ? 'no approval needed' : gated.map(r => `${r.scope} ${r.approvals}`).join(', ')}`);
  for (const approval of status.gate.approvals) lines.push(`  approved by ${approval.display}${approval.at ? ` at ${approval.at}` : ''}`);
  for (const approval of status.gate.notCounted) lines.push(`  not counted: ${approval.display}: ${approval.reason}`);
  for (const approval of status.gate.stale) lines.push(`  voided: ${approval.display} approved ${approval.commit.slice(0, 12)}, which a later push replaced`);
  if (status.superseded) lines.push(`  superseded: ${status.superseded.reason}`);
  else lines.push(status.gate.met ? '  ready to merge' : `  not ready:\n${status.gate.missing.map(m => `    - ${m}`).join('\n')}`);
  const summary = formatChangeSummary(status.summary, { objects: false });
  if (summary) lines.push(summary.split('\n').map(l => '  ' + l).join('\n'));
  return lines.join('\n');
}

/** A merge result. */
export function formatMergeResult(result: MergeResult): string {
  return result.description;
}

/** History entries, newest first. */
export function formatHistory(entries: readonly HistoryEntry[]): string {
  if (entries.length === 0) return 'No matching commits.';
  const lines: string[] = [];
  for (const e of entries) {
    lines.push(`${e.commit.slice(0, 12)} ${e.committedAt} ${formatIdentity(e.author)}  ${e.subject}`);
    const facts = [`kind ${e.kind}${e.emergency ? ' (EMERGENCY: review gate bypassed)' : ''}`];
    if (e.changeId) facts.push(`change ${e.changeId}`);
    if (e.sourceCommit) facts.push(`source ${e.sourceCommit.slice(0, 12)}${e.sourceCommit.endsWith('-dirty') ? '-dirty' : ''}`);
    if (e.rollbackTo) facts.push(`rollback to ${e.rollbackTo.slice(0, 12)}`);
    if (e.porch?.revision) facts.push(`porch ${e.porch.package} revision ${e.porch.revision}`);
    facts.push(`approvals: ${e.approvals.length ? e.approvals.join(', ') : 'none'}`);
    lines.push(`    ${facts.join('; ')}`);
    for (const l of e.locations) {
      const where = [l.cluster && `cluster ${l.cluster}`, l.environment && `(${l.environment})`, l.packagePath !== undefined ? `package ${l.packagePath}` : 'files outside packages'].filter(Boolean).join(' ');
      lines.push(`    ${where}: ${l.added} added, ${l.changed} changed, ${l.removed} removed`);
    }
  }
  return lines.join('\n');
}
