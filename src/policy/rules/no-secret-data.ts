import { PolicyProfile, RuleSeverity } from '../severity';
import { apiGroupOf, IPolicyRule, RuleViolation } from './rule';

/**
 * No Secret in the repository carries `data` or `stringData`: everything in git is readable by
 * everyone who can clone it, and stays in its history. Reference secrets through an ExternalSecret
 * (external-secrets.io) or commit them encrypted as a SealedSecret (bitnami.com).
 *
 * Fails in every profile.
 */
export class NoSecretDataRule implements IPolicyRule {
  public readonly id = 'no-secret-data';
  public readonly description = 'no Secret carries data or stringData';

  public defaultSeverity(_profile: PolicyProfile): RuleSeverity {
    return RuleSeverity.ERROR;
  }

  public check(object: Record<string, any>): RuleViolation[] {
    if (object?.kind !== 'Secret' || apiGroupOf(object.apiVersion) !== '') return [];
    const violations: RuleViolation[] = [];
    for (const field of ['data', 'stringData']) {
      const value = object[field];
      if (value && typeof value === 'object' && Object.keys(value).length > 0) {
        violations.push({
          field,
          message: `a Secret with ${field} (${Object.keys(value).sort().join(', ')}) would put its values into git; use an ExternalSecret (external-secrets.io/v1) or a SealedSecret (bitnami.com/v1alpha1) that produces it`,
        });
      }
    }
    return violations;
  }
}
