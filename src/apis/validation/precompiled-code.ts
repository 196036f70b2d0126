import generated from './precompiled-validators.json';
import type { StandaloneValidators } from './standalone-validators';

/** The generated standalone validators; loaded (by require) only when a validator is first needed. */
export const PRECOMPILED_VALIDATORS: StandaloneValidators = generated;
