import { createHash } from 'crypto';
import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { InterfaceAddress, ResourceRequirements } from '../kpt/blueprint';
import { KptPackage } from '../kpt/kpt-package';
import { NfCapacity } from './capacity';
import { DataNetwork, NfPort } from './interfaces';
import { attachmentName } from './network-attachment';
import { NfKind } from './nf-kind';
import { parseImageReference } from './validation';

/** Pod annotation Multus reads the secondary networks from. */
export const MULTUS_NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';
/** Pod annotation holding a digest of the NF configuration, so that a change rolls the pods. */
export const CONFIG_DIGEST_ANNOTATION = 'workload.nephio.org/configMapVersion';
/** The label that selects an NF's pods (Deployment, Service and slice NetworkPolicies use it). */
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
/** Annotation justifying `hostNetwork: true`, which the host-network policy rule requires. */
export const HOST_NETWORK_REASON_ANNOTATION = 'nephoran.io/host-network-reason';
/** UID and GID NFs without data-plane capabilities run as. */
export const NON_ROOT_ID = 65532;

/** An interface as an NF resolved it: names filled in. */
export interface ResolvedInterface {
  readonly name: string;
  readonly typeName: string;
  readonly networkInstance: string;
  readonly ipv4Address?: string;
  readonly ipv4Gateway?: string;
  readonly vlanId?: number;
  readonly dataNetworks: DataNetwork[];
}

/** What the workload of an NF is built from; read lazily, at synth. */
export interface NfWorkloadSource {
  readonly name: string;
  /** Written on every object: set-namespace adds a missing namespace only to kinds it knows. */
  readonly namespace: string;
  readonly kind: NfKind;
  readonly configMapName: string;
  readonly hostNetwork: boolean;
  /** Why the NF needs the host network; written as the annotation policies look for. */
  readonly hostNetworkReason?: string;
  readonly runAsUser?: number;
  readonly readOnlyRootFilesystem: boolean;
  readonly configurationMountPath: string;
  readonly capacity?: NfCapacity;
  /** Ports, in order. */
  portList(): NfPort[];
  /** Interfaces, in order. */
  interfaceList(): ResolvedInterface[];
  /** Configuration values written by the NF itself (its props and addConfiguration()). */
  configurationValue(key: string): string | undefined;
  /** Configuration written by the slices the NF serves (reserved keys). */
  sliceConfiguration(): Record<string, string>;
}

/** Values a variant changes; undefined means the blueprint's. */
export interface NfWorkloadValues {
  readonly image: string;
  readonly replicas: number;
  readonly resources?: ResourceRequirements;
  readonly configuration: Record<string, string>;
  /** Addresses allocated on the target cluster, by interface name; undefined in the blueprint. */
  readonly addresses?: Record<string, InterfaceAddress>;
}

/**
 * The Kubernetes resources of one NF in one package (the blueprint or a variant): ServiceAccount,
 * ConfigMap, Deployment and Service built with cdk8s-plus-28 (workload model only: in the operator
 * model the operator creates them). The NF forwards every later addPort()/addInterface()/addConfiguration() to each of its workloads.
 */
export class NfWorkload {
  private readonly configMap: plus.ConfigMap;
  private readonly container: plus.Container;
  private readonly deployment: plus.Deployment;
  private readonly service: plus.Service;
  private readonly configKeys = new Set<string>();
  private networksAnnotated = false;
  private recreateStrategy = false;

