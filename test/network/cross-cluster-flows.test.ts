import { objectAt, synthProblems } from './support';
import { Cluster, ClusterProps, Environment, Fleet, GitAuth, GitCredentials, Placement, SiteType } from '../../src/fleet';
import { InterfaceType, NetworkFunction, NetworkSlice, NfDeploymentModel, NfKind, SliceServiceType } from '../../src/network';
import { GitOpsRepository, RepoTree } from '../../src/repo';

const DIGEST = 'sha256:' + '0123456789abcdef'.repeat(4);
const RESOURCES = { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } };

/**
 * A regional SMF and an edge UPF of one slice, in the slice's namespace, each placed on its own
 * site type; the slice is placed everywhere. They run their own workloads (the workload model),
 * so N4 can stay on the pod network (the free5gc operator requires N4 on a secondary network).
 */
function regionalAndEdge(options: { regional?: Partial<ClusterProps>; edge?: Partial<ClusterProps>; upfN4?: boolean; stagingEdge?: boolean } = {}) {
  const repo = new GitOpsRepository();
  const fleet = new Fleet(repo, 'fleet', {
    repoUrl: 'https://git.example.com/telco/fleet.git',
    auth: GitAuth.token(GitCredentials.externalSecret({ secretStoreName: 'vault', remoteKey: 'gitops/fleet-read-token' })),
  });
  new Cluster(fleet, 'regional', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.REGIONAL, ...options.regional });
  new Cluster(fleet, 'edge', {
    environment: Environment.PRODUCTION,
    region: 'eu-west',
    siteType: SiteType.EDGE,
    networks: [{ name: 'vpc-internal', cni: 'macvlan', subnet: '10.30.4.0/24' }],
    ...options.edge,
  });
  if (options.stagingEdge) {
    new Cluster(fleet, 'stg-edge', {
      environment: Environment.STAGING,
      region: 'eu-west',
      siteType: SiteType.EDGE,
      podCidrs: ['10.99.0.0/16'],
      networks: [{ name: 'vpc-internal', cni: 'macvlan', subnet: '10.99.4.0/24' }],
    });
  }
  const slice = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB, sd: '000001' });
  const deploymentModel = NfDeploymentModel.WORKLOAD;
  const smf = new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, namespace: slice.namespace, image: `docker.io/free5gc/smf@${DIGEST}`, resources: RESOURCES, deploymentModel });
  const upf = new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, namespace: slice.namespace, image: `docker.io/free5gc/upf@${DIGEST}`, resources: RESOURCES, deploymentModel });
  if (options.upfN4) upf.addInterface({ type: InterfaceType.N4, networkInstance: 'vpc-internal' });
  slice.addNetworkFunction(smf);
  slice.addNetworkFunction(upf);
  new Placement(fleet, 'smf', { blueprint: smf, matchLabels: { 'nephio.org/site-type': 'regional' } });
  new Placement(fleet, 'upf', { blueprint: upf, matchLabels: { 'nephio.org/site-type': 'edge' } });
  new Placement(fleet, 'embb', { blueprint: slice });
  return { repo, fleet, slice, smf, upf };
}

