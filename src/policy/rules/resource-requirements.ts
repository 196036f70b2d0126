import { PolicyProfile, RuleSeverity, severityForProfile } from '../severity';
import { containersOf } from './pod-spec';
import { IPolicyRule, RuleViolation } from './rule';

/** Options of the ResourceRequirementsRule. */
export interface ResourceRequirementsRuleOptions {
  /**
   * The resources every container must request and limit.
   * @default ['cpu', 'memory']
   */
  readonly resources?: string[];
}

/**
 * Every container (init containers included) sets requests and limits for CPU and memory, so the
 * scheduler can place it and a noisy neighbour cannot starve a network function.
 *
 * Fails in STRICT and STANDARD, warns in RELAXED.
 *
 * @example
 * const rules = RuleSet.defaults();
 * rules.replaceRule(new ResourceRequirementsRule({ resources: ['cpu', 'memory', 'hugepages-1Gi'] }));
 */
export class ResourceRequirementsRule implements IPolicyRule {
  public readonly id = 'resource-requirements';
  public readonly description: string;
  private readonly resources: string[];

  constructor(options: ResourceRequirementsRuleOptions = {}) {
    this.resources = [...(options.resources ?? ['cpu', 'memory'])];
    if (this.resources.length === 0) throw new Error('ResourceRequirementsRule: resources must name at least one resource, e.g. ["cpu", "memory"]');
    this.description = `containers request and limit ${this.resources.join(' and ')}`;
  }

  public defaultSeverity(profile: PolicyProfile): RuleSeverity {
    return severityForProfile({ strict: RuleSeverity.ERROR, standard: RuleSeverity.ERROR, relaxed: RuleSeverity.WARNING }, profile);
  }

  public check(object: Record<string, any>): RuleViolation[] {
    const violations: RuleViolation[] = [];
    // Ephemeral containers cannot have resources.
    for (const { container, path } of containersOf(object, ['initContainers', 'containers'])) {
      for (const kind of ['requests', 'limits']) {
        const set = container.resources?.[kind] ?? {};
        const missing = this.resources.filter(r => set[r] === undefined || set[r] === null || set[r] === '');
        if (missing.length > 0) {
          violations.push({
            field: `${path}.resources.${kind}`,
            message: `container "${container.name}" sets no ${kind} for ${missing.join(', ')}; set resources.${kind}.${missing[0]} (through the package or a placement's resources override)`,
          });
        }
      }
    }
    return violations;
  }
}
