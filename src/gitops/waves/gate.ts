import { formatDuration, RolloutPlanWave, soakSecondsOf } from '../../repo/rollout-plan';
import type { ClusterSyncState, ClusterSyncTarget } from '../status/types';
import { Workspace } from '../workspace';

/**
 * Reads what clusters report (helper of `nephoran status`: src/gitops/status/read.ts
 * readClusterSyncStates). A function, so that promote can be given another source.
 */
export type ClusterStateReader = (
  targets: readonly ClusterSyncTarget[],
  options: { readonly kubeconfig?: string; readonly timeoutMs?: number },
) => Promise<ClusterSyncState[]>;

/** How the clusters of a wave are reached. */
export interface WaveGateOptions {
  readonly reader: ClusterStateReader;
  /** @default - KUBECONFIG, else ~/.kube/config */
  readonly kubeconfig?: string;
  /**
   * Kubeconfig context by cluster name.
   * @default - a context named like the cluster
   */
  readonly contexts?: Readonly<Record<string, string>>;
  /**
   * How long one cluster may take to answer; a cluster that does not is not ready.
   * @default 10 seconds
   */
  readonly clusterTimeoutMs?: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** One cluster as the gate saw it. */
export interface ClusterVerdict {
  readonly cluster: string;
  readonly ok: boolean;
  /** Why not, in plain words. */
  readonly reason?: string;
  readonly syncedCommit?: string;
  readonly syncedAt?: string;
}

/** What the gate between two waves found. */
export interface WaveGateResult {
  /** Every cluster of the wave synced a commit holding the wave's commit, and is healthy. */
  readonly verified: boolean;
  readonly clusters: readonly ClusterVerdict[];
  /** When the soak time ends (verified only): the last cluster's sync plus the wave's soak. */
  readonly soakEndsAt?: Date;
  /** Verified and soaked: the next wave may be promoted. */
  readonly open: boolean;
  /** One line per reason the gate is closed. */
  readonly reasons: readonly string[];
}

/**
 * The gate after a wave: each of its clusters must have synced (RootSync Syncing=False without
 * errors) a commit that contains `waveCommit` — the commit that took the change to the wave, or a
 * later one — with every resource of its ResourceGroup inventory Current; then the wave's soak
 * time must have passed since the last of them finished that sync.
 */
export async function checkWaveGate(ws: Workspace, wave: RolloutPlanWave, waveCommit: string, options: WaveGateOptions): Promise<WaveGateResult> {
  const targets: ClusterSyncTarget[] = wave.clusters.map(c => ({ cluster: c.name, context: options.contexts?.[c.name] ?? c.name }));
  const states = await options.reader(targets, { kubeconfig: options.kubeconfig, timeoutMs: options.clusterTimeoutMs });
  const verdicts: ClusterVerdict[] = [];
  for (const target of targets) {
    const state = states.find(s => s.cluster === target.cluster);
    verdicts.push(await verdictOf(ws, target.cluster, state, waveCommit));
  }
  const reasons = verdicts.filter(v => !v.ok).map(v => `${v.cluster}: ${v.reason}`);
  const verified = reasons.length === 0;
  let soakEndsAt: Date | undefined;
  if (verified) {
    const now = (options.now ?? (() => new Date()))();
    // When a cluster does not say when its sync finished, the soak counts from now.
    const synced = verdicts.map(v => (v.syncedAt ? Date.parse(v.syncedAt) : NaN)).map(t => (Number.isFinite(t) ? t : now.getTime()));
    const seconds = soakSecondsOf(wave);
    soakEndsAt = new Date(Math.max(...synced) + seconds * 1000);
    if (seconds > 0 && soakEndsAt.getTime() > now.getTime()) {
      const left = Math.ceil((soakEndsAt.getTime() - now.getTime()) / 1000);
      reasons.push(`wave ${wave.name} is verified, but its soak time of ${wave.soak} runs until ${soakEndsAt.toISOString().replace(/\.\d{3}Z$/, 'Z')} (${formatDuration(left)} left)`);
    }
  }
  return { verified, clusters: verdicts, soakEndsAt, open: reasons.length === 0, reasons };
}

async function verdictOf(ws: Workspace, cluster: string, state: ClusterSyncState | undefined, waveCommit: string): Promise<ClusterVerdict> {
  const no = (reason: string, extra: Partial<ClusterVerdict> = {}): ClusterVerdict => ({ cluster, ok: false, reason, ...extra });
  if (!state) return no('no status was read');
  if (!state.reachable) return no(`cannot be read: ${state.unreachableReason ?? 'unreachable'}`);
  if (!state.rootSyncFound) return no(`has no RootSync ${state.rootSync.namespace}/${state.rootSync.name}${state.rootSyncMissing ? ` (${state.rootSyncMissing})` : ''}`);
  const seen = { syncedCommit: state.syncedCommit, syncedAt: state.syncedAt };
  if (state.errors.length > 0) {
    const shown = state.errors.slice(0, 3).map(e => `${e.code} ${e.summary}`).join('; ');
    return no(`ConfigSync reports ${state.errors.length} error${state.errors.length === 1 ? '' : 's'}: ${shown}`, seen);
  }
  if (!state.syncedCommit) return no(`has synced no commit yet (${state.phase ?? 'no phase'}${state.syncingCommit ? `, working on ${state.syncingCommit.slice(0, 12)}` : ''})`, seen);
  if (!(await contains(ws, state.syncedCommit, waveCommit))) {
    const working = state.syncingCommit && state.syncingCommit !== state.syncedCommit ? `; it is ${state.phase ?? 'working'} on ${state.syncingCommit.slice(0, 12)}` : '';
    return no(`synced ${state.syncedCommit.slice(0, 12)}, which does not contain the wave's commit ${waveCommit.slice(0, 12)} yet${working}`, seen);
  }
  if (state.phase && state.phase !== 'synced') return no(`RootSync is ${state.phase}`, seen);
  const inventory = state.inventory;
  if (!inventory || !inventory.found) return no('has no ResourceGroup inventory yet: resource health unknown', seen);
  if (!inventory.healthy) {
    const shown = inventory.notCurrent.slice(0, 5).map(r => `${r.kind} ${r.namespace ? r.namespace + '/' : ''}${r.name} is ${r.status}${r.messages[0] ? ` (${r.messages[0]})` : ''}`);
    const what = inventory.stalled ? `the inventory is stalled: ${inventory.stalled}` : inventory.reconciling && shown.length === 0 ? 'the inventory is still reconciling' : `${inventory.notCurrent.length} resource${inventory.notCurrent.length === 1 ? ' is' : 's are'} not Current: ${shown.join('; ')}`;
    return no(what, seen);
  }
  return { cluster, ok: true, ...seen };
}

/** True when `commit` is `ancestor` or descends from it (false when the repository lacks `commit`). */
async function contains(ws: Workspace, commit: string, ancestor: string): Promise<boolean> {
  if (!/^[0-9a-f]{7,64}$/.test(commit)) return false;
  return (await ws.git.run(['merge-base', '--is-ancestor', ancestor, commit], { allowFailure: true })).exitCode === 0;
}
