import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { NetworkDefinition } from '../kpt/blueprint';

/** Annotation that makes Multus request the SR-IOV device plugin's resource for the pod. */
export const SRIOV_RESOURCE_ANNOTATION = 'k8s.v1.cni.cncf.io/resourceName';

/**
 * The name of the NetworkAttachmentDefinition of one NF interface: `<NFDeployment name>-<interface>`,
 * as the free5gc and OAI operators reference it in the pods they create
 * (`CreateNetworkAttachmentDefinitionName` in nephio-project/free5gc controllers/network_attachment_definitions.go
 * and nephio-project/oai internal/controller/network_attachment_definitions.go) and as Nephio's nad-fn
 * names the ones it generates (nephio-project/nephio krm-functions/nad-fn/fn/function.go).
 */
export function attachmentName(nfDeploymentName: string, interfaceName: string): string {
  return `${nfDeploymentName}-${interfaceName}`;
}

/** The address of one interface on its network. */
export interface AttachmentAddress {
  /** IPv4 address with prefix length. */
  readonly address: string;
  /** Gateway on the network. */
  readonly gateway: string;
}

/**
 * The CNI configuration of an attachment, in the shape nad-fn writes (R5 golden files
 * krm-functions/nad-fn/fn/testdata/golden/only_ipclaim_*Type): one plugin of the network's CNI type on
 * the master interface (with `.<vlan>` for a tagged network), `l2` mode for ipvlan and `bridge` for
 * macvlan, static IPAM with the allocated address and gateway. SR-IOV takes its device from the
 * resource annotation, so it has no master.
 */
export function cniConfig(network: NetworkDefinition, masterInterface: string | undefined, address: AttachmentAddress): Record<string, any> {
  const plugin: Record<string, any> = { type: network.cni, capabilities: { ips: true } };
  if (network.cni === 'sriov') {
    if (network.vlanId !== undefined) plugin.vlan = network.vlanId;
  } else if (masterInterface !== undefined) {
    plugin.master = network.vlanId !== undefined ? `${masterInterface}.${network.vlanId}` : masterInterface;
  }
  if (network.cni === 'ipvlan') plugin.mode = 'l2';
  if (network.cni === 'macvlan') plugin.mode = 'bridge';
  plugin.ipam = { type: 'static', addresses: [{ address: address.address, gateway: address.gateway }] };
  return { cniVersion: '0.3.1', plugins: [plugin] };
}

/** Props of a NetworkAttachmentDefinition. */
export interface NetworkAttachmentProps {
  readonly name: string;
  readonly namespace: string;
  /** The cluster network the interface is on. */
  readonly network: NetworkDefinition;
  /** The node interface, when the network does not name its own. */
  readonly masterInterface?: string;
  readonly address: AttachmentAddress;
}

/** A Multus NetworkAttachmentDefinition (`k8s.cni.cncf.io/v1`) for one NF interface. */
export class NetworkAttachment extends ApiObject {
  constructor(scope: Construct, id: string, props: NetworkAttachmentProps) {
    const annotations = props.network.cni === 'sriov' && props.network.resourceName !== undefined
      ? { [SRIOV_RESOURCE_ANNOTATION]: props.network.resourceName } : undefined;
    super(scope, id, {
      apiVersion: 'k8s.cni.cncf.io/v1',
      kind: 'NetworkAttachmentDefinition',
      metadata: { name: props.name, namespace: props.namespace, ...(annotations ? { annotations } : {}) },
      spec: { config: JSON.stringify(cniConfig(props.network, props.network.masterInterface ?? props.masterInterface, props.address)) },
    });
  }
}
