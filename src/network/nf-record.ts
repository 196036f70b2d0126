import { Lazy } from 'cdk8s';
import { NfCapacity } from './capacity';
import { NfDeploymentModel, NfOperatorFacts } from './deployment-model';
import { DataNetwork } from './interfaces';
import { oaiConfigRefs, PlmnNssai, RanSettings } from './nf-config';
import { ResolvedInterface } from './nf-workload';
import {
  ConfigRef,
  NfConfig,
  NfDeployment,
  NfDeploymentSpec,
  NfDeploymentSpecCapacityMaxDownlinkThroughput,
  NfDeploymentSpecCapacityMaxUplinkThroughput,
  NfDeploymentSpecNetworkInstances,
} from '../apis/nephio';
import { InterfaceAddress } from '../kpt/blueprint';
import { KptPackage } from '../kpt/kpt-package';
import { LOCAL_CONFIG_ANNOTATION } from '../kpt/kptfile';

/** What the NFDeployment of an NF is built from; read lazily, at synth. @internal */
export interface NfRecordSource {
  readonly name: string;
  readonly namespace: string;
  readonly provider: string;
  readonly model: NfDeploymentModel;
  readonly operator?: NfOperatorFacts;
  readonly capacity?: NfCapacity;
  readonly ran?: RanSettings;
  interfaceList(): ResolvedInterface[];
  /** The S-NSSAIs of the slices the NF serves, in order. */
  nssai(): PlmnNssai[];
}

/** A peer NFDeployment handed to the NF's operator as a ref.nephio.org Config. @internal */
export interface ResolvedPeer {
  /** Name of the Config object (and of the embedded NFDeployment). */
  readonly name: string;
  /** The peer's NFDeployment, as it is deployed on its cluster. */
  readonly nfDeployment: Record<string, any>;
}

/** What one package's record differs in. @internal */
export interface NfRecordValues {
  readonly image: string;
  /** Allocated addresses by interface name; undefined in the blueprint. */
  readonly addresses?: Record<string, InterfaceAddress>;
  readonly peers: ResolvedPeer[];
}

/** Name of the NFConfig the OAI RAN operator reads. @internal */
export function nfConfigName(nfName: string): string {
  return `${nfName}-nf-config`;
}

/**
 * The Nephio objects of one NF in one package: its NFDeployment, and in the operator model the
 * NFConfig and peer Configs its operator reads through `parametersRefs`. In the workload model the
 * NFDeployment is a record nothing reconciles: it carries `config.kubernetes.io/local-config: "true"`.
 * @internal
 */
export class NfRecord {
  constructor(pkg: KptPackage, private readonly source: NfRecordSource, private readonly values: NfRecordValues) {
    const { name, namespace } = source;
    const operatorModel = source.model === NfDeploymentModel.OPERATOR;
    const withNfConfig = operatorModel && source.operator?.readsRanConfig === true && source.ran !== undefined;

    new NfDeployment(pkg, 'NFDeployment', {
      metadata: {
        name,
        namespace,
        ...(operatorModel ? {} : { annotations: { [LOCAL_CONFIG_ANNOTATION]: 'true' } }),
      },
      spec: Lazy.any({ produce: () => this.renderSpec(withNfConfig) }) as unknown as NfDeploymentSpec,
    });

    if (withNfConfig) {
      new NfConfig(pkg, 'NFConfig', {
        metadata: { name: nfConfigName(name), namespace },
        spec: { configRefs: Lazy.any({ produce: () => oaiConfigRefs(source.ran!, source.nssai(), values.image) }) as unknown as any[] },
      });
    }
    if (operatorModel) {
      values.peers.forEach((peer, i) => {
        new ConfigRef(pkg, `PeerConfig${i}`, { metadata: { name: peer.name, namespace }, config: peer.nfDeployment });
      });
    }
  }

  private renderSpec(withNfConfig: boolean): NfDeploymentSpec {
    const spec = renderNfDeploymentSpec({
      provider: this.source.provider,
      capacity: this.source.capacity,
      alwaysCapacity: this.source.model === NfDeploymentModel.OPERATOR && this.source.operator?.needsCapacity === true,
      interfaces: this.source.interfaceList(),
      addresses: this.values.addresses,
    });
    const refs = [
      ...(withNfConfig ? [{ apiVersion: 'workload.nephio.org/v1alpha1', kind: 'NFConfig', name: nfConfigName(this.source.name) }] : []),
      ...(this.source.model === NfDeploymentModel.OPERATOR
        ? this.values.peers.map(p => ({ apiVersion: ConfigRef.GVK.apiVersion, kind: ConfigRef.GVK.kind, name: p.name }))
        : []),
    ];
    return { ...spec, ...(refs.length > 0 ? { parametersRefs: refs } : {}) };
  }
}

