import { NfCapacity } from './capacity';
import { parseQuantity } from './validation';
import { WorkloadFootprint } from '../kpt/blueprint';

/**
 * How a network function's pods come to run on a cluster.
 *
 * - `OPERATOR`: the package holds the Nephio `NFDeployment` (every interface with its address and
 *   gateway), the config objects its operator reads through `parametersRefs`, and the Multus
 *   NetworkAttachmentDefinitions. The operator running on the cluster (free5gc for AMF/SMF/UPF, OAI
 *   for CU-CP/CU-UP/DU in Nephio R5) creates the Deployment, ConfigMap and Service itself; the
 *   package holds none of them, so ConfigSync and the operator never fight over one object.
 * - `WORKLOAD`: the package holds the workload itself (Deployment, Service, ConfigMap,
 *   ServiceAccount) and the NetworkAttachmentDefinitions. Its NFDeployment is kept as a record of
 *   provider, capacity and interfaces for Nephio tooling, annotated
 *   `config.kubernetes.io/local-config: "true"`: kpt and Porch still read it, ConfigSync never
 *   applies it, so no operator reconciles it.
 */
export enum NfDeploymentModel {
  OPERATOR = 'operator',
  WORKLOAD = 'workload',
}

/** What a known operator does with an NFDeployment, as read from its source. @internal */
export interface NfOperatorFacts {
  /** The operator, for messages, e.g. `the Nephio free5gc operator`. */
  readonly name: string;
  /** Where the behaviour below was read (repository and file). */
  readonly source: string;
  /** Interfaces (by name) the operator dereferences; missing ones fail its reconcile. */
  readonly requiredInterfaces: string[];
  /** True when it takes the NF's image from the package (OAI: the OAIConfig); false when it hard-codes it. */
  readonly takesImage: boolean;
  /** True when it reads an NFConfig with PLMN, RANConfig and OAIConfig through parametersRefs. */
  readonly readsRanConfig: boolean;
  /** True when it dereferences `spec.capacity` without checking it is set. */
  readonly needsCapacity: boolean;
  /** Providers of peers it reads (a ref.nephio.org Config holding their NFDeployment) and needs at least one of. */
  readonly requiredPeerProviders: string[];
  /** Interfaces (by name) it reads from each peer's NFDeployment. */
  readonly peerInterfaces: string[];
  /** True when it reads every peer (the SMF's UPFs); false when it takes the first of a provider. */
  readonly readsEveryPeer: boolean;
  /** Labels on the pods it creates for an NFDeployment. */
  podLabels(nfDeploymentName: string): Record<string, string>;
  /** The pods it creates for an NFDeployment, as its code sizes them. */
  footprints(nfDeploymentName: string, namespace: string, capacity: NfCapacity | undefined): WorkloadFootprint[];
}

// free5gc operator (nephio-project/free5gc, built as docker.io/nephio/free5gc-operator:v5.0.0 in the R5
// catalog): one Deployment named like the NFDeployment, pods labelled `name: <NFDeployment>`,
// 1 replica, default RollingUpdate strategy (25% surge: one extra pod), requests equal to limits.
function free5gcPod(component: string, requests: { cpu: string; memory: string }) {
  return (name: string, namespace: string): WorkloadFootprint => {
    const quantities = { cpu: parseQuantity(requests.cpu), memory: parseQuantity(requests.memory) };
    return {
      name: `Deployment ${namespace}/${name} (created by the free5gc operator for the ${component} NFDeployment)`,
      namespace,
      replicas: 1,
      surge: 1,
      requests: quantities,
      limits: { ...quantities },
    };
  };
}

const FREE5GC = 'nephio-project/free5gc';
const FREE5GC_LABELS = (name: string) => ({ name });

