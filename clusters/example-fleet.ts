/**
 * The example fleet: three environments, eight clusters in two regions (regional and edge sites),
 * a free5gc-style 5G core, an OAI-style RAN on the edge, an eMBB and a URLLC slice, and the
 * policies that keep them apart. It uses the library exactly as a user program would.
 */
import {
  Cluster, Environment, Fleet, GitAuth, GitCredentials, GitOpsRepository, NetworkFunction, NetworkIsolation,
  NetworkDefinition, NetworkSlice, NfDeploymentModel, NfKind, InterfaceType, Placement, PodSecurityLevel, Policy, RuleSet, RuleSeverity,
  SiteType, SliceServiceType,
} from '../src';

/** Where the clusters' ConfigSync pulls from. */
export const FLEET_REPO_URL = 'https://git.example.com/nephoran/fleet.git';

const CORE_NAMESPACE = 'free5gc-cp';
const RAN_NAMESPACE = 'oai-ran';

/**
 * The digests your registry serves for the images you certified, by image reference, e.g.
 * `'docker.io/towards5gs/free5gc-nrf:v3.1.1': 'sha256:<the 64 hex digits \`crane digest\` prints>'`.
 * Staging and production run an image by digest once it is listed here. The example ships none:
 * a digest is a fact about your registry, and none here is invented.
 */
const IMAGE_DIGESTS: Readonly<Record<string, string>> = {};

/** The image an NF runs in staging and production: pinned by digest when its digest is listed. */
function pinnedImage(nf: NetworkFunction): string {
  const digest = IMAGE_DIGESTS[nf.image];
  return digest ? `${nf.image.replace(/:[^:/@]+$/, '')}@${digest}` : nf.image;
}

const CONTROL_PLANE_RESOURCES = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };
const RAN_RESOURCES = { requests: { cpu: '2', memory: '2Gi' }, limits: { cpu: '4', memory: '4Gi' } };

export interface ExampleFleet {
  readonly fleet: Fleet;
  readonly clusters: Cluster[];
  readonly networkFunctions: NetworkFunction[];
  readonly slices: NetworkSlice[];
  readonly policies: Policy[];
}

/** Declares the example fleet in `repo`. */
export function declareExampleFleet(repo: GitOpsRepository): ExampleFleet {
  const rules = RuleSet.defaults();
  // Staging and production refuse an image pinned by tag only. Until IMAGE_DIGESTS lists your
  // registry's digests, the example warns instead; delete these lines once it does.
  if (Object.keys(IMAGE_DIGESTS).length === 0) {
    for (const environment of [Environment.STAGING, Environment.PRODUCTION]) {
      rules.setSeverity('image-digest', RuleSeverity.WARNING, { environment: environment.name });
    }
  }
  const fleet = new Fleet(repo, 'fleet', {
    repoUrl: FLEET_REPO_URL,
    rules,
    auth: GitAuth.token(GitCredentials.externalSecret({ secretStoreName: 'vault-backend', remoteKey: 'nephoran/fleet-read-token' })),
  });

  const clusters = declareClusters(fleet);
  const core = declareCore(repo);
  const ran = declareRan(repo);
  const { slices, sessionManagement, userPlane } = declareSlices(repo, core);
  const policies = declarePolicies(repo, slices);

  placeOnSites(fleet, [...core, ...sessionManagement], SiteType.REGIONAL);
  placeOnSites(fleet, [...userPlane, ...ran], SiteType.EDGE);
  for (const slice of slices) new Placement(fleet, `slice-${slice.name}`, { blueprint: slice });
  // Each policy goes where its namespaces run: the core on regional sites, the RAN on the edge,
  // the slices (SMF regional, UPF edge) everywhere.
  new Placement(fleet, 'policy-core-control-plane', { blueprint: policies.coreControlPlane, matchLabels: { 'nephio.org/site-type': SiteType.REGIONAL.name } });
  new Placement(fleet, 'policy-ran', { blueprint: policies.ran, matchLabels: { 'nephio.org/site-type': SiteType.EDGE.name } });
  new Placement(fleet, 'policy-slices', { blueprint: policies.slices });

  return {
    fleet,
    clusters,
    networkFunctions: [...core, ...sessionManagement, ...userPlane, ...ran],
    slices,
    policies: [policies.coreControlPlane, policies.slices, policies.ran],
  };
}

/**
 * The secondary networks of a site, each a macvlan network on the nodes' `eth1` with its own
 * subnets per site (site index `i`: `10.<i>.<n>.0/24`): the N4/SBI-adjacent internal network and
 * the RAN transport everywhere; the midhaul (F1) and the data network (N6) on the edge.
 */