  constructor(pkg: KptPackage, private readonly source: NfWorkloadSource, private readonly values: NfWorkloadValues) {
    const name = source.name;
    const namespace = source.namespace;
    const kind = source.kind;
    const selector = { [INSTANCE_LABEL]: name };

    const serviceAccount = new plus.ServiceAccount(pkg, 'ServiceAccount', {
      metadata: { name, namespace },
      automountToken: false, // NFs do not call the Kubernetes API
    });

    this.configMap = new plus.ConfigMap(pkg, 'ConfigMap', { metadata: { name: source.configMapName, namespace } });
    // Slice profiles are known only once every slice has its members: resolve them at synth.
    for (const key of SLICE_CONFIGURATION_KEYS) {
      this.configMap.addData(key, Lazy.any({ produce: () => source.sliceConfiguration()[key] }) as unknown as string);
    }
    for (const key of Object.keys(values.configuration)) this.addConfigurationKey(key);

    const image = parseImageReference(values.image);
    const pinnedByDigest = !('error' in image) && image.digest !== undefined;
    const capabilities = kind.capabilities;
    const nonRoot = source.runAsUser === undefined ? capabilities.length === 0 : source.runAsUser !== 0;
    const user = nonRoot ? source.runAsUser ?? NON_ROOT_ID : source.runAsUser;

    const configVolume = plus.Volume.fromConfigMap(pkg, 'ConfigVolume', this.configMap, { name: 'config' });
    this.deployment = new plus.Deployment(pkg, 'Deployment', {
      metadata: { name, namespace },
      replicas: values.replicas,
      select: false,
      serviceAccount,
      automountServiceAccountToken: false,
      hostNetwork: source.hostNetwork,
      // On the host network, ClusterFirst would resolve with the node's resolver, not cluster DNS.
      dns: source.hostNetwork ? { policy: plus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET } : undefined,
      // Two pods cannot hold one host port or one static address: replace, do not surge.
      strategy: source.hostNetwork ? plus.DeploymentStrategy.recreate() : undefined,
      securityContext: {
        ensureNonRoot: nonRoot,
        user,
        group: nonRoot ? user : undefined,
        fsGroup: nonRoot ? user : undefined,
      },
      containers: [],
    });
    this.container = this.deployment.addContainer({
      name: kind.name,
      image: values.image,
      // A digest never changes what it names; a tag can, so check it on every start.
      imagePullPolicy: pinnedByDigest ? plus.ImagePullPolicy.IF_NOT_PRESENT : plus.ImagePullPolicy.ALWAYS,
      // Set below from the given requirements only: cdk8s-plus would otherwise invent defaults.
      resources: {},
      securityContext: {
        ensureNonRoot: nonRoot,
        user,
        group: nonRoot ? user : undefined,
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: source.readOnlyRootFilesystem,
        capabilities: {
          drop: [plus.Capability.ALL],
          ...(capabilities.length > 0 ? { add: capabilities as plus.Capability[] } : {}),
        },
        seccompProfile: { type: plus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      volumeMounts: [{ path: source.configurationMountPath, volume: configVolume, readOnly: true }],
    });
    if (source.readOnlyRootFilesystem) {
      this.container.mount('/tmp', plus.Volume.fromEmptyDir(pkg, 'TmpVolume', 'tmp'));
    }

    const deploymentObject = ApiObject.of(this.deployment);
    // cdk8s-plus labels every pod with a hash of its construct path; selection uses the instance label.
    deploymentObject.addJsonPatch(JsonPatch.remove(`/spec/template/metadata/labels/${escapePointer(plus.Pod.ADDRESS_LABEL)}`));
    this.deployment.podMetadata.addLabel(INSTANCE_LABEL, name);
    if (source.hostNetwork && source.hostNetworkReason) {
      this.deployment.metadata.addAnnotation(HOST_NETWORK_REASON_ANNOTATION, source.hostNetworkReason);
    }
    this.deployment.select(plus.LabelSelector.of({ labels: selector }));
    this.deployment.podMetadata.addAnnotation(CONFIG_DIGEST_ANNOTATION, Lazy.any({ produce: () => this.configDigest() }) as unknown as string);
    const resources = renderResources(values.resources);
    if (resources) {
      deploymentObject.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/resources', resources));
    }

    this.service = new plus.Service(pkg, 'Service', { metadata: { name, namespace } });
    this.service.selectLabel(INSTANCE_LABEL, name);

    for (const port of source.portList()) this.addPort(port);
    for (const iface of source.interfaceList()) this.addInterface(iface);
  }

  public addPort(port: NfPort): void {
    const protocol = port.protocol ?? plus.Protocol.TCP;
    this.container.addPort({ number: port.port, name: port.name, protocol });
    this.service.bind(port.port, { name: port.name, targetPort: port.port, protocol });
  }

  public addInterface(_iface: ResolvedInterface): void {
    if (!this.networksAnnotated) {
      this.networksAnnotated = true;
      this.deployment.podMetadata.addAnnotation(MULTUS_NETWORKS_ANNOTATION, Lazy.any({ produce: () => this.renderNetworks() }) as unknown as string);
    }
    // Every interface has a static address in a variant, which two pods cannot hold at once.
    if (!this.recreateStrategy && !this.source.hostNetwork) {
      this.recreateStrategy = true;
      ApiObject.of(this.deployment).addJsonPatch(JsonPatch.replace('/spec/strategy', { type: 'Recreate' }));
    }
  }

  /** Adds a key whose value is the variant's override, else the NF's own value. */
  public addConfigurationKey(key: string): void {
    if (this.configKeys.has(key)) return;
    this.configKeys.add(key);
    this.configMap.addData(key, Lazy.any({ produce: () => this.configurationValue(key) }) as unknown as string);
  }

  private configurationValue(key: string): string | undefined {
    return this.values.configuration[key] ?? this.source.configurationValue(key);
  }

  /** The ConfigMap data exactly as rendered, sorted by key. */
  private renderedConfiguration(): Record<string, string> {
    const data: Record<string, string> = {};
    for (const key of [...this.configKeys].sort()) {
      const value = this.configurationValue(key);
      if (value !== undefined) data[key] = value;
    }
    for (const [key, value] of Object.entries(this.source.sliceConfiguration())) data[key] = value;
    return data;
  }

  private configDigest(): string {
    const data = this.renderedConfiguration();
    const canonical = JSON.stringify(Object.keys(data).sort().map(k => [k, data[k]]));
    return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
  }

  private addressOf(iface: ResolvedInterface): { address: string; gateway?: string } | undefined {
    const allocated = this.values.addresses?.[iface.name];
    if (allocated) return allocated;
    return iface.ipv4Address !== undefined ? { address: iface.ipv4Address, gateway: iface.ipv4Gateway } : undefined;
  }

  /**
   * Multus network selection: one attachment per interface, named `<nf>-<interface>` like the
   * NetworkAttachmentDefinition the variant carries, with the interface's address and gateway.
   */
  private renderNetworks(): string | undefined {
    const interfaces = this.source.interfaceList();
    if (interfaces.length === 0) return undefined;
    return JSON.stringify(interfaces.map(i => {
      const address = this.addressOf(i);
      return {
        name: attachmentName(this.source.name, i.name),
        interface: i.name,
        ...(address ? { ips: [address.address] } : {}),
        ...(address?.gateway !== undefined ? { gateways: [address.gateway] } : {}),
      };
    }));
  }
}

/** Configuration keys the slices an NF serves write; the NF's own configuration may not use them. */
export const SLICE_CONFIGURATION_KEYS = ['snssai', 'slice-profiles'];

/** Container resources in the form the cdk8s-plus L1 serializes (Quantity objects). */
function renderResources(resources: ResourceRequirements | undefined): Record<string, any> | undefined {
  if (!resources) return undefined;
  const toQuantities = (list: Record<string, string> | undefined) => list && Object.keys(list).length > 0
    ? Object.fromEntries(Object.keys(list).sort().map(k => [k, plus.k8s.Quantity.fromString(list[k])]))
    : undefined;
  const requests = toQuantities(resources.requests);
  const limits = toQuantities(resources.limits);
  if (!requests && !limits) return undefined;
  return { ...(limits ? { limits } : {}), ...(requests ? { requests } : {}) };
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
