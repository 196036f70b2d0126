export {
  KPTFILE_API_VERSION,
  KptfileFunction,
  KptPackageInfo,
  KptSelector,
  KptUpstream,
  LOCAL_CONFIG_ANNOTATION,
  renderKptfile,
} from './kptfile';
export {
  isSelected,
  KptFunction,
  KptFunctionImageOptions,
  KptFunctionOptions,
  matchesSelector,
} from './kpt-function';
export { KptPackage, KptPackageProps } from './kpt-package';
export {
  checkDnsLabel,
  checkDnsSubdomain,
  checkObjectName,
  DNS1123_LABEL,
  DNS1123_SUBDOMAIN,
  toDnsFragment,
} from './naming';
export {
  AddressRequest,
  DeploymentTarget,
  IFleetView,
  InterfaceAddress,
  IPackageBlueprint,
  NetworkDefinition,
  PlacedInstance,
  ResourceRequirements,
  VariantOptions,
  WorkloadAutoscaling,
  WorkloadDisruptionBudget,
  WorkloadEnvFrom,
  WorkloadEnvValue,
  WorkloadFootprint,
  WorkloadNodeAffinity,
  WorkloadNodeRequirement,
  WorkloadOverrides,
  WorkloadPodAntiAffinity,
  WorkloadProbe,
  WorkloadToleration,
  WorkloadTopologySpread,
} from './blueprint';
