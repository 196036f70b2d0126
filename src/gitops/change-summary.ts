import { ChangeSet } from './change';
import { readObjects } from './git';
import { RepositoryLayout } from './layout';
import { diffFields, FieldChange, parseObjects } from './object-diff';
import { Workspace } from './workspace';
import { OWNERSHIP_MANIFEST_PATH } from '../repo/ownership';
import { comparePaths } from '../repo/repo-tree';

export type ChangeKind = 'added' | 'changed' | 'removed';

/** One file a change adds, changes or removes. */
export interface FileChange {
  readonly path: string;
  readonly kind: ChangeKind;
}

/** One object (or, for files that are not manifests, one file) a change adds, changes or removes. */
export interface ObjectChange {
  readonly kind: ChangeKind;
  /** `Kind namespace/name`, or `file <path>` for files that are not manifests. */
  readonly object: string;
  readonly file: string;
  /** For changed objects: the fields that differ. */
  readonly fields?: readonly FieldChange[];
}

/** The part of a change that falls in one cluster and package. */
export interface SummaryGroup {
  readonly cluster?: string;
  readonly environment?: string;
  /** Folder of the kpt package; undefined for files outside any package. */
  readonly packagePath?: string;
  readonly files: readonly FileChange[];
  readonly objects: readonly ObjectChange[];
}

export interface ChangeCounts {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

/** A change per cluster, package and object. */
export interface ChangeSummary {
  readonly groups: readonly SummaryGroup[];
  readonly files: ChangeCounts;
  readonly objects: ChangeCounts;
}

/** Summarizes a change: reads both versions of each changed file and compares their objects. */
export async function summarizeChange(ws: Workspace, change: ChangeSet): Promise<ChangeSummary> {
  const ops = change.ops.filter(op => op.path !== OWNERSHIP_MANIFEST_PATH);
  const layout = new RepositoryLayout([...change.base.paths(), ...ops.map(op => op.path)]);
  const before = await ws.readFiles(change.base, ops.filter(op => change.base.has(op.path)).map(op => op.path));
  const stored = await readObjects(ws.git, ops.filter(op => op.after && !op.after.content).map(op => op.after!.id));
  const groups = new Map<string, { cluster?: string; environment?: string; packagePath?: string; files: FileChange[]; objects: ObjectChange[] }>();
  for (const op of ops) {
    const location = layout.locate(op.path);
    const key = [location.cluster ?? '', location.environment ?? '', location.packagePath ?? ''].join('\0');
    const group = groups.get(key) ?? { ...location, files: [], objects: [] };
    groups.set(key, group);
    const old = before.get(op.path);
    const now = op.after ? op.after.content ?? stored.get(op.after.id) : undefined;
    const kind: ChangeKind = old === undefined ? 'added' : now === undefined ? 'removed' : 'changed';
    group.files.push({ path: op.path, kind });
    group.objects.push(...compareFile(op.path, old, now));
  }
  const sorted = [...groups.values()].sort((a, b) =>
    comparePaths(a.cluster ?? '\uffff', b.cluster ?? '\uffff') || comparePaths(a.packagePath ?? '\uffff', b.packagePath ?? '\uffff'));
  return {
    groups: sorted,
    files: countChanges(sorted.flatMap(g => g.files)),
    objects: countChanges(sorted.flatMap(g => g.objects)),
  };
}

/** An empty summary. */
export const NO_CHANGES: ChangeSummary = { groups: [], files: { added: 0, changed: 0, removed: 0 }, objects: { added: 0, changed: 0, removed: 0 } };

function compareFile(path: string, before: Buffer | undefined, after: Buffer | undefined): ObjectChange[] {
  const oldObjects = before ? parseObjects(path, before) : [];
  const newObjects = after ? parseObjects(path, after) : [];
  if (!oldObjects || !newObjects) {
    const kind: ChangeKind = !before ? 'added' : !after ? 'removed' : 'changed';
    return [{ kind, object: `file ${path}`, file: path }];
  }
  const result: ObjectChange[] = [];
  const oldByKey = new Map(oldObjects.map(o => [o.key, o]));
  const newKeys = new Set(newObjects.map(o => o.key));
  for (const object of newObjects) {
    const previous = oldByKey.get(object.key);
    if (!previous) {
      result.push({ kind: 'added', object: object.label, file: path });
    } else {
      const fields = diffFields(previous.value, object.value);
      if (fields.length > 0) result.push({ kind: 'changed', object: object.label, file: path, fields });
    }
  }
  for (const object of oldObjects) if (!newKeys.has(object.key)) result.push({ kind: 'removed', object: object.label, file: path });
  return result;
}

/** How many items were added, changed and removed. */
export function countChanges(items: ReadonlyArray<{ readonly kind: ChangeKind }>): ChangeCounts {
  return {
    added: items.filter(i => i.kind === 'added').length,
    changed: items.filter(i => i.kind === 'changed').length,
    removed: items.filter(i => i.kind === 'removed').length,
  };
}

/** `cluster edge01 (production)`, `environment staging`, or `shared`. */
export function groupTitle(group: Pick<SummaryGroup, 'cluster' | 'environment'>): string {
  if (group.cluster) return `cluster ${group.cluster}${group.environment ? ` (${group.environment})` : ''}`;
  if (group.environment) return `environment ${group.environment}`;
  return 'shared';
}

/** `package deployments/prod/edge01/amf` or `files outside packages`. */
export function packageTitle(group: Pick<SummaryGroup, 'packagePath'>): string {
  if (group.packagePath === undefined) return 'files outside packages';
  return `package ${group.packagePath || '(repository root)'}`;
}

/** `2 added, 1 changed, 0 removed`. */
export function formatCounts(counts: ChangeCounts): string {
  return `${counts.added} added, ${counts.changed} changed, ${counts.removed} removed`;
}

/** Options for the text form of a summary. */
export interface FormatSummaryOptions {
  /** List each object (and the changed fields), not only counts per package. @default true */
  readonly objects?: boolean;
  /** Lines at most; the rest is counted in a last line. @default 200 */
  readonly maxLines?: number;
}

/** The summary as indented text: cluster, package, then objects with `+`, `~`, `-`. */
export function formatChangeSummary(summary: ChangeSummary, options: FormatSummaryOptions = {}): string {
  const showObjects = options.objects ?? true;
  const maxLines = options.maxLines ?? 200;
  const lines: string[] = [];
  let lastTitle: string | undefined;
  for (const group of summary.groups) {
    const title = groupTitle(group);
    if (title !== lastTitle) lines.push(title);
    lastTitle = title;
    lines.push(`  ${packageTitle(group)}: ${formatCounts(countChanges(group.objects))}`);
    if (!showObjects) continue;
    for (const object of group.objects) {
      lines.push(`    ${SIGN[object.kind]} ${object.object}`);
      for (const field of object.fields ?? []) {
        lines.push(field.before === undefined && field.after === undefined
          ? `        ${field.field}`
          : `        ${field.field}: ${field.before ?? '(none)'} -> ${field.after ?? '(none)'}`);
      }
    }
  }
  if (lines.length > maxLines) {
    const rest = lines.length - (maxLines - 1);
    return [...lines.slice(0, maxLines - 1), `... ${rest} more lines`].join('\n');
  }
  return lines.join('\n');
}

export const SIGN: Record<ChangeKind, string> = { added: '+', changed: '~', removed: '-' };
