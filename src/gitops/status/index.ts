export {
  ClusterSyncState,
  ClusterSyncTarget,
  CONFIG_SYNC_NAMESPACE,
  InventoryResource,
  InventorySummary,
  RESOURCE_GROUP_API,
  ROOT_SYNC_API,
  SyncCondition,
  SyncError,
  SyncErrorObject,
  SyncErrorStage,
  SyncPhase,
  SyncStageStatus,
} from './types';
export {
  describeResource,
  interpretRootSync,
  knvCode,
  plainMessage,
  RootSyncInterpretation,
  rootSyncOf,
  summarizeInventory,
} from './interpret';
export { DEFAULT_CLUSTER_TIMEOUT_MS, ReadClusterSyncOptions, readClusterSyncStates } from './read';
export {
  ClusterVerification,
  CommitLookup,
  CommitRelation,
  DurationFigures,
  formatSeconds,
  RepositoryCommit,
  short,
  SyncFigures,
  syncFigures,
  verifyCluster,
} from './verify';
export {
  CLUSTERS_FOLDER,
  FleetSyncReport,
  fleetSyncStatus,
  FleetSyncStatusOptions,
  PublishedRepositoryState,
  PublishedRootSync,
  repositoryName,
  rootSyncsInFiles,
  StatusRepository,
  waitForFleetSync,
  WaitOptions,
  WaitResult,
} from './fleet-status';
export { formatFleetSyncReport } from './format';
export { parseDurationFlag } from './duration';
