import { Construct } from 'constructs';
import { KptFunction } from './kpt-function';
import { KptPackage } from './kpt-package';

/** The cluster a package variant is rendered for, as the package needs to know it. */
export interface DeploymentTarget {
  /** Cluster name (DNS-1123 label). */
  readonly name: string;
  /** Environment name, e.g. `production`. */
  readonly environment: string;
  /** Cluster labels, e.g. `nephio.org/site-type: edge`. */
  readonly labels: Record<string, string>;
  /**
   * The secondary networks the cluster offers (Multus), by name.
   * @default - none
   */
  readonly networks?: NetworkDefinition[];
  /**
   * The address ranges the cluster's pods have as other clusters see them (the pod CIDR when pods
   * are routed between clusters, the node or egress-gateway range when they are NATed). Network
   * policies of other clusters allow flows from and to this cluster's pods by these ranges.
   * @default - unknown: a pod-network flow with a pod of this cluster from another cluster cannot be allowed
   */
  readonly podCidrs?: string[];
}

/** A secondary network of a cluster, attached to pods through a Multus NetworkAttachmentDefinition. */
export interface NetworkDefinition {
  /** The network instance name interfaces attach to, e.g. `vpc-ran` (a DNS-1123 label). */
  readonly name: string;
  /** The CNI plugin type, e.g. `macvlan`, `ipvlan`, `sriov`; one of the cluster's CNIs. */
  readonly cni: string;
  /** The IPv4 subnet of the network, e.g. `10.0.3.0/24`. */
  readonly subnet: string;
  /** The gateway of the subnet, inside it. @default - the subnet's first host address */
  readonly gateway?: string;
  /** The node interface the network rides on (macvlan, ipvlan). @default - the cluster's master interface */
  readonly masterInterface?: string;
  /** VLAN id (1-4094). @default - untagged */
  readonly vlanId?: number;
  /** The device-plugin resource of SR-IOV virtual functions, e.g. `intel.com/sriov_netdevice` (sriov only). @default - none */
  readonly resourceName?: string;
}

/** An address a package interface gets on one cluster. */
export interface InterfaceAddress {
  /** The network instance the interface is on. */
  readonly network: string;
  /** IPv4 address with prefix length, e.g. `10.0.3.7/24`. */
  readonly address: string;
  /** The network's gateway, e.g. `10.0.3.1`. */
  readonly gateway: string;
}

/** An interface of a package that needs an address on a secondary network of each target cluster. */
export interface AddressRequest {
  /** The interface name, unique in the package, e.g. `n3`. */
  readonly interfaceName: string;
  /** The network instance it attaches to, e.g. `vpc-ran`. */
  readonly network: string;
  /**
   * A fixed address with prefix length that must be used on every cluster.
   * @default - allocated from the network's subnet
   */
  readonly fixedAddress?: string;
}

/** The pods one workload of a package runs, for quotas. Quantities are numbers (cores, bytes). */
export interface WorkloadFootprint {
  /** Workload description for messages, e.g. `Deployment free5gc-cp/amf`. */
  readonly name: string;
  readonly namespace: string;
  /** Pods at steady state. */
  readonly replicas: number;
  /** Extra pods while it rolls out (a Deployment's maxSurge; 0 for Recreate). */
  readonly surge: number;
  /** Requests of one pod, e.g. `{ cpu: 0.25, memory: 268435456 }`. */
  readonly requests: Record<string, number>;
  /** Limits of one pod. */
  readonly limits: Record<string, number>;
}

/** Where the packages of a fleet are deployed, as a variant needs to see its peers. */
export interface PlacedInstance {
  /** The cluster. */
  readonly target: DeploymentTarget;
  /** The merged overrides of the blueprint on that cluster. */
  readonly overrides: WorkloadOverrides;
  /** The addresses its interfaces got on that cluster, by interface name. */
  readonly addresses: Record<string, InterfaceAddress>;
}

/** What a fleet tells a variant about everything else it deploys. */
export interface IFleetView {
  /** Every cluster a blueprint is deployed to, by cluster name; empty when it is not placed. */
  instancesOf(blueprint: IPackageBlueprint): PlacedInstance[];
}

/** Compute resources of a container, in Kubernetes quantity strings. */
export interface ResourceRequirements {
  /** e.g. `{ cpu: '500m', memory: '512Mi' }` @default - none */
  readonly requests?: Record<string, string>;
  /** e.g. `{ cpu: '2', memory: '2Gi' }` @default - none */
  readonly limits?: Record<string, string>;
}

/** Per-environment or per-cluster changes to a workload package. Later overrides win, key by key. */
export interface WorkloadOverrides {
  /** @default - the blueprint's */
  readonly replicas?: number;
  /** Image reference (tag or digest). @default - the blueprint's */
  readonly image?: string;
  /** @default - the blueprint's */
  readonly resources?: ResourceRequirements;
  /** Configuration values merged over the blueprint's, key by key. @default - the blueprint's */
  readonly configuration?: Record<string, string>;
}

/** Everything a blueprint needs to render one hydrated variant of itself. */
export interface VariantOptions {
  /** Repository folder of the variant, e.g. `deployments/production/edge-01/amf`. */
  readonly path: string;
  /** The cluster it is for. */
  readonly target: DeploymentTarget;
  /** Merged overrides for this cluster. */
  readonly overrides: WorkloadOverrides;
  /** The repository URL recorded as the variant's upstream (`upstream.git.repo`). */
  readonly upstreamRepo: string;
  /** The upstream ref recorded (`upstream.git.ref`). */
  readonly upstreamRef: string;
  /** Extra mutators the placement adds after the blueprint's own (e.g. cluster labels). */
  readonly mutators: KptFunction[];
  /**
   * The addresses allocated to the package's interfaces on the target cluster, by interface name
   * (see `IPackageBlueprint.addressRequests`).
   * @default - none
   */
  readonly addresses?: Record<string, InterfaceAddress>;
  /**
   * Where the fleet deploys the other packages, for variants that depend on their peers
   * (slice network policies and quotas).
   * @default - rendered outside a fleet: peers are assumed on the same cluster
   */
  readonly fleet?: IFleetView;
}

/**
 * A package that can be placed on clusters: it owns a blueprint under `packages/` and renders a
 * hydrated variant for one cluster, whose Kptfile upstream points back at the blueprint.
 */
export interface IPackageBlueprint {
  /** The blueprint package. */
  readonly blueprint: KptPackage;
  /** Namespaces the package's resources live in, which a cluster running it must have. */
  readonly namespaces: string[];
  /**
   * True when a variant's content depends on its cluster and on where the fleet places its peers
   * (a slice's network policies and quota, an NF reading its peers' addresses), so that a fan-out
   * renders one variant per cluster rather than one per environment.
   * @default false
   */
  readonly variesByCluster?: boolean;
  /** Creates the variant package under `scope`. */
  renderVariant(scope: Construct, id: string, options: VariantOptions): KptPackage;
  /**
   * The interfaces that need an address on a secondary network of every cluster the package is
   * placed on; the fleet allocates them and passes them to renderVariant.
   * @default - none
   */
  addressRequests?(): AddressRequest[];
  /**
   * The pods the package runs on a cluster with these overrides (operator-created ones included),
   * so that quotas can be checked against what is placed.
   * @default - none
   */
  workloadFootprints?(overrides: WorkloadOverrides): WorkloadFootprint[];
}
