import { describeResource } from './interpret';
import { ClusterSyncState } from './types';

/** A commit of the deployment repository, as git records it. */
export interface RepositoryCommit {
  readonly commit: string;
  /** Committer date (RFC 3339): when it landed on the branch (a merge commit for a reviewed change). */
  readonly committedAt: string;
  readonly subject: string;
  /** The commit a rollback restored (its `Rollback-To:` trailer). */
  readonly rollbackTo?: string;
}

/** How a cluster's synced commit relates to the published commit. */
export type CommitRelation = 'published' | 'descendant' | 'behind' | 'unrelated' | 'unknown';

/** What the caller knows from git about the commits clusters report. */
export interface CommitLookup {
  /** The commit's metadata, or undefined when the repository does not have it. */
  readonly info: (commit: string) => RepositoryCommit | undefined;
  /** How `commit` relates to the published commit. */
  readonly relation: (commit: string) => CommitRelation;
}

/** One cluster checked against what was published to it. */
export interface ClusterVerification {
  readonly cluster: string;
  readonly context: string;
  /** The repository the cluster's RootSync syncs (its name, when several). */
  readonly repository?: string;
  /** The commit published on the branch the cluster syncs. */
  readonly publishedCommit?: string;
  /** The commit the cluster finished syncing, and how it relates to the published one. */
  readonly syncedCommit?: string;
  readonly relation?: CommitRelation;
  /** True when the cluster synced the published commit (or a later one) and every resource is Current. */
  readonly verified: boolean;
  /** Why it is not verified, in plain words (empty when verified). */
  readonly reasons: readonly string[];
  /**
   * Seconds from the synced commit's commit time (its merge) to the end of its sync
   * (`status.sync.lastUpdate`): the deployment time, or the rollback time when the commit is a rollback.
   * Measured only when the synced commit is the published one or a later one. ConfigSync moves
   * `lastUpdate` again when it re-applies the same commit, so a reading long after the sync is an upper bound.
   */
  readonly deploymentSeconds?: number;
  readonly rollbackSeconds?: number;
  /** The synced commit's subject and rollback target, when git has it. */
  readonly syncedCommitInfo?: RepositoryCommit;
  /** A cluster synced to an older commit than published, or with resources not Current. */
  readonly drift: { readonly drifted: boolean; readonly behind: boolean; readonly notCurrent: number };
  readonly state: ClusterSyncState;
}

/** Minimum, maximum and mean of a set of durations, in seconds. */
export interface DurationFigures {
  readonly count: number;
  readonly minSeconds?: number;
  readonly maxSeconds?: number;
  readonly meanSeconds?: number;
}

/** The ADR's figures over the clusters read. */
export interface SyncFigures {
  readonly deployment: DurationFigures;
  readonly rollback: DurationFigures;
  /** Clusters synced (without errors) to the published commit or later, out of the clusters read. */
  readonly syncSuccess: { readonly synced: number; readonly total: number };
  /** Clusters that drift: behind the published commit, or with resources not Current. */
  readonly drift: { readonly clusters: readonly string[]; readonly behind: readonly string[]; readonly notCurrent: readonly string[] };
}

/**
 * Checks one cluster's state against the commit published for it. Pure: git knowledge comes in
 * through `lookup`.
 */
