import { IConstruct } from 'constructs';
import { KptFunction } from '../../kpt/kpt-function';
import { RuleSet } from '../rule-set';
import { IPolicyRule } from '../rules/rule';
import { PolicyProfile } from '../severity';
import { DEFAULT_POLICY_ENFORCER_IMAGE, POLICY_ENFORCER_NAME } from './policy-enforcer-function';

/**
 * The construct context key that sets the policy enforcer image packages declare: an image
 * reference (your registry's copy of the image), or `false` to declare no enforcer.
 */
export const POLICY_ENFORCER_IMAGE_CONTEXT = 'nephoran.io/policy-enforcer-image';

/**
 * The catalog's kubeconform validator. It carries the Kubernetes JSON schemas in its image, so
 * Porch validates without network access; custom resources without a bundled schema are skipped.
 */
export const KUBECONFORM_IMAGE = 'gcr.io/kpt-fn/kubeconform:v0.1.1';

/**
 * The enforcer image a scope declares: the context value, the default, or none when it is
 * `false`. Set the context on the repository before declaring packages:
 * `repo.node.setContext(POLICY_ENFORCER_IMAGE_CONTEXT, 'registry.example.com/policy-enforcer:v0.1.0')`.
 */
export function policyEnforcerImage(scope: IConstruct): string | undefined {
  const value = scope.node.tryGetContext(POLICY_ENFORCER_IMAGE_CONTEXT);
  if (value === undefined || value === null) return DEFAULT_POLICY_ENFORCER_IMAGE;
  if (value === false || value === 'false') return undefined;
  // Anything else is written as given: synth checks Kptfile images and reports a bad one.
  return String(value).trim();
}

let builtInRules: ReadonlyMap<string, IPolicyRule> | undefined;

/**
 * The enforcer's inline config for the severities a rule set gives a profile (and environment):
 * the profile, plus each rule the enforcer knows whose severity there differs from the rule's
 * default for the profile. Rules the enforcer does not implement are left to synth.
 */
export function enforcerConfigMap(rules: RuleSet, profile: PolicyProfile, environment?: string): Record<string, string> {
  builtInRules ??= new Map(RuleSet.defaults().rules.map(r => [r.id, r] as const));
  const config: Record<string, string> = { profile };
  for (const rule of rules.rules) {
    // The enforcer runs the built-in rules only, with their built-in defaults.
    const reference = builtInRules.get(rule.id);
    if (!reference) continue;
    const severity = rules.severityOf(rule, profile, environment);
    if (severity !== reference.defaultSeverity(profile)) config[rule.id] = severity;
  }
  return config;
}

/** Where the enforcer's severities come from: a rule set at a profile (and environment). */
export interface EnforcerStepOptions {
  /**
   * The rules whose severities the step states.
   * @default RuleSet.defaults()
   */
  readonly rules?: RuleSet;
  /** The profile synth applies to the package. */
  readonly profile: PolicyProfile;
  /**
   * The environment synth applies to the package.
   * @default - none: only profile and everywhere overrides count
   */
  readonly environment?: string;
  /**
   * The step's name in the pipeline.
   * @default 'policy-enforcer'
   */
  readonly name?: string;
}

/** The policy-enforcer pipeline step with the severities synth applied, or none when the context turns it off. */
export function policyEnforcerStep(scope: IConstruct, options: EnforcerStepOptions): KptFunction | undefined {
  const image = policyEnforcerImage(scope);
  if (!image) return undefined;
  return KptFunction.fromImage(image, {
    name: options.name ?? POLICY_ENFORCER_NAME,
    configMap: enforcerConfigMap(options.rules ?? RuleSet.defaults(), options.profile, options.environment),
  });
}

/**
 * The validators a package declares after its mutators, the "Apply Policies, Resource
 * Validation" steps: the policy enforcer with the severities synth applied to the package, then
 * kubeconform. Synth runs neither (it has checked the same rules and schemas in-process); Porch
 * and `kpt fn render` run both.
 */
export function packageValidators(scope: IConstruct, options: EnforcerStepOptions): KptFunction[] {
  const enforcer = policyEnforcerStep(scope, options);
  return [
    ...(enforcer ? [enforcer] : []),
    KptFunction.fromImage(KUBECONFORM_IMAGE, { name: 'kubeconform', configMap: { ignore_missing_schemas: 'true', strict: 'true' } }),
  ];
}

/** The validators of a blueprint, checked like synth checks objects outside every cluster (relaxed). */
export function blueprintValidators(scope: IConstruct): KptFunction[] {
  return packageValidators(scope, { profile: RuleSet.defaults().unplacedProfile });
}
