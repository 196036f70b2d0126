export { apiGroupOf, describeObject, IPolicyRule, RuleViolation } from './rule';
export { ContainerLocation, containersOf, PodSpecLocation, podSpecOf } from './pod-spec';
export { ImageDigestRule } from './image-digest';
export { ResourceRequirementsRule, ResourceRequirementsRuleOptions } from './resource-requirements';
export { NoPrivilegedContainersRule } from './no-privileged';
export { HOST_NETWORK_REASON_ANNOTATION, HostNetworkRule } from './host-network';
export { NoSecretDataRule } from './no-secret-data';