/** A member's allowance policy as flows: `in 10.20.0.0/16 UDP/8805`, `out upf UDP/8805`. */
function flows(tree: RepoTree, dir: string, nf: string): string[] {
  const spec = objectAt(tree, `${dir}/networkpolicy_embb-allow-${nf}.yaml`).spec;
  expect(spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/instance': nf } });
  const peerName = (peer: any) => peer.ipBlock ? peer.ipBlock.cidr : peer.podSelector.matchLabels['app.kubernetes.io/instance'];
  const lines: string[] = [];
  for (const rule of spec.ingress ?? []) for (const peer of rule.from) for (const port of rule.ports) lines.push(`in ${peerName(peer)} ${port.protocol}/${port.port}`);
  for (const rule of spec.egress ?? []) {
    for (const peer of rule.to) {
      if (!rule.ports) lines.push(`out ${peerName(peer)} any`);
      for (const port of rule.ports ?? []) lines.push(`out ${peerName(peer)} ${port.protocol}/${port.port}`);
    }
  }
  return lines.sort();
}

const REGIONAL = 'deployments/production/regional/embb';
const EDGE = 'deployments/production/edge/embb';

describe('slice NetworkPolicies across clusters', () => {
  test('a regional SMF and an edge UPF on the pod network allow N4 by the peer cluster\'s pod CIDRs, on both sides', () => {
    const { repo } = regionalAndEdge({ regional: { podCidrs: ['10.10.0.0/16'] }, edge: { podCidrs: ['10.20.0.0/16', '10.21.0.0/16'] } });
    const { tree } = repo.synthTree();
    expect(flows(tree, REGIONAL, 'smf')).toEqual([
      'in 10.20.0.0/16 UDP/8805', 'in 10.21.0.0/16 UDP/8805',
      'out 10.20.0.0/16 UDP/8805', 'out 10.21.0.0/16 UDP/8805',
    ]);
    expect(flows(tree, EDGE, 'upf')).toEqual([
      'in 10.10.0.0/16 UDP/8805',
      'out 0.0.0.0/0 any', 'out 10.10.0.0/16 UDP/8805', 'out ::/0 any',
    ]);
    // Each variant holds allowances only for the members placed on its cluster.
    expect(tree.getText(`${REGIONAL}/networkpolicy_embb-allow-upf.yaml`)).toBeUndefined();
    expect(tree.getText(`${EDGE}/networkpolicy_embb-allow-smf.yaml`)).toBeUndefined();
    // The blueprint, rendered outside the fleet, keeps naming peers by their pods.
    expect(flows(tree, 'packages/slices/embb', 'smf')).toEqual(['in upf UDP/8805', 'out upf UDP/8805']);
  });

  test('a flow with a cluster whose pod address range is unknown fails synth, naming both NFs, both clusters, the reference point and the fixes', () => {
    const { repo } = regionalAndEdge({ regional: { podCidrs: ['10.10.0.0/16'] } });
    expect(synthProblems(() => repo.synthTree())).toEqual([
      '[fleet/embb/regional] networkFunctions: smf on cluster regional and upf on cluster edge talk over N4 on the pod network, but the pod address range of cluster edge is unknown, so the NetworkPolicy of smf cannot allow that flow: set podCidrs on cluster edge, or attach N4 to a secondary network on both ends (addInterface on smf and upf)',
    ]);
  });

  test('a peer that carries the reference point on a secondary network is allowed by its allocated address', () => {
    const { repo } = regionalAndEdge({ regional: { podCidrs: ['10.10.0.0/16'] }, upfN4: true });
    const { tree } = repo.synthTree();
    const smfFlows = flows(tree, REGIONAL, 'smf');
    expect(smfFlows).toHaveLength(2);
    expect(smfFlows[0]).toMatch(/^in 10\.30\.4\.\d+\/32 UDP\/8805$/);
    expect(smfFlows[1]).toBe(`out ${smfFlows[0].split(' ')[1]} UDP/8805`);
    // The edge UPF's own N4 leaves from its secondary interface: the SMF is still on the pod network.
    expect(flows(tree, EDGE, 'upf')).toEqual(['in 10.10.0.0/16 UDP/8805', 'out 0.0.0.0/0 any', 'out 10.10.0.0/16 UDP/8805', 'out ::/0 any']);
  });

  test('flows stay within an environment: a staging UPF is no peer of the production SMF', () => {
    const { repo } = regionalAndEdge({ regional: { podCidrs: ['10.10.0.0/16'] }, edge: { podCidrs: ['10.20.0.0/16'] }, stagingEdge: true });
    const { tree, warnings } = repo.synthTree();
    expect(flows(tree, REGIONAL, 'smf')).toEqual(['in 10.20.0.0/16 UDP/8805', 'out 10.20.0.0/16 UDP/8805']);
    // The staging UPF has no SMF in staging: said, not silently dropped.
    expect(warnings.map(w => `[${w.path}] ${w.message}`)).toContain(
      '[fleet/embb/stg-edge] upf on cluster stg-edge serves a slice with smf, which is placed on no cluster of environment staging: no N4 traffic with it is allowed there; place smf in that environment or remove it from the slice');
  });

  test('peers on the same cluster are named by their pods, peers elsewhere by address, in one policy', () => {
    const { repo, fleet, upf } = regionalAndEdge({ regional: { podCidrs: ['10.10.0.0/16'], networks: [{ name: 'vpc-internal', cni: 'macvlan', subnet: '10.10.4.0/24' }] }, edge: { podCidrs: ['10.20.0.0/16'] } });
    new Placement(fleet, 'upf-regional', { blueprint: upf, matchLabels: { 'nephio.org/site-type': 'regional' }, packageName: 'upf-local' });
    const { tree } = repo.synthTree();
    expect(flows(tree, REGIONAL, 'smf')).toEqual([
      'in 10.20.0.0/16 UDP/8805', 'in upf UDP/8805',
      'out 10.20.0.0/16 UDP/8805', 'out upf UDP/8805',
    ]);
  });

  test('operator-model NFs are selected by the labels their operator puts on its pods', () => {
    const repo = new GitOpsRepository();
    const fleet = new Fleet(repo, 'fleet', {
      repoUrl: 'https://git.example.com/telco/fleet.git',
      auth: GitAuth.token(GitCredentials.externalSecret({ secretStoreName: 'vault', remoteKey: 'gitops/fleet-read-token' })),
    });
    new Cluster(fleet, 'regional', {
      environment: Environment.PRODUCTION,
      region: 'eu-west',
      siteType: SiteType.REGIONAL,
      networks: [{ name: 'vpc-internal', cni: 'macvlan', subnet: '10.10.4.0/24' }, { name: 'vpc-ran', cni: 'macvlan', subnet: '10.10.3.0/24' }],
    });
    const slice = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB, sd: '000001' });
    const amf = new NetworkFunction(repo, 'amf', { kind: NfKind.AMF, namespace: slice.namespace, capacity: { maxSubscribers: 1000 }, interfaces: [{ type: InterfaceType.N2, networkInstance: 'vpc-ran' }] });
    const smf = new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, namespace: slice.namespace, capacity: { maxSessions: 1000 }, interfaces: [{ type: InterfaceType.N4, networkInstance: 'vpc-internal' }] });
    const upf = new NetworkFunction(repo, 'upf', {
      kind: NfKind.UPF,
      namespace: slice.namespace,
      capacity: { maxDownlinkThroughput: '1G' },
      interfaces: [
        { type: InterfaceType.N3, networkInstance: 'vpc-ran' },
        { type: InterfaceType.N4, networkInstance: 'vpc-internal' },
        { type: InterfaceType.N6, networkInstance: 'vpc-internal' },
      ],
    });
    for (const nf of [amf, smf, upf]) {
      slice.addNetworkFunction(nf);
      new Placement(fleet, nf.name, { blueprint: nf });
    }
    new Placement(fleet, 'embb', { blueprint: slice });
    const { tree } = repo.synthTree();
    const spec = objectAt(tree, `${REGIONAL}/networkpolicy_embb-allow-smf.yaml`).spec;
    expect(spec.podSelector).toEqual({ matchLabels: smf.podSelectorLabels });
    expect(smf.podSelectorLabels).not.toHaveProperty('app.kubernetes.io/instance');
    // SBI with the AMF by its operator's pod labels; N4 with the UPF rides vpc-internal on both ends: no rule.
    expect(spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: amf.podSelectorLabels } }], ports: [{ protocol: 'TCP', port: 8000 }] }]);
    expect(spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: amf.podSelectorLabels } }], ports: [{ protocol: 'TCP', port: 8000 }] }]);
  });
});
