import { KptAnnotation, parseCommitMessage, TRAILER } from './commit-message';
import { GitOpsError } from './errors';
import { GitIdentity } from './identity';
import { RepositoryLayout } from './layout';
import { withWorkspace, WorkspaceOptions } from './workspace';
import { OWNERSHIP_MANIFEST_PATH } from '../repo/ownership';
import { comparePaths } from '../repo/repo-tree';
import { WAVE_TRAILER } from './waves/trailers';

/** Which history to read. */
export interface HistoryOptions extends WorkspaceOptions {
  /** @default 'main' */
  readonly branch?: string;
  /** Only commits that touched this cluster. */
  readonly cluster?: string;
  /** Only commits that touched this package (its folder, or its last path segment). */
  readonly package?: string;
  /** At most this many entries, newest first. @default - all */
  readonly limit?: number;
}

/** Files a commit changed in one cluster and package. */
export interface HistoryLocation {
  readonly cluster?: string;
  readonly environment?: string;
  readonly packagePath?: string;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

/** One commit on the branch: who changed what, when, with which approvals and change id. */
export interface HistoryEntry {
  readonly commit: string;
  readonly parents: readonly string[];
  /** publish: a direct commit; merge: a reviewed change merged; approve: a Porch approval. */
  readonly kind: 'publish' | 'rollback' | 'merge' | 'approve' | 'other';
  readonly subject: string;
  readonly author: GitIdentity;
  readonly authoredAt: string;
  readonly committer: GitIdentity;
  readonly committedAt: string;
  readonly changeId?: string;
  readonly sourceCommit?: string;
  /** `Name <email>` (plain git) or logins (forges) from the Approved-by trailers. */
  readonly approvals: readonly string[];
  /** The commit the approvals were given to. */
  readonly reviewedCommit?: string;
  readonly rollbackTo?: string;
  /** True for an emergency rollback that bypassed the review gate. */
  readonly emergency: boolean;
  /** Porch's annotation (`kpt:{...}` line), on proposals and approvals. */
  readonly porch?: KptAnnotation;
  /** A commit of a rollout in waves: the program's change and the wave it took it to, or rolled back (`canary (1/3)`). */
  readonly rollout?: { readonly changeId: string; readonly wave?: string; readonly rollback?: string };
  readonly locations: readonly HistoryLocation[];
  readonly files: ReadonlyArray<{ readonly path: string; readonly status: 'added' | 'changed' | 'removed' }>;
}

const FIELDS = ['%H', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'];

/**
 * The branch's history read from git alone: commit metadata, trailers (Change-Id, Source-Commit,
 * Approved-by, Rollback-To, Emergency) and the `kpt:` line, with the changed files placed by
 * cluster and package. Follows the first parent, so a merged review is one entry.
 */
export async function history(options: HistoryOptions): Promise<HistoryEntry[]> {
  const branch = options.branch ?? 'main';
  return withWorkspace(options, async ws => {
    const head = await ws.branchHead(branch);
    if (!head) throw new GitOpsError(`${ws.remote} has no branch ${branch} yet: nothing has been published there`);
    const { stdout } = await ws.git.run(['log', '-z', '--first-parent', '--diff-merges=first-parent', '--no-renames', '--name-status',
      `--format=%x1e${FIELDS.join('%x1f')}%x1f`, head]);
    const raw = stdout.toString('utf8').split('\x1e').filter(r => r.length > 0).map(parseRecord);
    const allPaths = [...(await ws.snapshot(head)).paths(), ...raw.flatMap(r => r.files.map(f => f.path))];
    const layout = new RepositoryLayout(allPaths);
    const entries: HistoryEntry[] = [];
    for (const record of raw) {
      const entry = narrowed(toEntry(record, layout), layout, options);
      if (!entry) continue;
      entries.push(entry);
      if (options.limit !== undefined && entries.length >= options.limit) break;
    }
    return entries;
  });
}

interface RawRecord {
  readonly fields: string[];
  readonly files: Array<{ path: string; status: 'added' | 'changed' | 'removed' }>;
}

function parseRecord(record: string): RawRecord {
  const parts = record.split('\x1f');
  const fields = parts.slice(0, FIELDS.length);
  const tokens = (parts[FIELDS.length] ?? '').split('\0').map(t => t.replace(/^\n/, '')).filter(t => t !== '');
  const files: RawRecord['files'] = [];
  for (let i = 0; i + 1 < tokens.length; i += 2) {
    const status = tokens[i][0] === 'A' ? 'added' : tokens[i][0] === 'D' ? 'removed' : 'changed';
    files.push({ path: tokens[i + 1], status });
  }
  return { fields, files };
}

function toEntry(record: RawRecord, layout: RepositoryLayout): HistoryEntry {
  const [commit, parents, an, ae, aI, cn, ce, cI, body] = record.fields;
  const message = parseCommitMessage(body.replace(/\n+$/, ''));
  const trailer = (key: string) => message.trailers.get(key)?.[0];
  const parentList = parents.split(' ').filter(p => p);
  const porch = message.kpt;
  const rollbackTo = trailer(TRAILER.rollbackTo);
  const kind: HistoryEntry['kind'] = porch?.revision && message.subject.startsWith('Approve ') ? 'approve'
    : parentList.length > 1 ? 'merge'
      : rollbackTo ? 'rollback'
        : trailer(TRAILER.changeId) ? 'publish' : 'other';
  const files = record.files.filter(f => f.path !== OWNERSHIP_MANIFEST_PATH);
  const groups = new Map<string, { cluster?: string; environment?: string; packagePath?: string; added: number; changed: number; removed: number }>();
  for (const file of files) {
    const location = layout.locate(file.path);
    const key = [location.cluster, location.environment, location.packagePath].join('\0');
    const group = groups.get(key) ?? { ...location, added: 0, changed: 0, removed: 0 };
    group[file.status]++;
    groups.set(key, group);
  }
  return {
    commit,
    parents: parentList,
    kind,
    subject: message.subject,
    author: { name: an, email: ae },
    authoredAt: aI,
    committer: { name: cn, email: ce },
    committedAt: cI,
    changeId: trailer(TRAILER.changeId),
    sourceCommit: trailer(TRAILER.sourceCommit),
    approvals: [...(message.trailers.get(TRAILER.approvedBy) ?? [])],
    reviewedCommit: trailer(TRAILER.reviewedCommit),
    rollbackTo,
    emergency: trailer(TRAILER.emergency) === 'true',
    porch,
    rollout: trailer(WAVE_TRAILER.rollout)
      ? { changeId: trailer(WAVE_TRAILER.rollout)!, wave: trailer(WAVE_TRAILER.wave), rollback: trailer(WAVE_TRAILER.rollback) }
      : undefined,
    locations: [...groups.values()].sort((a, b) =>
      comparePaths(a.cluster ?? '\uffff', b.cluster ?? '\uffff') || comparePaths(a.packagePath ?? '', b.packagePath ?? '')),
    files,
  };
}

/**
 * The entry with only the locations (and files) the cluster and package filters name, or
 * undefined when the commit touched none of them.
 */
function narrowed(entry: HistoryEntry, layout: RepositoryLayout, options: HistoryOptions): HistoryEntry | undefined {
  if (!options.cluster && !options.package) return entry;
  const wanted = options.package?.replace(/\/+$/, '');
  const matches = (l: { cluster?: string; packagePath?: string }) =>
    (!options.cluster || l.cluster === options.cluster)
    && (wanted === undefined || (l.packagePath !== undefined && (l.packagePath === wanted || l.packagePath.split('/').pop() === wanted)));
  const locations = entry.locations.filter(matches);
  if (locations.length === 0) return undefined;
  return { ...entry, locations, files: entry.files.filter(f => matches(layout.locate(f.path))) };
}