export function verifyCluster(
  state: ClusterSyncState,
  published: RepositoryCommit | undefined,
  lookup: CommitLookup,
  repository?: string,
): ClusterVerification {
  const reasons: string[] = [];
  const base = {
    cluster: state.cluster,
    context: state.context,
    ...(repository ? { repository } : {}),
    ...(published ? { publishedCommit: published.commit } : {}),
    state,
  };
  if (!state.reachable) {
    return { ...base, verified: false, reasons: [`unreachable: ${state.unreachableReason ?? 'no answer'}`], drift: { drifted: false, behind: false, notCurrent: 0 } };
  }
  if (!state.rootSyncFound) {
    return { ...base, verified: false, reasons: [`no RootSync ${state.rootSync.namespace}/${state.rootSync.name} on the cluster (ConfigSync not installed, or clusters/${state.cluster}/ not applied)`], drift: { drifted: false, behind: false, notCurrent: 0 } };
  }
  if (!published) reasons.push('nothing is published on the branch this cluster syncs');
  const synced = state.syncedCommit;
  const relation: CommitRelation | undefined = synced ? (published && synced === published.commit ? 'published' : lookup.relation(synced)) : undefined;
  switch (state.phase) {
    case 'stalled': reasons.push('ConfigSync is stalled (it cannot make progress)'); break;
    case 'reconciling': reasons.push('ConfigSync is setting up its reconciler'); break;
    case 'pending': reasons.push(`ConfigSync is still syncing${state.syncingCommit ? ` ${short(state.syncingCommit)}` : ''}`); break;
    case 'error': reasons.push(`ConfigSync failed to sync ${state.syncingCommit ? short(state.syncingCommit) : 'the latest commit'}`); break;
    default: break;
  }
  for (const e of state.errors) {
    const objects = e.objects.map(o => describeResource(o) + (o.sourcePath ? ` (${o.sourcePath})` : '')).join(', ');
    reasons.push(`${e.code} ${e.stage} error: ${e.summary}${objects ? ` [${objects}]` : ''}`);
  }
  if (!synced) reasons.push('no commit synced yet');
  else if (relation === 'behind') reasons.push(`synced ${short(synced)}, older than the published ${short(published!.commit)}`);
  else if (relation === 'unrelated') reasons.push(`synced ${short(synced)}, which is not in the published branch's history`);
  else if (relation === 'unknown') reasons.push(`synced ${short(synced)}, a commit the repository does not have`);
  const inventory = state.inventory;
  const notCurrent = inventory?.notCurrent.length ?? 0;
  if (!inventory?.found) {
    reasons.push(`no ResourceGroup ${state.rootSync.namespace}/${state.rootSync.name}: resource health unknown`);
  } else {
    for (const r of inventory.notCurrent) reasons.push(`${describeResource(r)} is ${r.status}${r.messages.length > 0 ? `: ${r.messages.join('; ')}` : ''}`);
    if (inventory.stalled) reasons.push(`the ResourceGroup controller is stalled: ${inventory.stalled}`);
    if (inventory.reconciling) reasons.push('the ResourceGroup controller is still reconciling');
  }
  const info = synced ? lookup.info(synced) : undefined;
  let deploymentSeconds: number | undefined;
  let rollbackSeconds: number | undefined;
  // Measured for the change published (or a later one) only: a cluster behind tells nothing about this change.
  if (synced && info && state.phase === 'synced' && state.syncedAt && (relation === 'published' || relation === 'descendant')) {
    const seconds = Math.max(0, (Date.parse(state.syncedAt) - Date.parse(info.committedAt)) / 1000);
    if (info.rollbackTo) rollbackSeconds = seconds;
    else deploymentSeconds = seconds;
  }
  const behind = relation === 'behind';
  const verified = reasons.length === 0 && state.phase === 'synced' && (relation === 'published' || relation === 'descendant');
  return {
    ...base,
    ...(synced ? { syncedCommit: synced, relation } : {}),
    verified,
    reasons,
    ...(deploymentSeconds !== undefined ? { deploymentSeconds } : {}),
    ...(rollbackSeconds !== undefined ? { rollbackSeconds } : {}),
    ...(info ? { syncedCommitInfo: info } : {}),
    drift: { drifted: behind || notCurrent > 0, behind, notCurrent },
  };
}

/** The figures over several clusters' verifications. */
export function syncFigures(clusters: readonly ClusterVerification[]): SyncFigures {
  const durations = (values: number[]): DurationFigures => values.length === 0 ? { count: 0 } : {
    count: values.length,
    minSeconds: Math.min(...values),
    maxSeconds: Math.max(...values),
    meanSeconds: Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10,
  };
  return {
    deployment: durations(clusters.flatMap(c => (c.deploymentSeconds !== undefined ? [c.deploymentSeconds] : []))),
    rollback: durations(clusters.flatMap(c => (c.rollbackSeconds !== undefined ? [c.rollbackSeconds] : []))),
    syncSuccess: {
      synced: clusters.filter(c => c.state.phase === 'synced' && (c.relation === 'published' || c.relation === 'descendant')).length,
      total: clusters.length,
    },
    drift: {
      clusters: clusters.filter(c => c.drift.drifted).map(c => c.cluster),
      behind: clusters.filter(c => c.drift.behind).map(c => c.cluster),
      notCurrent: clusters.filter(c => c.drift.notCurrent > 0).map(c => c.cluster),
    },
  };
}

/** A duration for people: `42 s`, `3 min 5 s`, `1 h 2 min`. */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
}

export function short(commit: string): string {
  return commit.slice(0, 12);
}
