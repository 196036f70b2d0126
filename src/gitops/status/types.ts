/**
 * What `nephoran status` reads from a cluster: the ConfigSync RootSync that syncs it and the
 * ResourceGroup inventory ConfigSync keeps for that RootSync. Field names follow kpt-config-sync's
 * own types (pkg/api/configsync/v1beta1, pkg/api/kpt.dev/v1alpha1); only what is read is declared.
 */

/** The namespace ConfigSync requires every RootSync to be in (and keeps its ResourceGroup in). */
export const CONFIG_SYNC_NAMESPACE = 'config-management-system';

/** RootSync: configsync.gke.io/v1beta1 (the storage version; v1alpha1 has the same status). */
export const ROOT_SYNC_API = { group: 'configsync.gke.io', version: 'v1beta1', plural: 'rootsyncs', kind: 'RootSync' } as const;

/** ResourceGroup: kpt.dev/v1alpha1, named and namespaced like the RootSync it inventories. */
export const RESOURCE_GROUP_API = { group: 'kpt.dev', version: 'v1alpha1', plural: 'resourcegroups', kind: 'ResourceGroup' } as const;

/** Which cluster to read, through which kubeconfig context, and which RootSync syncs it. */
export interface ClusterSyncTarget {
  /** The cluster's name in the fleet. */
  readonly cluster: string;
  /** The kubeconfig context that reaches the cluster. */
  readonly context: string;
  /**
   * The RootSync's name.
   * @default - the cluster name (what the fleet's Cluster construct writes)
   */
  readonly rootSyncName?: string;
  /**
   * The RootSync's namespace.
   * @default 'config-management-system'
   */
  readonly rootSyncNamespace?: string;
}

/** An object a ConfigSync error names (`errorResources[]`). */
export interface SyncErrorObject {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** The file in the repository that declares it. */
  readonly sourcePath?: string;
}

/** Where in ConfigSync's pipeline an error arose. */
export type SyncErrorStage = 'source' | 'rendering' | 'sync' | 'stalled' | 'reconciling';

/** One ConfigSync error (`ConfigSyncError`), in plain words. */
export interface SyncError {
  readonly stage: SyncErrorStage;
  /** `KNV` and the numeric code, e.g. `KNV2009`. */
  readonly code: string;
  /** What the code means, in a few words (from kpt-config-sync's pkg/status), when known. */
  readonly title?: string;
  /** The first paragraph of ConfigSync's message, without the KNV prefix and documentation link. */
  readonly summary: string;
  /** ConfigSync's message as written. */
  readonly message: string;
  readonly objects: readonly SyncErrorObject[];
}

/** One stage of the RootSync status (`status.source`, `status.rendering`, `status.sync`). */
export interface SyncStageStatus {
  /** The commit this stage last worked on. */
  readonly commit?: string;
  /** When the reconciler last updated this stage (RFC 3339). */
  readonly lastUpdate?: string;
  readonly errors: readonly SyncError[];
  /** How many errors ConfigSync counted (more than `errors` when it truncated the list). */
  readonly errorCount: number;
  readonly truncated: boolean;
}

/** A RootSync condition (Reconciling, Stalled, Syncing, ...). */
export interface SyncCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown' | string;
  readonly reason?: string;
  readonly message?: string;
  readonly commit?: string;
  readonly lastUpdateTime?: string;
  readonly lastTransitionTime?: string;
}

/**
 * What the RootSync says, as `nomos status` reads it (cmd/nomos/status/cluster_state.go):
 * - `stalled`: the Stalled condition is True (the reconciler cannot make progress);
 * - `reconciling`: the Reconciling condition is True (the reconciler is being set up);
 * - `pending`: the Syncing condition is True (fetching, rendering or applying a commit), or absent;
 * - `synced`: the Syncing condition is False with no errors (the commit is applied);
 * - `error`: the Syncing condition is False with errors (source, rendering or apply failed).
 */
export type SyncPhase = 'synced' | 'pending' | 'error' | 'stalled' | 'reconciling';

/** One resource of the inventory (`status.resourceStatuses[]` of the ResourceGroup). */
export interface InventoryResource {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /**
   * Current, InProgress, Failed, Terminating, NotFound, Unknown; `Conflict` when another
   * inventory owns it too (an OwnershipOverlap condition, as nomos reports it).
   */
  readonly status: string;
  /** The first 7 characters of the commit the resource was applied from. */
  readonly sourceHash?: string;
  readonly actuation?: string;
  readonly reconcile?: string;
  /** Condition messages (why it is not current). */
  readonly messages: readonly string[];
}

/** The ResourceGroup inventory of a RootSync, summarized. */
export interface InventorySummary {
  /** False when the ResourceGroup does not exist (yet). */
  readonly found: boolean;
  readonly total: number;
  /** Resource count by status. */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Every resource whose status is not Current, sorted by namespace, kind and name. */
  readonly notCurrent: readonly InventoryResource[];
  /** True when every resource is Current and the controller is neither stalled nor reconciling. */
  readonly healthy: boolean;
  /** The ResourceGroup controller's Reconciling condition is True: statuses may be about to change. */
  readonly reconciling: boolean;
  /** The ResourceGroup controller's Stalled condition is True, with its message. */
  readonly stalled?: string;
}

/** What one cluster reports. */
export interface ClusterSyncState {
  readonly cluster: string;
  readonly context: string;
  readonly rootSync: { readonly name: string; readonly namespace: string };
  /** False when the API server could not be reached or refused the reads. */
  readonly reachable: boolean;
  /** Why the cluster could not be read (no such context, connection refused, forbidden, ...). */
  readonly unreachableReason?: string;
  /** False when the cluster answered but has no such RootSync (ConfigSync not installed or not bootstrapped). */
  readonly rootSyncFound: boolean;
  /** What the API server said when the RootSync was not found. */
  readonly rootSyncMissing?: string;
  readonly phase?: SyncPhase;
  /**
   * The commit the cluster finished syncing without errors: the Syncing condition's commit
   * when synced, else `status.lastSyncedCommit` (an earlier commit) when ConfigSync records it.
   */
  readonly syncedCommit?: string;
  /** When the sync of `syncedCommit` finished (`status.sync.lastUpdate`), when it is the current one. */
  readonly syncedAt?: string;
  /** The commit the Syncing condition is about (being or last processed). */
  readonly syncingCommit?: string;
  /** `status.sync.commit`: the commit last applied (or being applied). */
  readonly syncCommit?: string;
  /** `status.source.commit`: the commit last fetched and parsed. */
  readonly sourceCommit?: string;
  /** `status.rendering.commit`: the commit last rendered. */
  readonly renderingCommit?: string;
  readonly lastSyncedCommit?: string;
  readonly source?: SyncStageStatus;
  readonly rendering?: SyncStageStatus;
  readonly sync?: SyncStageStatus;
  /** Every error the RootSync reports, stage by stage (stalled first, then rendering, source, sync). */
  readonly errors: readonly SyncError[];
  readonly conditions: readonly SyncCondition[];
  readonly inventory?: InventorySummary;
  /** When the status was read (RFC 3339). */
  readonly readAt: string;
}
