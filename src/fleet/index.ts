export { CustomEnvironmentOptions, Environment, isEnvironment } from './environment';
export { SiteType } from './site-type';
export {
  BOOTSTRAP_CLUSTER_ANNOTATION,
  checkLabelKey,
  checkLabelValue,
  CLUSTER_NAME_LABEL,
  ENVIRONMENT_LABEL,
  REGION_LABEL,
  SITE_TYPE_LABEL,
} from './labels';
export {
  ExternalSecretCredentialsOptions,
  GitCredentials,
  SealedSecretCredentialsOptions,
  SealedSecretScope,
  SecretStoreKind,
} from './git-credentials';
export { GitAuth } from './git-auth';
export { checkOverrides, mergeOverrides, OverrideProblem, overrideProblems } from './overrides';
export { Cluster, ClusterProps, CONFIG_MANAGEMENT_NAMESPACE, MANAGEMENT_CLUSTERS_FOLDER } from './cluster';
export { NAMESPACES_PACKAGE, Placement, PlacementProps } from './placement';
export {
  checkSyncedFolders,
  normalizeRepoUrl,
  SYNC_OBJECT_LIMIT,
  SYNC_OBJECT_WARNING,
  SyncedFolder,
  syncedFolderOf,
} from './synced-folders';
export { Fleet, FleetProps } from './fleet';
export {
  APPROVAL_POLICY_ANNOTATION,
  CLUSTER_PLACEHOLDER,
  CLUSTER_REPOSITORIES_FOLDER,
  ClusterSyncSource,
  DeliveryMode,
  FleetLayout,
  IClusterSyncSources,
  PorchApprovalPolicy,
  PorchDeliveryOptions,
  repositoryNameOf,
  RepositoryPerClusterOptions,
  singleRepositorySource,
  syncSourceFor,
} from './layout';
export {
  BLUEPRINTS_FOLDER,
  defaultBlueprintRepositoryName,
  PACKAGE_CONTEXT_KEYS,
  PORCH_NAMESPACE,
  PORCH_PACKAGE_PATH,
  PORCH_VARIANTS_FOLDER,
  RESERVED_PORCH_REPOSITORY_NAMES,
} from './porch';
export {
  REMAINING_WAVE,
  Rollout,
  RolloutProps,
  Wave,
  WaveProps,
} from './rollout';
