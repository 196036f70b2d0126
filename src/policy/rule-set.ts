import { checkDnsLabel } from '../kpt/naming';
import { HostNetworkRule } from './rules/host-network';
import { ImageDigestRule } from './rules/image-digest';
import { NoPrivilegedContainersRule } from './rules/no-privileged';
import { NoSecretDataRule } from './rules/no-secret-data';
import { ResourceRequirementsRule } from './rules/resource-requirements';
import { IPolicyRule } from './rules/rule';
import { PolicyProfile, RuleSeverity } from './severity';

/** Props of a RuleSet. */
export interface RuleSetProps {
  /**
   * The rules to check.
   * @default - none; `RuleSet.defaults()` gives the built-in rules
   */
  readonly rules?: IPolicyRule[];
  /**
   * The profile for objects that belong to no cluster (blueprints under packages/).
   * @default PolicyProfile.RELAXED
   */
  readonly unplacedProfile?: PolicyProfile;
}

/** Where a severity override applies. Give at most one of the two; neither means everywhere. */
export interface SeverityOverrideOptions {
  /**
   * Only in this environment (its name, e.g. `staging`).
   * @default - not limited to one environment
   */
  readonly environment?: string;
  /**
   * Only in environments with this profile.
   * @default - not limited to one profile
   */
  readonly profile?: PolicyProfile;
}

/**
 * The rules checked at synth over every rendered object, and how severe each is where. A rule's
 * severity is, from most to least specific: the override for the object's environment, the
 * override for the environment's profile, the override for everywhere, the rule's own default
 * for the profile.
 *
 * @example
 * const rules = RuleSet.defaults();
 * // digests are required in staging too; privileged pods only warn in the lab
 * rules.setSeverity('image-digest', RuleSeverity.ERROR, { environment: 'staging' });
 * rules.setSeverity('no-privileged', RuleSeverity.WARNING, { environment: 'lab' });
 * new Fleet(repo, 'fleet', { repoUrl: 'https://git.example.com/telco/fleet.git', auth: GitAuth.none(), rules });
 */
export class RuleSet {
  /**
   * The built-in rules: image-digest, resource-requirements, no-privileged, host-network and
   * no-secret-data.
   */
  public static defaults(props: { readonly unplacedProfile?: PolicyProfile } = {}): RuleSet {
    return new RuleSet({
      unplacedProfile: props.unplacedProfile,
      rules: [new ImageDigestRule(), new ResourceRequirementsRule(), new NoPrivilegedContainersRule(), new HostNetworkRule(), new NoSecretDataRule()],
    });
  }

  /** The profile used for objects outside every cluster's folders. */
  public readonly unplacedProfile: PolicyProfile;
  private readonly ruleList: IPolicyRule[] = [];
  private readonly everywhere = new Map<string, RuleSeverity>();
  private readonly byProfile = new Map<string, RuleSeverity>();
  private readonly byEnvironment = new Map<string, RuleSeverity>();

  constructor(props: RuleSetProps = {}) {
    this.unplacedProfile = props.unplacedProfile ?? PolicyProfile.RELAXED;
    for (const rule of props.rules ?? []) this.addRule(rule);
  }

  /** The rules, in the order they are checked. */
  public get rules(): IPolicyRule[] {
    return [...this.ruleList];
  }

  /** Adds a rule; its id must be new. */
  public addRule(rule: IPolicyRule): void {
    const error = checkDnsLabel(rule.id);
    if (error) throw new Error(`rule id ${error}`);
    if (this.ruleList.some(r => r.id === rule.id)) throw new Error(`the rule set already has a rule "${rule.id}"; use replaceRule() to configure it differently`);
    this.ruleList.push(rule);
  }

  /** Replaces the rule with the same id (to configure a built-in rule differently). */
  public replaceRule(rule: IPolicyRule): void {
    const index = this.ruleList.findIndex(r => r.id === rule.id);
    if (index < 0) throw new Error(`the rule set has no rule "${rule.id}" to replace; rules: ${this.ids()}`);
    this.ruleList[index] = rule;
  }

  /** Removes a rule by id. */
  public removeRule(id: string): void {
    const index = this.ruleList.findIndex(r => r.id === id);
    if (index < 0) throw new Error(`the rule set has no rule "${id}"; rules: ${this.ids()}`);
    this.ruleList.splice(index, 1);
  }

  /** Sets how severe a rule is, everywhere or in one environment or profile. */
  public setSeverity(ruleId: string, severity: RuleSeverity, options: SeverityOverrideOptions = {}): void {
    if (!this.ruleList.some(r => r.id === ruleId)) throw new Error(`the rule set has no rule "${ruleId}"; rules: ${this.ids()}`);
    if (!Object.values(RuleSeverity).includes(severity)) throw new Error(`severity must be one of ${Object.values(RuleSeverity).join(', ')}; got ${JSON.stringify(severity)}`);
    if (options.environment !== undefined && options.profile !== undefined) {
      throw new Error(`setSeverity("${ruleId}"): give either environment or profile, not both`);
    }
    if (options.environment !== undefined) {
      const error = checkDnsLabel(options.environment);
      if (error) throw new Error(`setSeverity("${ruleId}"): environment ${error}`);
      this.byEnvironment.set(`${ruleId}\n${options.environment}`, severity);
    } else if (options.profile !== undefined) {
      this.byProfile.set(`${ruleId}\n${options.profile}`, severity);
    } else {
      this.everywhere.set(ruleId, severity);
    }
  }

  /** The severity of a rule for an object in an environment (none for unplaced objects). */
  public severityOf(rule: IPolicyRule, profile: PolicyProfile, environment?: string): RuleSeverity {
    return (environment !== undefined ? this.byEnvironment.get(`${rule.id}\n${environment}`) : undefined)
      ?? this.byProfile.get(`${rule.id}\n${profile}`)
      ?? this.everywhere.get(rule.id)
      ?? rule.defaultSeverity(profile);
  }

  private ids(): string {
    return this.ruleList.map(r => r.id).join(', ') || '(none)';
  }
}
