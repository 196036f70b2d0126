export {
  DEFAULT_ENFORCER_PROFILE,
  enforcerRuleIds,
  POLICY_ENFORCER_CONFIG_API_VERSION,
  POLICY_ENFORCER_CONFIG_KIND,
  PolicyEnforcerSettings,
  readEnforcerConfig,
} from './enforcer-config';
export {
  DEFAULT_POLICY_ENFORCER_IMAGE,
  enforcePolicies,
  EnforcerFinding,
  POLICY_ENFORCER_NAME,
  POLICY_ENFORCER_VERSION,
  policyEnforcer,
} from './policy-enforcer-function';
export {
  blueprintValidators,
  enforcerConfigMap,
  EnforcerStepOptions,
  KUBECONFORM_IMAGE,
  packageValidators,
  POLICY_ENFORCER_IMAGE_CONTEXT,
  policyEnforcerImage,
  policyEnforcerStep,
} from './package-validators';
