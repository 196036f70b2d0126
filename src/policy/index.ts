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
