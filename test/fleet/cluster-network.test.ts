import { Construct } from 'constructs';
import { REPO_URL, TestWorkload, objectAt, problemsOf, tokenAuth } from './support';
import { Cluster, Environment, Fleet, Placement, SiteType } from '../../src/fleet';
import { IPackageBlueprint, KptPackage, VariantOptions } from '../../src/kpt';
import { GitOpsRepository } from '../../src/repo';

function newFleet() {
  const repo = new GitOpsRepository();
  const fleet = new Fleet(repo, 'fleet', { repoUrl: REPO_URL, auth: tokenAuth() });
  return { repo, fleet };
}

/** Records the targets its variants are rendered for. */
class TargetProbe extends Construct implements IPackageBlueprint {
  public readonly blueprint: KptPackage;
  public readonly namespaces = ['probe'];
  public readonly seen: VariantOptions[] = [];
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.blueprint = new KptPackage(this, 'Package', { path: `packages/network-functions/${id}` });
  }
  public renderVariant(scope: Construct, id: string, options: VariantOptions): KptPackage {
    this.seen.push(options);
    return new KptPackage(scope, id, {
      path: options.path,
      upstream: { repo: options.upstreamRepo, directory: this.blueprint.packagePath, ref: options.upstreamRef },
    });
  }
}

describe('Cluster networks', () => {
  test('networks and pod CIDRs reach the variants\' target with defaults resolved; the WorkloadCluster lists the CNIs', () => {
    const { repo, fleet } = newFleet();
    const edge = new Cluster(fleet, 'edge-01', {
      environment: Environment.PRODUCTION,
      region: 'eu-west',
      siteType: SiteType.EDGE,
      cnis: ['macvlan', 'sriov'],
      masterInterface: 'bond0',
      podCidrs: ['10.244.0.0/16', 'fd00:10:244::/56'],
      networks: [{ name: 'vpc-ran', cni: 'macvlan', subnet: '10.0.3.0/24', vlanId: 30 }],
    });
    edge.addNetwork({ name: 'vpc-fronthaul', cni: 'sriov', subnet: '10.0.9.0/24', gateway: '10.0.9.254', resourceName: 'intel.com/sriov_netdevice' });
    const probe = new TargetProbe(repo, 'probe');
    new Placement(fleet, 'probe', { blueprint: probe });
    new Placement(fleet, 'workload', { blueprint: new TestWorkload(repo, 'workload', { namespace: 'probe' }) });
    const { tree } = repo.synthTree();

    expect(probe.seen).toHaveLength(1);
    expect(probe.seen[0].target.networks).toEqual([
      { name: 'vpc-ran', cni: 'macvlan', subnet: '10.0.3.0/24', vlanId: 30, gateway: '10.0.3.1', masterInterface: 'bond0' },
      { name: 'vpc-fronthaul', cni: 'sriov', subnet: '10.0.9.0/24', gateway: '10.0.9.254', resourceName: 'intel.com/sriov_netdevice', masterInterface: 'bond0' },
    ]);
    expect(probe.seen[0].target.podCidrs).toEqual(['10.244.0.0/16', 'fd00:10:244::/56']);
    expect(probe.seen[0].fleet?.instancesOf(probe).map(i => i.target.name)).toEqual(['edge-01']);
    const workloadCluster = tree.paths().find(p => p.endsWith('workloadcluster_edge-01.yaml'))!;
    expect(objectAt(tree, workloadCluster).spec).toEqual({ clusterName: 'edge-01', cnis: ['macvlan', 'sriov'], masterInterface: 'bond0' });
  });

  test('invalid networks and pod CIDRs are reported at synth, every one, with what would be valid', () => {
    const { repo, fleet } = newFleet();
    const edge = new Cluster(fleet, 'edge-01', {
      environment: Environment.PRODUCTION,
      region: 'eu-west',
      podCidrs: ['10.244.0.1/16', 'pods'],
      networks: [
        { name: 'vpc-ran', cni: 'macvlan', subnet: '10.0.3.0/24' },
        { name: 'vpc-ran', cni: 'macvlan', subnet: '10.0.5.0/24' },
        { name: 'VPC_Core', cni: 'ipvlan', subnet: '10.0.3.128/25' },
        { name: 'vpc-x', cni: 'macvlan', subnet: '10.0.4.5/24', gateway: '10.0.5.1' },
        { name: 'vpc-y', cni: 'macvlan', subnet: '10.0.6.0/24', gateway: '10.0.7.1', vlanId: 5000, masterInterface: 'an-interface-name-too-long' },
        { name: 'vpc-z', cni: 'macvlan', subnet: '10.0.8.0/31', resourceName: 'intel.com/sriov' },
      ],
    });
    edge.addNetwork({ name: 'vpc-vf', cni: 'sriov', subnet: '10.1.0.0/24' });
    new Placement(fleet, 'workload', { blueprint: new TestWorkload(repo, 'workload', { namespace: 'probe' }) });
    expect(problemsOf(repo)).toEqual([
      '[fleet/edge-01] networks[1] (vpc-ran).name: cluster "edge-01" already has a network "vpc-ran"; network names are unique on a cluster',
      '[fleet/edge-01] networks[2] (VPC_Core).cni: "ipvlan" is not one of the cluster\'s CNIs (macvlan); add it to props.cnis (the WorkloadCluster\'s spec.cnis) or use one of them',
      '[fleet/edge-01] networks[2] (VPC_Core).name: "VPC_Core" is not a DNS-1123 label: use lowercase letters, digits and "-", starting and ending with a letter or digit',
      '[fleet/edge-01] networks[2] (VPC_Core).subnet: "10.0.3.128/25" overlaps the subnet 10.0.3.0/24 of network "vpc-ran" on cluster "edge-01"; give each network of a cluster its own range',
      '[fleet/edge-01] networks[3] (vpc-x).subnet: "10.0.4.5/24" is not a network address; did you mean "10.0.4.0/24"?',
      '[fleet/edge-01] networks[4] (vpc-y).gateway: 10.0.7.1 is not a host address of the subnet 10.0.6.0/24',
      '[fleet/edge-01] networks[4] (vpc-y).masterInterface: must be a node interface name of at most 15 characters, e.g. "eth1"; got "an-interface-name-too-long"',
      '[fleet/edge-01] networks[4] (vpc-y).vlanId: 5000 must be a VLAN id from 1 to 4094',
      '[fleet/edge-01] networks[5] (vpc-z).resourceName: is only for sriov networks; network "vpc-z" uses "macvlan"',
      '[fleet/edge-01] networks[5] (vpc-z).subnet: "10.0.8.0/31" has no room for a gateway and an interface; use a /30 or larger subnet',
      '[fleet/edge-01] networks[6] (vpc-vf).cni: "sriov" is not one of the cluster\'s CNIs (macvlan); add it to props.cnis (the WorkloadCluster\'s spec.cnis) or use one of them',
      '[fleet/edge-01] networks[6] (vpc-vf).resourceName: an sriov network needs the device-plugin resource of its virtual functions, e.g. "intel.com/sriov_netdevice"; got undefined',
      '[fleet/edge-01] props.podCidrs[0]: "10.244.0.1/16" is not a network address; did you mean "10.244.0.0/16"?',
      '[fleet/edge-01] props.podCidrs[1]: "pods" is not a CIDR such as "10.244.0.0/16" or "fd00:10:244::/56"',
    ]);
  });
});