/** The operators of Nephio R5 by the NFDeployment provider they reconcile. @internal */
export const KNOWN_OPERATORS: Record<string, NfOperatorFacts> = {
  'amf.free5gc.io': {
    name: 'the Nephio free5gc operator',
    source: `${FREE5GC} controllers/nf/amf/resources.go`,
    requiredInterfaces: ['n2'],
    takesImage: false,
    readsRanConfig: false,
    needsCapacity: true,
    requiredPeerProviders: [],
    peerInterfaces: [],
    readsEveryPeer: false,
    podLabels: FREE5GC_LABELS,
    // createResourceRequirements: 300m/256Mi above 1000 subscribers, else 150m/128Mi
    footprints: (name, namespace, capacity) => [free5gcPod('AMF', (capacity?.maxSubscribers ?? 0) > 1000
      ? { cpu: '300m', memory: '256Mi' } : { cpu: '150m', memory: '128Mi' })(name, namespace)],
  },
  'smf.free5gc.io': {
    name: 'the Nephio free5gc operator',
    source: `${FREE5GC} controllers/nf/smf/resources.go`,
    requiredInterfaces: ['n4'],
    takesImage: false,
    readsRanConfig: false,
    needsCapacity: true,
    requiredPeerProviders: [],
    // extractConfigRefUPFDeployments: each UPF's n4 and n3 address and its n6 network instances
    peerInterfaces: ['n3', 'n4', 'n6'],
    readsEveryPeer: true,
    podLabels: FREE5GC_LABELS,
    // createResourceRequirements: 100m/128Mi below 1000 sessions and 10 NF connections, else 500m/512Mi
    footprints: (name, namespace, capacity) => [free5gcPod('SMF', (capacity?.maxSessions ?? 0) < 1000 && (capacity?.maxNfConnections ?? 0) < 10
      ? { cpu: '100m', memory: '128Mi' } : { cpu: '500m', memory: '512Mi' })(name, namespace)],
  },
  'upf.free5gc.io': {
    name: 'the Nephio free5gc operator',
    source: `${FREE5GC} controllers/nf/upf/resources.go`,
    requiredInterfaces: ['n3', 'n4', 'n6'],
    takesImage: false,
    readsRanConfig: false,
    needsCapacity: true,
    requiredPeerProviders: [],
    peerInterfaces: [],
    readsEveryPeer: false,
    podLabels: FREE5GC_LABELS,
    // createResourceRequirements: 1000m/1Gi above 5G downlink, else 500m/512Mi
    footprints: (name, namespace, capacity) => {
      const downlink = capacity?.maxDownlinkThroughput !== undefined ? parseQuantity(capacity.maxDownlinkThroughput) : 0;
      return [free5gcPod('UPF', downlink > 5e9 ? { cpu: '1000m', memory: '1Gi' } : { cpu: '500m', memory: '512Mi' })(name, namespace)];
    },
  },
  ...oai('cucp.openairinterface.org', 'CU-CP', 'oai-cu-cp', ['app', 'oai-cu-cp-cp'], ['n2', 'e1', 'f1c'], 'resources_cucp.go',
    ['amf.openairinterface.org'], ['n2']),
  ...oai('cuup.openairinterface.org', 'CU-UP', 'oai-cu-up', ['app', 'oai-cu-up'], ['n3', 'e1', 'f1u'], 'resources_cuup.go',
    ['cucp.openairinterface.org'], ['e1']),
  // The DU container alone sets requests (2 CPU, 1Gi) and limits (2 CPU, 2Gi).
  ...oai('du.openairinterface.org', 'DU', 'oai-du', ['app', 'oai-du'], ['f1'], 'resources_du.go',
    ['cucp.openairinterface.org'], ['f1c'], { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } }),
};

// OAI RAN operator (nephio-project/oai, docker.io/nephio/oai-ran-controller in the R5 catalog): one
// Deployment with a fixed name per NF, Recreate strategy, 1 replica; the image comes from the
// NFConfig's OAIConfig; PLMN, RANConfig and OAIConfig must all be in the NFConfig.
function oai(
  provider: string,
  display: string,
  deployment: string,
  appLabel: [string, string],
  interfaces: string[],
  file: string,
  peers: string[],
  peerInterfaces: string[],
  resources?: { requests: Record<string, string>; limits: Record<string, string> },
): Record<string, NfOperatorFacts> {
  const numbers = (list: Record<string, string> | undefined) => Object.fromEntries(Object.entries(list ?? {}).map(([k, q]) => [k, parseQuantity(q)]));
  return {
    [provider]: {
      name: 'the Nephio OAI RAN operator',
      source: `nephio-project/oai internal/controller/${file}`,
      requiredInterfaces: interfaces,
      takesImage: true,
      readsRanConfig: true,
      needsCapacity: false,
      requiredPeerProviders: peers,
      peerInterfaces,
      readsEveryPeer: false,
      podLabels: () => ({ 'app.kubernetes.io/name': deployment, [appLabel[0]]: appLabel[1] }),
      footprints: (_name, namespace) => [{
        name: `Deployment ${namespace}/${deployment} (created by the OAI RAN operator for the ${display} NFDeployment${resources ? '' : '; it sets no requests or limits'})`,
        namespace,
        replicas: 1,
        surge: 0,
        requests: numbers(resources?.requests),
        limits: numbers(resources?.limits),
      }],
    },
  };
}

/** Options of the operator a custom kind's NFDeployments are reconciled by. */
export interface CustomNfOperatorOptions {
  /** Labels the operator puts on the pods it creates (slice network policies select them), e.g. `{ app: 'vendor-upf' }`. */
  readonly podLabels: Record<string, string>;
  /**
   * Interfaces (by name) the operator requires in the NFDeployment.
   * @default - none
   */
  readonly requiredInterfaces?: string[];
}

/** Facts of a custom kind's operator, as its options give them. @internal */
export function customOperatorFacts(kindName: string, options: CustomNfOperatorOptions): NfOperatorFacts {
  return {
    name: `the operator of kind "${kindName}"`,
    source: 'the custom kind\'s options',
    requiredInterfaces: [...(options.requiredInterfaces ?? [])],
    takesImage: false,
    readsRanConfig: false,
    needsCapacity: false,
    requiredPeerProviders: [],
    peerInterfaces: [],
    readsEveryPeer: false,
    podLabels: () => ({ ...options.podLabels }),
    footprints: (name, namespace) => [{
      name: `pods of ${namespace}/${name} (created by the operator of kind "${kindName}"; their size is not known)`,
      namespace,
      replicas: 1,
      surge: 1,
      requests: {},
      limits: {},
    }],
  };
}
