/** What a rule violation does to synth. */
export enum RuleSeverity {
  /** The violation fails synth. */
  ERROR = 'error',
  /** The violation is reported; synth goes on. */
  WARNING = 'warning',
  /** The rule is not checked. */
  OFF = 'off',
}

/**
 * How strictly the rules apply to one environment. Every rule declares its default severity per
 * profile; an environment picks a profile (production is STRICT, staging STANDARD, development
 * RELAXED) and a RuleSet can override single rules per profile or per environment.
 */
export enum PolicyProfile {
  /** Everything the rules check fails synth: for production. */
  STRICT = 'strict',
  /** Safety rules fail, hygiene rules (such as digest pinning) warn: for staging. */
  STANDARD = 'standard',
  /** Only rules that guard secrets fail, the rest warn or are off: for development and blueprints. */
  RELAXED = 'relaxed',
}

/** Default severities of one rule, one per profile. */
export interface ProfileSeverities {
  readonly strict: RuleSeverity;
  readonly standard: RuleSeverity;
  readonly relaxed: RuleSeverity;
}

/** Picks the severity a ProfileSeverities gives one profile. */
export function severityForProfile(severities: ProfileSeverities, profile: PolicyProfile): RuleSeverity {
  switch (profile) {
    case PolicyProfile.STRICT: return severities.strict;
    case PolicyProfile.STANDARD: return severities.standard;
    case PolicyProfile.RELAXED: return severities.relaxed;
  }
}
