import { PolicyProfile, RuleSeverity, severityForProfile } from '../severity';
import { podSpecOf } from './pod-spec';
import { IPolicyRule, RuleViolation } from './rule';

/**
 * The annotation that justifies `hostNetwork: true` on a workload: the reason a network-function
 * interface needs the node's network (e.g. `N3 and N6 bound to the node's SR-IOV ports`). Set it on
 * the workload's metadata or its pod template; an empty value does not count.
 */
export const HOST_NETWORK_REASON_ANNOTATION = 'nephoran.io/host-network-reason';

/**
 * No pod uses the node's network unless the workload says why, with the
 * `nephoran.io/host-network-reason` annotation (set by the network module for NF interfaces that
 * need it). A pod on the host network bypasses NetworkPolicy isolation.
 *
 * Fails in STRICT and STANDARD, warns in RELAXED.
 */
export class HostNetworkRule implements IPolicyRule {
  public readonly id = 'host-network';
  public readonly description = `pods use hostNetwork only with a ${HOST_NETWORK_REASON_ANNOTATION} annotation`;

  public defaultSeverity(profile: PolicyProfile): RuleSeverity {
    return severityForProfile({ strict: RuleSeverity.ERROR, standard: RuleSeverity.ERROR, relaxed: RuleSeverity.WARNING }, profile);
  }

  public check(object: Record<string, any>): RuleViolation[] {
    const pod = podSpecOf(object);
    if (!pod || pod.spec.hostNetwork !== true) return [];
    const reason = object.metadata?.annotations?.[HOST_NETWORK_REASON_ANNOTATION] ?? pod.podMetadata.annotations?.[HOST_NETWORK_REASON_ANNOTATION];
    if (typeof reason === 'string' && reason.trim() !== '') return [];
    return [{
      field: `${pod.path}.hostNetwork`,
      message: `uses the host network without a reason; remove hostNetwork, or, when a network-function interface needs it, annotate the workload with ${HOST_NETWORK_REASON_ANNOTATION}: "<which interface and why>"`,
    }];
  }
}
