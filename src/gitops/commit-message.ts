import { createHash } from 'crypto';
import { ChangeSummary, countChanges, formatCounts, groupTitle, packageTitle } from './change-summary';
import { RepoTree } from '../repo/repo-tree';

/** Trailer keys nephoran writes into commit messages; `history` reads them back. */
export const TRAILER = {
  changeId: 'Change-Id',
  sourceCommit: 'Source-Commit',
  approvedBy: 'Approved-by',
  reviewedCommit: 'Reviewed-commit',
  rollbackTo: 'Rollback-To',
  emergency: 'Emergency',
  base: 'Nephoran-Base',
  reverts: 'Reverts',
  reappliedFrom: 'Reapplied-From',
} as const;

/** The `kpt:{...}` line Porch writes at the end of its commit messages. */
export interface KptAnnotation {
  readonly package: string;
  readonly workspaceName?: string;
  readonly revision?: string;
}

/** A parsed commit message. */
export interface ParsedMessage {
  readonly subject: string;
  /** Trailer values by key, in order. */
  readonly trailers: ReadonlyMap<string, readonly string[]>;
  readonly kpt?: KptAnnotation;
}

/**
 * The change id of a tree: `I` and 40 hex digits of a hash over every path and its bytes. The
 * same tree always gets the same id, wherever and whenever it is published.
 */
export function changeIdOf(tree: RepoTree): string {
  const hash = createHash('sha256');
  for (const [path, content] of tree.entries()) {
    hash.update(path).update('\0').update(createHash('sha256').update(content).digest()).update('\n');
  }
  return 'I' + hash.digest('hex').slice(0, 40);
}

/** Builds a message: title, body, one trailer paragraph, then the Porch `kpt:` line if any. */
export function buildCommitMessage(parts: {
  title: string;
  body?: string;
  trailers: ReadonlyArray<readonly [string, string | undefined]>;
  kpt?: KptAnnotation;
}): string {
  const title = parts.title.split('\n')[0].trim() || 'Publish synthesized configuration';
  const sections = [title];
  if (parts.body?.trim()) sections.push(parts.body.trim());
  const trailers = parts.trailers.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}: ${v}`);
  if (trailers.length > 0) sections.push(trailers.join('\n'));
  if (parts.kpt) sections.push('kpt:' + JSON.stringify(parts.kpt));
  return sections.join('\n\n') + '\n';
}

/** Reads the subject, `Key: value` trailers and the `kpt:` line of a commit message. */
export function parseCommitMessage(message: string): ParsedMessage {
  const lines = message.split('\n');
  const trailers = new Map<string, string[]>();
  let kpt: KptAnnotation | undefined;
  for (const line of lines.slice(1)) {
    const trimmed = line.trim();
    if (trimmed.startsWith('kpt:')) {
      try {
        const value = JSON.parse(trimmed.slice(4));
        if (value && typeof value.package === 'string') kpt = { package: value.package, workspaceName: value.workspaceName, revision: value.revision };
      } catch {
        // not a Porch annotation
      }
      continue;
    }
    const match = /^([A-Za-z][A-Za-z0-9-]*): (.+)$/.exec(trimmed);
    if (match) trailers.set(match[1], [...(trailers.get(match[1]) ?? []), match[2]]);
  }
  return { subject: lines[0] ?? '', trailers, kpt };
}

/** One line per cluster and package, for the body of a commit message. */
export function summaryForCommit(summary: ChangeSummary, maxLines = 30): string {
  const lines = summary.groups.map(g => `${groupTitle(g)}, ${packageTitle(g)}: ${formatCounts(countChanges(g.objects))}`);
  if (lines.length > maxLines) return [...lines.slice(0, maxLines - 1), `... and ${lines.length - maxLines + 1} more packages`].join('\n');
  return lines.join('\n');
}
