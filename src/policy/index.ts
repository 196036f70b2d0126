export { PolicyProfile, ProfileSeverities, RuleSeverity, severityForProfile } from './severity';
export {
  apiGroupOf,
  ContainerLocation,
  containersOf,
  describeObject,
  HOST_NETWORK_REASON_ANNOTATION,
  HostNetworkRule,
  ImageDigestRule,
  IPolicyRule,
  NoPrivilegedContainersRule,
  NoSecretDataRule,
  PodSpecLocation,
  podSpecOf,
  ResourceRequirementsRule,
  ResourceRequirementsRuleOptions,
  RuleViolation,
} from './rules';
export { RuleSet, RuleSetProps, SeverityOverrideOptions } from './rule-set';
export { EnforcementScope, IEnforcementScopeProvider, PolicyEnforcement, PolicyEnforcementProps } from './policy-enforcement';
export { INamespaceLabelProvider, isNamespaceLabelProvider, POD_SECURITY_LABEL_PREFIX, PodSecurityLevel } from './pod-security';
export { enforcedLevel, podSecurityViolations } from './pod-security-admission';
export { NetworkIsolation } from './network-isolation';
export {
  ContainerDefaults,
  NamespaceQuota,
  overriddenFields,
  Policy,
  PolicyProps,
} from './policy';
export {
  namespaceLevels,
  POD_SECURITY_RULE_ID,
  podSecurityFindings,
  RuleFinding,
  ruleFindings,
} from './rule-findings';
export {
  blueprintValidators,
  DEFAULT_ENFORCER_PROFILE,
  DEFAULT_POLICY_ENFORCER_IMAGE,
  enforcePolicies,
  enforcerConfigMap,
  EnforcerFinding,
  enforcerRuleIds,
  EnforcerStepOptions,
  KUBECONFORM_IMAGE,
  packageValidators,
  POLICY_ENFORCER_CONFIG_API_VERSION,
  POLICY_ENFORCER_CONFIG_KIND,
  POLICY_ENFORCER_IMAGE_CONTEXT,
  POLICY_ENFORCER_NAME,
  POLICY_ENFORCER_VERSION,
  policyEnforcer,
  policyEnforcerImage,
  PolicyEnforcerSettings,
  policyEnforcerStep,
  readEnforcerConfig,
} from './enforcer';