/** Options of renderNfDeploymentSpec. @internal */
export interface NfDeploymentSpecOptions {
  readonly provider: string;
  readonly capacity?: NfCapacity;
  /** Write `capacity` even when empty (the free5gc operator dereferences it unchecked). */
  readonly alwaysCapacity: boolean;
  readonly interfaces: ResolvedInterface[];
  readonly addresses?: Record<string, InterfaceAddress>;
}

/**
 * An NFDeployment spec: provider, capacity, every interface with its address and gateway (the
 * allocated one in a variant, the fixed one in the blueprint) and the network instances with their
 * data networks (the free5gc UPF and SMF read the N6 instance's DNNs and pools). @internal
 */
export function renderNfDeploymentSpec(options: NfDeploymentSpecOptions): NfDeploymentSpec {
  const interfaces = options.interfaces;
  const instances = new Map<string, { interfaces: string[]; dataNetworks: DataNetwork[] }>();
  for (const iface of interfaces) {
    let instance = instances.get(iface.networkInstance);
    if (!instance) instances.set(iface.networkInstance, instance = { interfaces: [], dataNetworks: [] });
    instance.interfaces.push(iface.name);
    instance.dataNetworks.push(...iface.dataNetworks);
  }
  const networkInstances: NfDeploymentSpecNetworkInstances[] = [...instances].map(([instanceName, instance]) => ({
    name: instanceName,
    interfaces: instance.interfaces,
    ...(instance.dataNetworks.length > 0 ? {
      dataNetworks: instance.dataNetworks.map(dn => ({
        name: dn.name,
        ...(dn.pools && dn.pools.length > 0 ? { pool: dn.pools.map(prefix => ({ prefix })) } : {}),
      })),
    } : {}),
  }));
  const capacity = options.capacity;
  const hasCapacity = capacity !== undefined && Object.values(capacity).some(v => v !== undefined);
  const renderedCapacity = hasCapacity ? {
    maxSessions: capacity.maxSessions,
    maxSubscribers: capacity.maxSubscribers,
    maxNfConnections: capacity.maxNfConnections,
    maxUplinkThroughput: capacity.maxUplinkThroughput !== undefined
      ? NfDeploymentSpecCapacityMaxUplinkThroughput.fromString(capacity.maxUplinkThroughput) : undefined,
    maxDownlinkThroughput: capacity.maxDownlinkThroughput !== undefined
      ? NfDeploymentSpecCapacityMaxDownlinkThroughput.fromString(capacity.maxDownlinkThroughput) : undefined,
  } : options.alwaysCapacity ? {} : undefined;
  const ipv4Of = (i: ResolvedInterface) => {
    const allocated = options.addresses?.[i.name];
    if (allocated) return { address: allocated.address, gateway: allocated.gateway };
    if (i.ipv4Address !== undefined) return { address: i.ipv4Address, ...(i.ipv4Gateway !== undefined ? { gateway: i.ipv4Gateway } : {}) };
    return undefined;
  };
  return {
    provider: options.provider,
    ...(renderedCapacity ? { capacity: renderedCapacity } : {}),
    ...(interfaces.length > 0 ? {
      interfaces: interfaces.map(i => {
        const ipv4 = ipv4Of(i);
        return { name: i.name, ...(ipv4 ? { ipv4 } : {}), ...(i.vlanId !== undefined ? { vlanId: i.vlanId } : {}) };
      }),
      networkInstances,
    } : {}),
  };
}

/** The NFDeployment JSON of an NF as deployed with these addresses (for peers' Configs). @internal */
export function nfDeploymentManifest(name: string, namespace: string, options: NfDeploymentSpecOptions): Record<string, any> {
  const spec = renderNfDeploymentSpec(options);
  // The L1 class converts the typed spec (quantities) to its JSON form.
  return NfDeployment.manifest({ metadata: { name, namespace }, spec });
}