function siteNetworks(i: number, siteType: SiteType): NetworkDefinition[] {
  const networks: NetworkDefinition[] = [
    { name: 'vpc-internal', cni: 'macvlan', subnet: `10.${i}.1.0/24` },
    { name: 'vpc-ran', cni: 'macvlan', subnet: `10.${i}.2.0/24` },
  ];
  if (siteType === SiteType.EDGE) {
    networks.push(
      { name: 'vpc-midhaul', cni: 'macvlan', subnet: `10.${i}.3.0/24` },
      { name: 'vpc-internet', cni: 'macvlan', subnet: `10.${i}.4.0/24` },
    );
  }
  return networks;
}

function declareClusters(fleet: Fleet): Cluster[] {
  const sites: Array<[string, Environment, string, SiteType]> = [
    ['dev-regional-eu', Environment.DEVELOPMENT, 'eu-west', SiteType.REGIONAL],
    ['dev-edge-eu', Environment.DEVELOPMENT, 'eu-west', SiteType.EDGE],
    ['stg-regional-eu', Environment.STAGING, 'eu-west', SiteType.REGIONAL],
    ['stg-edge-eu', Environment.STAGING, 'eu-west', SiteType.EDGE],
    ['prod-regional-eu', Environment.PRODUCTION, 'eu-west', SiteType.REGIONAL],
    ['prod-edge-eu-01', Environment.PRODUCTION, 'eu-west', SiteType.EDGE],
    ['prod-regional-us', Environment.PRODUCTION, 'us-east', SiteType.REGIONAL],
    ['prod-edge-us-01', Environment.PRODUCTION, 'us-east', SiteType.EDGE],
  ];
  // Site i routes its pods as 10.<100 + i>.0.0/16, so that other sites' NetworkPolicies can name them.
  return sites.map(([name, environment, region, siteType], i) => new Cluster(fleet, name, {
    environment,
    region,
    siteType,
    networks: siteNetworks(10 + i, siteType),
    podCidrs: [`10.${100 + i}.0.0/16`],
  }));
}

function declareCore(repo: GitOpsRepository): NetworkFunction[] {
  const cp = (id: string, kind: NfKind) => new NetworkFunction(repo, id, {
    kind, namespace: CORE_NAMESPACE, resources: CONTROL_PLANE_RESOURCES,
  });
  return [
    cp('nrf', NfKind.NRF),
    cp('ausf', NfKind.AUSF),
    cp('udm', NfKind.UDM),
    // Operator model: the free5gc operator creates the AMF's pods and sizes them from its capacity.
    new NetworkFunction(repo, 'amf', {
      kind: NfKind.AMF,
      namespace: CORE_NAMESPACE,
      interfaces: [{ type: InterfaceType.N2, networkInstance: 'vpc-ran' }],
      capacity: { maxSubscribers: 100_000, maxNfConnections: 500 },
    }),
  ];
}

/**
 * The RAN runs in the workload model: the OAI RAN operator's CU-CP reads the NFDeployment of an
 * OAI AMF (provider amf.openairinterface.org), and this fleet's core is free5gc.
 */
function declareRan(repo: GitOpsRepository): NetworkFunction[] {
  const deploymentModel = NfDeploymentModel.WORKLOAD;
  return [
    new NetworkFunction(repo, 'cucp', {
      kind: NfKind.CU_CP,
      namespace: RAN_NAMESPACE,
      resources: RAN_RESOURCES,
      deploymentModel,
      interfaces: [{ type: InterfaceType.N2, networkInstance: 'vpc-ran' }, { type: InterfaceType.F1C, networkInstance: 'vpc-midhaul' }],
    }),
    new NetworkFunction(repo, 'cuup', {
      kind: NfKind.CU_UP,
      namespace: RAN_NAMESPACE,
      resources: RAN_RESOURCES,
      deploymentModel,
      interfaces: [{ type: InterfaceType.N3, networkInstance: 'vpc-ran' }, { type: InterfaceType.F1U, networkInstance: 'vpc-midhaul' }],
    }),
    new NetworkFunction(repo, 'du', {
      kind: NfKind.DU,
      namespace: RAN_NAMESPACE,
      resources: RAN_RESOURCES,
      deploymentModel,
      interfaces: [{ type: InterfaceType.F1, networkInstance: 'vpc-midhaul' }],
    }),
  ];
}

