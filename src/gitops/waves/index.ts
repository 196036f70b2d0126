export {
  formatWaveMark,
  parseWaveMark,
  RolloutTrailers,
  rolloutTrailersOf,
  WAVE_TRAILER,
  WaveMark,
} from './trailers';
export { composeWaveTree, pathsInWaves } from './compose';
export {
  groupRollouts,
  parsePlan,
  readRolloutPlanAt,
  readRolloutState,
  rolloutLog,
  RolloutState,
  RolloutStep,
} from './state';
export {
  checkWaveGate,
  ClusterStateReader,
  ClusterVerdict,
  WaveGateOptions,
  WaveGateResult,
} from './gate';
export {
  promote,
  PromoteOptions,
  PromotionRefusedError,
  publishRolloutWave,
  rollbackWave,
  rolloutPlanOf,
  RolloutProgress,
  WavePublishResult,
  WaveRollbackOptions,
} from './publish-wave';
export {
  formatRolloutHistory,
  rolloutHistory,
  RolloutHistoryEntry,
  RolloutHistoryOptions,
  RolloutHistoryStep,
} from './history';
