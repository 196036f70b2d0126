// The public API of the network module; helpers used by its constructs stay internal.
export { InterfaceType, CustomInterfaceTypeOptions, ReferencePointTransportOptions, DataNetwork, NetworkInterfaceOptions, NfPort } from './interfaces';
export { NfKind, NfDomain, CustomNfKindOptions } from './nf-kind';
export { NfCapacity } from './capacity';
export { NfDeploymentModel, CustomNfOperatorOptions } from './deployment-model';
export { RanSettings, Plmn } from './nf-config';
export { NetworkAttachment, NetworkAttachmentProps, AttachmentAddress, attachmentName, cniConfig, SRIOV_RESOURCE_ANNOTATION } from './network-attachment';
export { SliceServiceType, SnssaiValue } from './snssai';
export { SliceQos } from './qos';
export { NetworkFunction, NetworkFunctionProps, NETWORK_FUNCTIONS_FOLDER } from './network-function';
export { NetworkSlice, NetworkSliceProps, SliceQuota, SLICES_FOLDER } from './network-slice';
export { NfWorkloadOptions, NfSidecar, NfVolume, NfContainerSecurity } from './nf-workload-options';
export { canonicalQuantity } from './resources';