/** Each slice runs its own SMF (regional) and UPF (edge) in its namespace, behind its NetworkPolicies. */
function declareSlices(repo: GitOpsRepository, sharedCore: NetworkFunction[]) {
  const specs = [
    {
      id: 'embb',
      serviceType: SliceServiceType.EMBB,
      sd: '000001',
      dnnPool: '10.100.0.0/16',
      qos: { fiveQi: 9, maximumBitRateUplink: '200 Mbps', maximumBitRateDownlink: '1 Gbps' },
      capacity: { maxUplinkThroughput: '5G', maxDownlinkThroughput: '10G', maxSessions: 100_000 },
    },
    {
      id: 'urllc',
      serviceType: SliceServiceType.URLLC,
      sd: '000002',
      dnnPool: '10.101.0.0/16',
      qos: { fiveQi: 82, guaranteedBitRateUplink: '10 Mbps', guaranteedBitRateDownlink: '10 Mbps', maximumBitRateUplink: '20 Mbps', maximumBitRateDownlink: '20 Mbps' },
      capacity: { maxUplinkThroughput: '1G', maxDownlinkThroughput: '1G', maxSessions: 10_000 },
    },
  ];
  const slices: NetworkSlice[] = [];
  const sessionManagement: NetworkFunction[] = [];
  const userPlane: NetworkFunction[] = [];
  for (const spec of specs) {
    const slice = new NetworkSlice(repo, spec.id, { serviceType: spec.serviceType, sd: spec.sd, qos: spec.qos });
    // Operator model: the free5gc operator creates the SMF's and UPF's pods, sized from their capacity.
    const smf = new NetworkFunction(repo, `smf-${spec.id}`, {
      kind: NfKind.SMF,
      namespace: slice.namespace,
      interfaces: [{ type: InterfaceType.N4, networkInstance: 'vpc-internal' }],
      capacity: { maxSessions: spec.capacity.maxSessions },
    });
    const upf = new NetworkFunction(repo, `upf-${spec.id}`, {
      kind: NfKind.UPF,
      namespace: slice.namespace,
      interfaces: [
        { type: InterfaceType.N3, networkInstance: 'vpc-ran' },
        { type: InterfaceType.N4, networkInstance: 'vpc-internal' },
        { type: InterfaceType.N6, networkInstance: 'vpc-internet', dataNetworks: [{ name: 'internet', pools: [spec.dnnPool] }] },
      ],
      capacity: spec.capacity,
    });
    slice.addNetworkFunction(smf);
    slice.addNetworkFunction(upf);
    for (const shared of sharedCore) slice.addNetworkFunction(shared);
    slices.push(slice);
    sessionManagement.push(smf);
    userPlane.push(upf);
  }
  return { slices, sessionManagement, userPlane };
}

function declarePolicies(repo: GitOpsRepository, sliceList: NetworkSlice[]) {
  const sliceNamespaces = sliceList.map(s => s.namespace);
  return {
    coreControlPlane: new Policy(repo, 'core-control-plane', {
      namespaces: [CORE_NAMESPACE],
      podSecurity: PodSecurityLevel.RESTRICTED,
      isolation: NetworkIsolation.SAME_NAMESPACE,
      allowIngressFromNamespaces: [...sliceNamespaces, RAN_NAMESPACE],
      quota: { requestsCpu: '8', requestsMemory: '8Gi', limitsCpu: '16', limitsMemory: '16Gi', pods: 50 },
      description: '5G core control plane: restricted pods, reachable from the user plane and the RAN only',
    }),
    slices: new Policy(repo, 'slices', {
      namespaces: sliceNamespaces,
      // Each slice's UPF needs NET_ADMIN for its GTP-U tunnels, which baseline forbids; the
      // slices' own NetworkPolicies isolate them, so no namespace-wide isolation here.
      podSecurity: PodSecurityLevel.PRIVILEGED,
      isolation: NetworkIsolation.NONE,
      description: 'Slice namespaces: privileged for the user plane, isolated by the slice policies',
    }),
    ran: new Policy(repo, 'ran', {
      namespaces: [RAN_NAMESPACE],
      podSecurity: PodSecurityLevel.PRIVILEGED,
      isolation: NetworkIsolation.SAME_NAMESPACE,
      allowIngressFromNamespaces: [CORE_NAMESPACE, ...sliceNamespaces],
      // Production runs 2 replicas of each of the 3 RAN NFs: 6 pods at 2 CPU / 2Gi requested and
      // 4 CPU / 4Gi limited each (24 CPU / 24Gi); with headroom for one more pod during a rollout.
      quota: { requestsCpu: '16', requestsMemory: '16Gi', limitsCpu: '32', limitsMemory: '32Gi', pods: 20 },
      description: 'O-RAN CU and DU',
    }),
  };
}

/**
 * Places NFs on every cluster of a site type. Staging and production run pinned digests and
 * production two replicas of the NFs that run their own workload; the operator-model NFs' pods
 * are sized and imaged by their operator, so no override would apply to them.
 */
function placeOnSites(fleet: Fleet, nfs: NetworkFunction[], siteType: SiteType): void {
  for (const nf of nfs) {
    const placement = new Placement(fleet, `${nf.name}-${siteType.name}`, {
      blueprint: nf,
      matchLabels: { 'nephio.org/site-type': siteType.name },
    });
    if (nf.deploymentModel !== NfDeploymentModel.WORKLOAD) continue;
    const image = pinnedImage(nf);
    placement.addEnvironmentOverrides(Environment.STAGING, { image });
    placement.addEnvironmentOverrides(Environment.PRODUCTION, { image, replicas: 2 });
  }
}
