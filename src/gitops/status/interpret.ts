import {
  ClusterSyncTarget, CONFIG_SYNC_NAMESPACE, InventoryResource, InventorySummary, SyncCondition,
  SyncError, SyncErrorObject, SyncErrorStage, SyncPhase, SyncStageStatus,
} from './types';
import { compareStrings } from '../../repo/compare';

/*
 * Reading RootSync and ResourceGroup objects the way ConfigSync means them. The rules follow
 * kpt-config-sync: cmd/nomos/status/cluster_state.go (RootRepoStatus, multiRepoSyncStatus),
 * pkg/rootsync (conditions.go ConditionHasNoErrors, errors.go Errors), pkg/parse/root_sync_client.go
 * (which stage sets the Syncing condition, with which reason) and cmd/nomos/status/resource_state.go.
 */

/** What kpt-config-sync's pkg/status (and pkg/applier, pkg/syncer, pkg/validate) name each code. */
const KNV_TITLES: Readonly<Record<string, string>> = {
  1006: 'a file could not be parsed as a Kubernetes object',
  1021: 'an object of a kind the cluster does not serve (its CRD is missing)',
  1060: 'an object another RootSync or RepoSync already manages',
  1067: 'a declared field could not be encoded',
  1068: 'rendering (kustomize or helm) of the source failed',
  1069: 'the RootSync syncs the folder that holds it',
  2001: 'a path in the source could not be read',
  2002: 'the API server returned an error',
  2003: 'a file system error on the reconciler',
  2004: 'the source (git) could not be fetched',
  2005: 'another writer keeps changing a managed object',
  2006: 'the source is empty, so syncing would delete everything',
  2008: 'an object changed while it was being applied',
  2009: 'applying objects to the cluster failed',
  2010: 'an object could not be read or written',
  2012: 'more than one object where only one is allowed',
  2013: 'the reconciler lacks permission',
  2015: 'an internal rendering error',
  2016: 'a transient error, retried',
  9998: 'an internal ConfigSync error',
  9999: 'an undocumented error',
};

/** The RootSync status as kpt-config-sync's RootSyncStatus declares it (the parts read). */
interface RawConfigSyncError {
  code?: string;
  errorMessage?: string;
  errorResources?: Array<{ sourcePath?: string; name?: string; namespace?: string; gvk?: { group?: string; version?: string; kind?: string } }>;
}
interface RawErrorSummary { totalCount?: number; truncated?: boolean; errorCountAfterTruncation?: number }
interface RawStage { commit?: string; lastUpdate?: string | null; errors?: RawConfigSyncError[]; errorSummary?: RawErrorSummary }
interface RawCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  commit?: string;
  lastUpdateTime?: string | null;
  lastTransitionTime?: string | null;
  errors?: RawConfigSyncError[];
  errorSourceRefs?: string[];
  errorSummary?: RawErrorSummary;
}
interface RawRootSyncStatus {
  lastSyncedCommit?: string;
  source?: RawStage;
  rendering?: RawStage;
  sync?: RawStage;
  conditions?: RawCondition[];
}

/** What a RootSync says about its sync, interpreted (no network). */
export interface RootSyncInterpretation {
  readonly phase: SyncPhase;
  readonly syncedCommit?: string;
  readonly syncedAt?: string;
  readonly syncingCommit?: string;
  readonly syncCommit?: string;
  readonly sourceCommit?: string;
  readonly renderingCommit?: string;
  readonly lastSyncedCommit?: string;
  readonly source: SyncStageStatus;
  readonly rendering: SyncStageStatus;
  readonly sync: SyncStageStatus;
  readonly errors: readonly SyncError[];
  readonly conditions: readonly SyncCondition[];
}

/** `KNV` + code; ConfigSync stores the bare number ("2009"). */
export function knvCode(code: string | undefined): string {
  const bare = String(code ?? '').trim().replace(/^KNV/i, '');
  return bare ? `KNV${bare}` : 'KNV????';
}

/** The first paragraph of a ConfigSync message without its `KNVnnnn: ` prefix and documentation link. */
export function plainMessage(message: string): string {
  const body = message.replace(/^KNV\d+:\s*/, '');
  const first = body.split(/\n\s*\n/)[0] ?? '';
  return first.replace(/\s*For more information, see \S+\s*$/, '').replace(/\s+/g, ' ').trim();
}

function toSyncError(stage: SyncErrorStage, raw: RawConfigSyncError): SyncError {
  const code = knvCode(raw.code);
  const message = String(raw.errorMessage ?? '');
  const objects: SyncErrorObject[] = (raw.errorResources ?? []).map(r => dropUndefined({
    group: r.gvk?.group || undefined,
    version: r.gvk?.version || undefined,
    kind: r.gvk?.kind || undefined,
    namespace: r.namespace || undefined,
    name: r.name || undefined,
    sourcePath: r.sourcePath || undefined,
  }));
  const title = KNV_TITLES[code.slice(3)];
  return dropUndefined({ stage, code, title, summary: plainMessage(message) || message, message, objects });
}

