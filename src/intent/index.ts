export { loadIntent, LoadIntentOptions, LoadedIntent, DeclaredDocument } from './load-intent';
export { synthesizeIntent } from './synthesize-intent';
export { intentSchema, validateIntentDocument, INTENT_API_VERSION, IntentViolation } from './intent-schema';
export { IntentLocation, IntentSourceDocument, IntentPathError, intentFiles, formatLocation } from './intent-source';
export {
  IntentApiVersion, IntentMetadata, IntentResources, IntentOverrides, IntentGitCredentials, IntentGitAuth, IntentRuleSeverity, IntentRules,
  IntentEnvironment, IntentLayout, IntentDeliveryMode, IntentInterface, IntentPort, IntentSidecar, IntentVolume, IntentWorkload, IntentBlueprintRef,
  FleetSpec, ClusterSpec, NetworkFunctionSpec, NetworkSliceSpec, PolicySpec, PlacementSpec,
  FleetDocument, ClusterDocument, NetworkFunctionDocument, NetworkSliceDocument, PolicyDocument, PlacementDocument, IntentDocument,
  IntentKind, INTENT_KINDS,
} from './types';
