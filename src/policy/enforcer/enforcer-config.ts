import { describeValue, isJsonObject, JsonObject, KrmFunctionError } from '../../kpt/functions/krm-function';
import { POD_SECURITY_RULE_ID } from '../rule-findings';
import { RuleSet } from '../rule-set';
import { PolicyProfile, RuleSeverity } from '../severity';

/** The typed function config kind of the policy enforcer (`fn.nephoran.io/v1alpha1`). */
export const POLICY_ENFORCER_CONFIG_API_VERSION = 'fn.nephoran.io/v1alpha1';
export const POLICY_ENFORCER_CONFIG_KIND = 'PolicyEnforcer';

/** What the policy enforcer checks, read from its function config. */
export interface PolicyEnforcerSettings {
  /** The profile whose default severities apply. */
  readonly profile: PolicyProfile;
  /** The rule set with the config's severities set for every environment. */
  readonly rules: RuleSet;
  /** The severity of the Pod Security admission check. */
  readonly podSecurity: RuleSeverity;
}

/** The profile used when the config names none. */
export const DEFAULT_ENFORCER_PROFILE = PolicyProfile.STANDARD;

const PROFILES: readonly string[] = Object.values(PolicyProfile);
const SEVERITIES: readonly string[] = Object.values(RuleSeverity);

let builtRuleIds: readonly string[] | undefined;

/** The rule ids the enforcer checks, in order: the built-in rules, then pod-security. */
export function enforcerRuleIds(): string[] {
  builtRuleIds ??= [...RuleSet.defaults().rules.map(r => r.id), POD_SECURITY_RULE_ID];
  return [...builtRuleIds];
}

/**
 * Reads the function config: none (the defaults), a ConfigMap whose `data` holds `profile` and
 * `<rule-id>: error|warning|off` (what kpt builds from an inline `configMap:` or from
 * `kpt fn eval ... -- profile=strict`), or a `fn.nephoran.io/v1alpha1` `PolicyEnforcer` with
 * `profile` and a `rules` map. Every problem is reported at once, as a KrmFunctionError.
 */
export function readEnforcerConfig(config: JsonObject | undefined): PolicyEnforcerSettings {
  const problems: string[] = [];
  let profileValue: unknown;
  let severities: Record<string, unknown> = {};
  const ruleIds = enforcerRuleIds();

  if (config === undefined || (config.kind === 'ConfigMap' && config.data === undefined)) {
    // kpt passes an empty ConfigMap for `configMap: {}` and for no config at all.
  } else if (config.kind === 'ConfigMap' && (config.apiVersion === 'v1' || config.apiVersion === undefined)) {
    if (!isJsonObject(config.data)) {
      problems.push(`functionConfig data must be a map of strings, found ${describeValue(config.data)}`);
    } else {
      const { profile, ...rest } = config.data;
      profileValue = profile;
      severities = rest;
      for (const key of Object.keys(rest)) {
        if (!ruleIds.includes(key)) problems.push(`unknown key "${key}" in the ConfigMap data: expected "profile" or a rule id (${ruleIds.join(', ')})`);
      }
    }
  } else if (config.apiVersion === POLICY_ENFORCER_CONFIG_API_VERSION && config.kind === POLICY_ENFORCER_CONFIG_KIND) {
    for (const key of Object.keys(config)) {
      if (!['apiVersion', 'kind', 'metadata', 'profile', 'rules'].includes(key)) {
        problems.push(`unknown field "${key}" in ${POLICY_ENFORCER_CONFIG_KIND}: expected profile and rules`);
      }
    }
    profileValue = config.profile;
    if (config.rules !== undefined && config.rules !== null) {
      if (!isJsonObject(config.rules)) problems.push(`${POLICY_ENFORCER_CONFIG_KIND} rules must be a map of rule id to severity, found ${describeValue(config.rules)}`);
      else severities = config.rules;
      for (const key of Object.keys(severities)) {
        if (!ruleIds.includes(key)) problems.push(`unknown rule "${key}" in ${POLICY_ENFORCER_CONFIG_KIND} rules: expected one of ${ruleIds.join(', ')}`);
      }
    }
  } else {
    problems.push(`unknown functionConfig ${String(config.kind)} ${String(config.apiVersion)}: expected a v1 ConfigMap or ${POLICY_ENFORCER_CONFIG_KIND} ${POLICY_ENFORCER_CONFIG_API_VERSION}`);
  }

  let profile = DEFAULT_ENFORCER_PROFILE;
  if (profileValue !== undefined && profileValue !== null && profileValue !== '') {
    if (typeof profileValue === 'string' && PROFILES.includes(profileValue)) profile = profileValue as PolicyProfile;
    else problems.push(`profile must be one of ${PROFILES.join(', ')}; found ${describeValue(profileValue)}`);
  }

  const rules = RuleSet.defaults();
  let podSecurity = RuleSeverity.ERROR;
  for (const id of ruleIds) {
    const value = severities[id];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !SEVERITIES.includes(value)) {
      problems.push(`the severity of ${id} must be one of ${SEVERITIES.join(', ')}; found ${describeValue(value)}`);
      continue;
    }
    if (id === POD_SECURITY_RULE_ID) podSecurity = value as RuleSeverity;
    else rules.setSeverity(id, value as RuleSeverity);
  }

  if (problems.length > 0) throw new KrmFunctionError(problems.map(message => ({ message, severity: 'error' as const })));
  return { profile, rules, podSecurity };
}