function stageStatus(stage: 'source' | 'rendering' | 'sync', raw: RawStage | undefined): SyncStageStatus {
  const errors = (raw?.errors ?? []).map(e => toSyncError(stage, e));
  return dropUndefined({
    commit: raw?.commit || undefined,
    lastUpdate: raw?.lastUpdate || undefined,
    errors,
    errorCount: raw?.errorSummary?.totalCount ?? errors.length,
    truncated: raw?.errorSummary?.truncated === true,
  });
}

/** The stage a Syncing condition's reason names (pkg/parse/root_sync_client.go: "Source", "Rendering", "Sync"). */
function stageOfReason(reason: string | undefined): SyncErrorStage {
  if (reason === 'Source') return 'source';
  if (reason === 'Rendering') return 'rendering';
  return 'sync';
}

/** pkg/rootsync ConditionHasNoErrors: the summary's count when there is one, else the inline errors. */
function conditionHasNoErrors(condition: RawCondition): boolean {
  if (!condition.errorSummary) return (condition.errors ?? []).length === 0;
  return (condition.errorSummary.totalCount ?? 0) === 0;
}

/**
 * Interprets a RootSync object (as read from the API server) the way `nomos status` does. Pure:
 * the same object always gives the same answer.
 */
export function interpretRootSync(rootSync: unknown): RootSyncInterpretation {
  const status: RawRootSyncStatus = (isRecord(rootSync) && isRecord(rootSync.status) ? rootSync.status : {}) as RawRootSyncStatus;
  const rawConditions = Array.isArray(status.conditions) ? status.conditions : [];
  const conditions: SyncCondition[] = rawConditions.map(c => dropUndefined({
    type: String(c.type ?? ''),
    status: String(c.status ?? 'Unknown'),
    reason: c.reason || undefined,
    message: c.message || undefined,
    commit: c.commit || undefined,
    lastUpdateTime: c.lastUpdateTime || undefined,
    lastTransitionTime: c.lastTransitionTime || undefined,
  }));
  const source = stageStatus('source', status.source);
  const rendering = stageStatus('rendering', status.rendering);
  const sync = stageStatus('sync', status.sync);
  const condition = (type: string) => rawConditions.find(c => c.type === type);
  const stalled = condition('Stalled');
  const reconciling = condition('Reconciling');
  const syncing = condition('Syncing');
  const lastSyncedCommit = status.lastSyncedCommit || undefined;
  const base = {
    syncCommit: sync.commit,
    sourceCommit: source.commit,
    renderingCommit: rendering.commit,
    lastSyncedCommit,
    source,
    rendering,
    sync,
    conditions,
  };
  /** Errors of the stages a Syncing condition refers to (pkg/rootsync Errors). */
  const referenced = (c: RawCondition): SyncError[] => {
    if (c.errorSummary) {
      const refs = c.errorSourceRefs ?? [];
      const out: SyncError[] = [];
      for (const ref of refs) {
        if (ref === 'status.rendering.errors') out.push(...rendering.errors);
        else if (ref === 'status.source.errors') out.push(...source.errors);
        else if (ref === 'status.sync.errors') out.push(...sync.errors);
      }
      return out;
    }
    return (c.errors ?? []).map(e => toSyncError(stageOfReason(c.reason), e));
  };
  // Earlier commit the cluster completed without errors, when ConfigSync records it.
  const earlier = (commit: string | undefined) => (lastSyncedCommit && lastSyncedCommit !== commit ? lastSyncedCommit : undefined);

  if (stalled?.status === 'True') {
    const errs = (stalled.errors ?? []).map(e => toSyncError('stalled', e));
    const errors = errs.length > 0 ? errs : [{ stage: 'stalled' as const, code: 'KNV????', summary: plainMessage(stalled.message ?? '') || 'stalled', message: stalled.message ?? '', objects: [] }];
    return dropUndefined({ ...base, phase: 'stalled' as const, syncedCommit: lastSyncedCommit, errors });
  }
  if (reconciling?.status === 'True') {
    const errors = (reconciling.errors ?? []).map(e => toSyncError('reconciling', e));
    return dropUndefined({ ...base, phase: 'reconciling' as const, syncedCommit: lastSyncedCommit, errors });
  }
  if (!syncing) {
    // A reconciler older than the Syncing condition (or one that has not started): nomos's
    // multiRepoSyncStatus decides from the stage commits and errors.
    const errors = [...rendering.errors, ...source.errors, ...sync.errors];
    let phase: SyncPhase;
    if (errors.length > 0) phase = 'error';
    else if (!sync.commit) phase = 'pending';
    else if (sync.commit === source.commit && (!rendering.commit || sync.commit === rendering.commit)) phase = 'synced';
    else phase = 'pending';
    return dropUndefined({
      ...base,
      phase,
      errors,
      syncingCommit: sync.commit,
      syncedCommit: phase === 'synced' ? sync.commit : lastSyncedCommit,
      syncedAt: phase === 'synced' ? sync.lastUpdate : undefined,
    });
  }
  const syncingCommit = syncing.commit || undefined;
  if (syncing.status === 'True') {
    // A commit is being fetched, rendered or applied: not finished, whatever errors it carries so far.
    return dropUndefined({ ...base, phase: 'pending' as const, syncingCommit, syncedCommit: earlier(syncingCommit), errors: referenced(syncing) });
  }
  if (conditionHasNoErrors(syncing)) {
    // "Sync Completed": the commit is applied. A False Syncing condition with no errors set by the
    // source or rendering stage cannot happen (they keep it True to continue).
    return dropUndefined({ ...base, phase: 'synced' as const, syncingCommit, syncedCommit: syncingCommit, syncedAt: sync.lastUpdate, errors: [] });
  }
  return dropUndefined({ ...base, phase: 'error' as const, syncingCommit, syncedCommit: earlier(syncingCommit), errors: referenced(syncing) });
}

