import { PolicyProfile, RuleSeverity, severityForProfile } from '../severity';
import { containersOf } from './pod-spec';
import { IPolicyRule, RuleViolation } from './rule';

/**
 * No container runs privileged: a privileged container owns the node. Network functions that
 * need packet acceleration ask for the specific capabilities (NET_ADMIN, IPC_LOCK) and devices
 * instead.
 *
 * Fails in STRICT and STANDARD, warns in RELAXED.
 */
export class NoPrivilegedContainersRule implements IPolicyRule {
  public readonly id = 'no-privileged';
  public readonly description = 'no container runs privileged';

  public defaultSeverity(profile: PolicyProfile): RuleSeverity {
    return severityForProfile({ strict: RuleSeverity.ERROR, standard: RuleSeverity.ERROR, relaxed: RuleSeverity.WARNING }, profile);
  }

  public check(object: Record<string, any>): RuleViolation[] {
    return containersOf(object)
      .filter(({ container }) => container.securityContext?.privileged === true)
      .map(({ container, path }) => ({
        field: `${path}.securityContext.privileged`,
        message: `container "${container.name}" runs privileged; remove securityContext.privileged and add only the capabilities it needs (securityContext.capabilities.add, e.g. NET_ADMIN)`,
      }));
  }
}
