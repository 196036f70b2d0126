import { CpuResources, EphemeralStorageResources, MemoryResources } from 'cdk8s-plus-28';
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

/**
 * Compute resources of a container: Kubernetes quantity strings by resource name (`requests`,
 * `limits`), or the cdk8s-plus shape (`cpu`, `memory`, `ephemeralStorage` with `Cpu` and `Size`
 * values), or both for different resources. Both forms are written as the same canonical quantity
 * string (the form the API server returns: `Cpu.millis(1000)` and `"1000m"` are written `"1"`,
 * `Size.gibibytes(4)` and `"4096Mi"` are written `"4Gi"`), so the output does not depend on the form.
 */
export interface ResourceRequirements {
  /** e.g. `{ cpu: '500m', memory: '512Mi', 'hugepages-1Gi': '2Gi' }` @default - none */
  readonly requests?: Record<string, string>;
  /** e.g. `{ cpu: '2', memory: '2Gi', 'intel.com/intel_sriov_netdevice': '1' }` @default - none */
  readonly limits?: Record<string, string>;
  /** cdk8s-plus form of `requests.cpu` / `limits.cpu`, e.g. `{ request: Cpu.millis(500) }`. @default - none */
  readonly cpu?: CpuResources;
  /** cdk8s-plus form of `requests.memory` / `limits.memory`, e.g. `{ limit: Size.gibibytes(2) }`. @default - none */
  readonly memory?: MemoryResources;
  /** cdk8s-plus form of `requests.ephemeral-storage` / `limits.ephemeral-storage`. @default - none */
  readonly ephemeralStorage?: EphemeralStorageResources;
}

/** A container probe: exactly one of `httpGet`, `tcpSocket`, `exec`, `grpc`. */
export interface WorkloadProbe {
  /** HTTP GET on a path and port (number or container port name). @default - not this kind */
  readonly httpGet?: { readonly path: string; readonly port: number | string; readonly scheme?: 'HTTP' | 'HTTPS' };
  /** A TCP connection to a port. @default - not this kind */
  readonly tcpSocket?: { readonly port: number | string };
  /** A command run in the container; exit code 0 is healthy. @default - not this kind */
  readonly exec?: { readonly command: string[] };
  /** The gRPC health-checking protocol on a port. @default - not this kind */
  readonly grpc?: { readonly port: number; readonly service?: string };
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 1 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
  /** Must be 1 for liveness and startup probes. @default 1 */
  readonly successThreshold?: number;
}

/**
 * An environment variable: a literal value, or a key of a ConfigMap or Secret by name (the value
 * of a Secret never passes through the program or git), or a pod field.
 */
export type WorkloadEnvValue =
  | string
  | { readonly configMap: string; readonly key: string; readonly optional?: boolean }
  | { readonly secret: string; readonly key: string; readonly optional?: boolean }
  | { readonly fieldPath: string };

/** Every key of a ConfigMap or Secret, by name, as environment variables (`envFrom`). */
export interface WorkloadEnvFrom {
  /** ConfigMap name. @default - a Secret */
  readonly configMap?: string;
  /** Secret name. @default - a ConfigMap */
  readonly secret?: string;
  /** Prefix added to every variable name. @default - none */
  readonly prefix?: string;
}

/** A toleration of a node taint. */
export interface WorkloadToleration {
  /** Taint key; omitted with `operator: 'Exists'` tolerates every taint. @default - every key */
  readonly key?: string;
  /** @default 'Equal' */
  readonly operator?: 'Equal' | 'Exists';
  /** Taint value (with `Equal`). @default - empty */
  readonly value?: string;
  /** @default - every effect */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /** With `NoExecute`: how long the pod stays after the taint appears. @default - forever */
  readonly tolerationSeconds?: number;
}

/** One node label requirement (`matchExpressions` of a node selector term). */
export interface WorkloadNodeRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  /** @default - none (Exists, DoesNotExist) */
  readonly values?: string[];
}

/** Node affinity: where the pods must (`required`) or should (`preferred`) run. */
export interface WorkloadNodeAffinity {
  /** All must hold on a node. @default - none */
  readonly required?: WorkloadNodeRequirement[];
  /** Weighted (1-100) preferences. @default - none */
  readonly preferred?: Array<{ readonly weight: number; readonly requirements: WorkloadNodeRequirement[] }>;
}