/** The ResourceGroup's resource statuses summarized; `undefined` object means none was found. */
export function summarizeInventory(resourceGroup: unknown): InventorySummary {
  if (!isRecord(resourceGroup)) return { found: false, total: 0, byStatus: {}, notCurrent: [], healthy: false, reconciling: false };
  const status = isRecord(resourceGroup.status) ? resourceGroup.status : {};
  const raw = Array.isArray(status.resourceStatuses) ? status.resourceStatuses as Array<Record<string, unknown>> : [];
  const resources: InventoryResource[] = raw.map(r => {
    const conditions = Array.isArray(r.conditions) ? r.conditions as Array<Record<string, unknown>> : [];
    // nomos (resource_state.go checkConflict): an OwnershipOverlap condition True means another inventory owns it too.
    const conflict = conditions.some(c => c.type === 'OwnershipOverlap' && c.status === 'True');
    return dropUndefined({
      group: String(r.group ?? ''),
      kind: String(r.kind ?? ''),
      namespace: String(r.namespace ?? ''),
      name: String(r.name ?? ''),
      status: conflict ? 'Conflict' : String(r.status ?? 'Unknown'),
      sourceHash: typeof r.sourceHash === 'string' && r.sourceHash ? r.sourceHash : undefined,
      actuation: typeof r.actuation === 'string' && r.actuation ? r.actuation : undefined,
      reconcile: typeof r.reconcile === 'string' && r.reconcile ? r.reconcile : undefined,
      messages: conditions.map(c => String(c.message ?? '')).filter(m => m.length > 0),
    });
  });
  const byStatus: Record<string, number> = {};
  for (const r of resources) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const notCurrent = resources.filter(r => r.status !== 'Current').sort(compareResources);
  const conditions = Array.isArray(status.conditions) ? status.conditions as Array<Record<string, unknown>> : [];
  const reconciling = conditions.some(c => c.type === 'Reconciling' && c.status === 'True');
  const stalledCondition = conditions.find(c => c.type === 'Stalled' && c.status === 'True');
  const stalled = stalledCondition ? String(stalledCondition.message || stalledCondition.reason || 'stalled') : undefined;
  return dropUndefined({
    found: true,
    total: resources.length,
    byStatus: Object.fromEntries(Object.entries(byStatus).sort(([a], [b]) => compareStrings(a, b))),
    notCurrent,
    healthy: notCurrent.length === 0 && !reconciling && stalled === undefined,
    reconciling,
    stalled,
  });
}

/** `kind.group/name` as nomos prints a resource, with its namespace when it has one. */
export function describeResource(r: { group?: string; kind?: string; namespace?: string; name?: string }): string {
  const kind = (r.kind ?? '?').toLowerCase();
  const id = `${r.group ? `${kind}.${r.group}` : kind}/${r.name ?? '?'}`;
  return r.namespace ? `${r.namespace}/${id}` : id;
}

/** The RootSync's name and namespace for a target, with the fleet's defaults. */
export function rootSyncOf(target: ClusterSyncTarget): { name: string; namespace: string } {
  return { name: target.rootSyncName ?? target.cluster, namespace: target.rootSyncNamespace ?? CONFIG_SYNC_NAMESPACE };
}

function compareResources(a: InventoryResource, b: InventoryResource): number {
  const ka = `${a.namespace}\0${a.kind}\0${a.group}\0${a.name}`;
  const kb = `${b.namespace}\0${b.kind}\0${b.group}\0${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops undefined fields so JSON output and equality checks see only what is known. */
function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}
