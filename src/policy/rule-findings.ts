import { PodSecurityLevel } from './pod-security';
import { enforcedLevel, podSecurityViolations } from './pod-security-admission';
import { RuleSet } from './rule-set';
import { PolicyProfile, RuleSeverity } from './severity';

/** One rule violation in one object, at the severity the rule has there. */
export interface RuleFinding {
  /** The rule's id, e.g. `image-digest`, or `pod-security` for the namespace's admission level. */
  readonly ruleId: string;
  readonly severity: RuleSeverity.ERROR | RuleSeverity.WARNING;
  /** The offending field, e.g. `spec.template.spec.containers[0].image`. */
  readonly field: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** The id under which Pod Security admission findings are reported and configured. */
export const POD_SECURITY_RULE_ID = 'pod-security';

/**
 * The violations of one object against a rule set, for a profile (and environment): the one
 * rule evaluation synth (PolicyEnforcement) and the policy-enforcer KRM function share.
 */
export function ruleFindings(object: Record<string, any>, rules: RuleSet, profile: PolicyProfile, environment?: string): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const rule of rules.rules) {
    const severity = rules.severityOf(rule, profile, environment);
    if (severity === RuleSeverity.OFF) continue;
    for (const violation of rule.check(object)) findings.push({ ruleId: rule.id, severity: severity as RuleFinding['severity'], field: violation.field, message: violation.message });
  }
  return findings;
}

/**
 * The enforce level of every `v1` Namespace among `objects` that carries a
 * `pod-security.kubernetes.io/enforce` label, by namespace name.
 */
export function namespaceLevels(objects: Iterable<Record<string, any>>): Map<string, PodSecurityLevel> {
  const levels = new Map<string, PodSecurityLevel>();
  for (const object of objects) {
    if (object?.kind !== 'Namespace' || object.apiVersion !== 'v1') continue;
    const level = enforcedLevel(object);
    if (level) levels.set(String(object.metadata?.name), level);
  }
  return levels;
}

/**
 * What Pod Security admission would reject in one object at its namespace's enforce level
 * (none when the level is unknown): the findings and wording synth and the enforcer share.
 */
export function podSecurityFindings(object: Record<string, any>, level: PodSecurityLevel | undefined): RuleFinding[] {
  if (!level) return [];
  const namespace = object?.metadata?.namespace;
  return podSecurityViolations(object, level).map(v => ({
    ruleId: POD_SECURITY_RULE_ID,
    severity: RuleSeverity.ERROR,
    field: v.field,
    message: `its pods would be rejected at admission: ${v.message} in namespace ${namespace}; change the workload or place a policy with a lower podSecurity level on the namespace`,
  }));
}
