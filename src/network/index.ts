// The public API of the network module; helpers used by its constructs stay internal.
export { InterfaceType, CustomInterfaceTypeOptions, ReferencePointTransportOptions, DataNetwork, NetworkInterfaceOptions, NfPort } from './interfaces';
export { NfKind, NfDomain, CustomNfKindOptions } from './nf-kind';
export { NfCapacity } from './capacity';
export { SliceServiceType, SnssaiValue } from './snssai';
export { SliceQos } from './qos';
export { NetworkFunction, NetworkFunctionProps, NETWORK_FUNCTIONS_FOLDER } from './network-function';
export { NetworkSlice, NetworkSliceProps, SliceQuota, SLICES_FOLDER } from './network-slice';