/** Anti-affinity to other pods (e.g. another NF), by their labels. */
export interface WorkloadPodAntiAffinity {
  /** Labels of the pods to stay away from. */
  readonly labels: Record<string, string>;
  /** @default 'kubernetes.io/hostname' */
  readonly topologyKey?: string;
  /** Weight 1-100 for a preference; without it the rule is required. @default - required */
  readonly weight?: number;
}

/** A topology spread constraint over the workload's own pods. */
export interface WorkloadTopologySpread {
  /** e.g. `topology.kubernetes.io/zone` or `kubernetes.io/hostname`. */
  readonly topologyKey: string;
  /** @default 1 */
  readonly maxSkew?: number;
  /** @default 'DoNotSchedule' */
  readonly whenUnsatisfiable?: 'DoNotSchedule' | 'ScheduleAnyway';
}

/** A PodDisruptionBudget (policy/v1): exactly one of `minAvailable`, `maxUnavailable`. */
export interface WorkloadDisruptionBudget {
  /** A number of pods or a percentage such as `"50%"`. @default - not this one */
  readonly minAvailable?: number | string;
  /** A number of pods or a percentage such as `"25%"`. @default - not this one */
  readonly maxUnavailable?: number | string;
}

/**
 * A HorizontalPodAutoscaler (autoscaling/v2) on CPU utilization. The Deployment then has no
 * `replicas`: a GitOps sync re-applying a fixed count would undo every scaling decision.
 */
export interface WorkloadAutoscaling {
  /** @default 1 */
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  /** Average CPU utilization, percent of the CPU request. @default 80 */
  readonly cpuUtilization?: number;
}

/**
 * Per-environment or per-cluster changes to a workload package. Later overrides win, key by key
 * for the maps (`resources`, `configuration`, `env`, `nodeSelector`), as a whole for everything
 * else (`tolerations`, `podDisruptionBudget`, `autoscaling`, a probe, ...). What a workload is made of
 * (its sidecars, volumes and security context) belongs to the blueprint and is not overridden.
 */
export interface WorkloadOverrides {
  /** @default - the blueprint's */
  readonly replicas?: number;
  /** Image reference (tag or digest). @default - the blueprint's */
  readonly image?: string;
  /** @default - the blueprint's */
  readonly resources?: ResourceRequirements;
  /** Configuration values merged over the blueprint's, key by key. @default - the blueprint's */
  readonly configuration?: Record<string, string>;
  /** Environment variables merged over the blueprint's, key by key. @default - the blueprint's */
  readonly env?: Record<string, WorkloadEnvValue>;
  /** Replaces the blueprint's envFrom list. @default - the blueprint's */
  readonly envFrom?: WorkloadEnvFrom[];
  /** Replaces the container command (entrypoint). @default - the blueprint's */
  readonly command?: string[];
  /** Replaces the container arguments. @default - the blueprint's */
  readonly args?: string[];
  /** @default - the blueprint's */
  readonly livenessProbe?: WorkloadProbe;
  /** @default - the blueprint's */
  readonly readinessProbe?: WorkloadProbe;
  /** @default - the blueprint's */
  readonly startupProbe?: WorkloadProbe;
  /** Node labels merged over the blueprint's, key by key. @default - the blueprint's */
  readonly nodeSelector?: Record<string, string>;
  /** Replaces the blueprint's node affinity. @default - the blueprint's */
  readonly nodeAffinity?: WorkloadNodeAffinity;
  /** Replaces the blueprint's anti-affinity to other pods. @default - the blueprint's */
  readonly podAntiAffinity?: WorkloadPodAntiAffinity[];
  /** Spread replicas across nodes (`'required'`, `'preferred'`, or `false` for neither). @default - the blueprint's */
  readonly spreadAcrossNodes?: 'required' | 'preferred' | false;
  /** Replaces the blueprint's tolerations. @default - the blueprint's */
  readonly tolerations?: WorkloadToleration[];
  /** Replaces the blueprint's topology spread constraints. @default - the blueprint's */
  readonly topologySpread?: WorkloadTopologySpread[];
  /** Replaces the blueprint's budget. @default - the blueprint's */
  readonly podDisruptionBudget?: WorkloadDisruptionBudget;
  /** Replaces the blueprint's autoscaling. @default - the blueprint's */
  readonly autoscaling?: WorkloadAutoscaling;
  /** @default - the blueprint's */
  readonly priorityClassName?: string;
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
