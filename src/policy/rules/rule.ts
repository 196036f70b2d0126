import { PolicyProfile, RuleSeverity } from '../severity';

/** One breach of a rule in one object. */
export interface RuleViolation {
  /** The offending field, e.g. `spec.template.spec.containers[0].image`. */
  readonly field: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/**
 * A rule checked at synth over every rendered object of the repository. Implement it to add
 * your own; `RuleSet.addRule()` takes it.
 *
 * @example
 * class NoLatestTag implements IPolicyRule {
 *   public readonly id = 'no-latest-tag';
 *   public readonly description = 'images must not use the tag "latest"';
 *   public defaultSeverity() { return RuleSeverity.ERROR; }
 *   public check(object: Record<string, any>): RuleViolation[] {
 *     return containersOf(object)
 *       .filter(c => String(c.container.image).endsWith(':latest'))
 *       .map(c => ({ field: `${c.path}.image`, message: 'pin a version instead of "latest"' }));
 *   }
 * }
 * RuleSet.defaults().addRule(new NoLatestTag());
 */
export interface IPolicyRule {
  /** Stable identifier, a DNS-1123 label, e.g. `image-digest`; used to change the rule's severity. */
  readonly id: string;
  /** One line saying what the rule demands. */
  readonly description: string;
  /** The severity the rule has in a profile unless a RuleSet overrides it. */
  defaultSeverity(profile: PolicyProfile): RuleSeverity;
  /** The violations in one rendered object (empty when it complies or the rule does not apply). */
  check(object: Record<string, any>): RuleViolation[];
}

/** `Deployment 5gc/amf`, or `Namespace 5gc` for objects without a namespace. */
export function describeObject(object: Record<string, any>): string {
  const kind = String(object?.kind ?? 'object');
  const name = String(object?.metadata?.name ?? '<unnamed>');
  const namespace = object?.metadata?.namespace;
  return namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

/** The API group of an apiVersion: `apps/v1` -> `apps`, `v1` -> `` (core). */
export function apiGroupOf(apiVersion: unknown): string {
  const value = String(apiVersion ?? '');
  const slash = value.lastIndexOf('/');
  return slash < 0 ? '' : value.slice(0, slash);
}
