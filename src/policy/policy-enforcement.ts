import { Construct } from 'constructs';
import { ruleFindings } from './rule-findings';
import { RuleSet } from './rule-set';
import { RenderedObject, SynthContext } from '../repo/synth-context';
import { IRepoValidator, markRepoValidator } from '../repo/synthesizer';
import { describeObject } from './rules/rule';
import { PolicyProfile, RuleSeverity } from './severity';

/** The objects under one repository folder that belong to one cluster. */
export interface EnforcementScope {
  /** Repository folder, e.g. `deployments/production/edge-01`. */
  readonly folder: string;
  /** The cluster the objects run on. */
  readonly cluster: string;
  /** The cluster's environment name. */
  readonly environment: string;
  /** The environment's policy profile. */
  readonly profile: PolicyProfile;
}

/** Tells the enforcement which folders belong to which cluster; asked once per synth. */
export interface IEnforcementScopeProvider {
  enforcementScopes(): EnforcementScope[];
}

/** Props of a PolicyEnforcement. */
export interface PolicyEnforcementProps {
  /**
   * The rules and their severities.
   * @default RuleSet.defaults()
   */
  readonly rules?: RuleSet;
  /**
   * Which folders belong to which cluster and environment. A Fleet passes itself.
   * @default - every object is checked with the rule set's unplacedProfile
   */
  readonly scopes?: IEnforcementScopeProvider;
}

/**
 * Checks every rendered object of the repository against a rule set at synth, and reports every
 * violation at once, each with the construct path, the cluster (and environment) and the object.
 * A Fleet creates one for its clusters; create one yourself only for a repository without a Fleet.
 *
 * @example
 * const repo = new GitOpsRepository();
 * new PolicyEnforcement(repo, 'policy-rules', { rules: RuleSet.defaults() });
 */
export class PolicyEnforcement extends Construct implements IRepoValidator {
  /** The rules this enforcement checks. */
  public readonly rules: RuleSet;
  private readonly scopes?: IEnforcementScopeProvider;

  constructor(scope: Construct, id: string, props: PolicyEnforcementProps = {}) {
    super(scope, id);
    this.rules = props.rules ?? RuleSet.defaults();
    this.scopes = props.scopes;
    markRepoValidator(this);
  }

  /** @internal */
  public _validateRepo(context: SynthContext): void {
    const scopeByFolder = new Map<string, EnforcementScope>();
    for (const scope of this.scopes?.enforcementScopes() ?? []) scopeByFolder.set(scope.folder, scope);

    for (const rendered of context.objects) {
      const scope = findScope(rendered.filePath, scopeByFolder);
      const profile = scope?.profile ?? this.rules.unplacedProfile;
      for (const finding of ruleFindings(rendered.object, this.rules, profile, scope?.environment)) {
        const message = `${finding.ruleId}: ${where(rendered, scope)}: ${finding.message}`;
        if (finding.severity === RuleSeverity.ERROR) context.problems.add(rendered.constructPath, finding.field, message);
        else context.problems.warn(rendered.constructPath, finding.field, message);
      }
    }
  }
}

/** The scope of the closest enclosing folder; looks up each ancestor once, so cost is the path depth. */
function findScope(filePath: string, scopes: Map<string, EnforcementScope>): EnforcementScope | undefined {
  if (scopes.size === 0) return undefined;
  for (let end = filePath.lastIndexOf('/'); end > 0; end = filePath.lastIndexOf('/', end - 1)) {
    const scope = scopes.get(filePath.slice(0, end));
    if (scope) return scope;
  }
  return undefined;
}

function where(rendered: RenderedObject, scope: EnforcementScope | undefined): string {
  const placement = scope ? `on cluster ${scope.cluster} (${scope.environment})` : '(in no cluster\'s folder)';
  return `${describeObject(rendered.object)} ${placement}, ${rendered.filePath}`;
}
