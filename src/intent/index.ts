export { loadIntent, LoadIntentOptions, LoadedIntent, DeclaredDocument } from './load-intent';
export { synthesizeIntent } from './synthesize-intent';
export { intentSchema, validateIntentDocument, INTENT_API_VERSION, IntentViolation } from './intent-schema';
export { IntentLocation, IntentSourceDocument, IntentPathError, intentFiles, formatLocation } from './intent-source';
export * from './types';
