export {
  comparePaths,
  PackageRevision,
  RepoTree,
  RevisionBinding,
  RevisionField,
  revisionTag,
  RevisionValue,
} from './repo-tree';
export { checkRepoPath, normalizeRepoPath } from './repo-path';
export { OWNERSHIP_MANIFEST_PATH, parseOwnershipManifest, renderOwnershipManifest } from './ownership';
export {
  AppException,
  formatProblem,
  ProblemCollector,
  readSynthReport,
  SYNTH_REPORT_ENV,
  SynthError,
  SynthProblem,
  SynthReport,
  writeSynthReport,
} from './synth-error';
export { ProblemSink, RenderedObject, SynthContext } from './synth-context';
export {
  findSecretData,
  IRepoContributor,
  IRepoPreparer,
  IRepoValidator,
  markRepoContributor,
  markRepoPreparer,
  markRepoValidator,
  RepoSynthesis,
  synthesizeRepo,
} from './synthesizer';
export {
  FolderWriteResult,
  readOwnedPaths,
  readTreeFromFolder,
  recoverInterruptedWrite,
  writeTreeToFolder,
} from './folder-writer';
export {
  declareRepository,
  DEFAULT_REPOSITORY_NAME,
  GitOpsRepository,
  GitOpsRepositoryProps,
  readRepoSetFromFolder,
  RepoSet,
  repoSetOf,
  RepoSetSynthesis,
  RepoSetWriteResult,
  REPOSITORY_SET_MANIFEST_PATH,
  RepositoryDeclaration,
  REVISION_BINDINGS_PATH,
  writeRepoSetToFolder,
} from './gitops-repository';
export { toYamlDocuments } from './yaml-output';
export {
  AppExceptionError,
  AppFailedError,
  AppInterruptedError,
  AppSynthesis,
  DEFAULT_APP_TIMEOUT_SECONDS,
  loadAppRepoSet,
  loadAppSynthesis,
  LoadAppTreeOptions,
  resolveAppCommand,
} from './app-runner';

export {
  checkRolloutPlan,
  findWave,
  formatDuration,
  parseDuration,
  parseRolloutPlan,
  renderRolloutPlan,
  ROLLOUT_PLAN_PATH,
  RolloutPlan,
  RolloutPlanCluster,
  RolloutPlanError,
  RolloutPlanWave,
  soakSecondsOf,
} from './rollout-plan';
