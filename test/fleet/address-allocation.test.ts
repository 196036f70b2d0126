import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { REPO_URL, objectAt, problemsOf, tokenAuth } from './support';
import { Cluster, Environment, Fleet, Placement, SiteType } from '../../src/fleet';
import { AddressRequest, IPackageBlueprint, KptPackage, NetworkDefinition, VariantOptions } from '../../src/kpt';
import { GitOpsRepository } from '../../src/repo';

/**
 * A package asking for addresses; each variant writes what it got into a ConfigMap, as an NF
 * variant writes them into its NFDeployment interfaces.
 */
class AddressProbe extends Construct implements IPackageBlueprint {
  public readonly blueprint: KptPackage;
  public readonly namespaces = ['probe'];

  constructor(scope: Construct, id: string, private readonly requests: AddressRequest[]) {
    super(scope, id);
    this.blueprint = new KptPackage(this, 'Package', { path: `packages/network-functions/${id}` });
    new ApiObject(this.blueprint, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id, namespace: 'probe' }, data: {} });
  }

  public addressRequests(): AddressRequest[] {
    return this.requests;
  }

  public renderVariant(scope: Construct, id: string, options: VariantOptions): KptPackage {
    const pkg = new KptPackage(scope, id, {
      path: options.path,
      upstream: { repo: options.upstreamRepo, directory: this.blueprint.packagePath, ref: options.upstreamRef },
      mutators: options.mutators,
    });
    const data = Object.fromEntries(Object.entries(options.addresses ?? {}).map(([name, a]) => [name, `${a.network} ${a.address} via ${a.gateway}`]));
    new ApiObject(pkg, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: this.node.id, namespace: 'probe' }, data });
    return pkg;
  }
}

const RAN: NetworkDefinition = { name: 'vpc-ran', cni: 'macvlan', subnet: '10.0.3.0/24' };
const INTERNAL: NetworkDefinition = { name: 'vpc-internal', cni: 'macvlan', subnet: '10.0.4.0/28', gateway: '10.0.4.14' };

function newFleet(networks: NetworkDefinition[] = [RAN, INTERNAL]) {
  const repo = new GitOpsRepository();
  const fleet = new Fleet(repo, 'fleet', { repoUrl: REPO_URL, auth: tokenAuth() });
  const edge = new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE, networks });
  return { repo, fleet, edge };
}

function place(repo: GitOpsRepository, fleet: Fleet, id: string, requests: AddressRequest[]): AddressProbe {
  const probe = new AddressProbe(repo, id, requests);
  new Placement(fleet, id, { blueprint: probe });
  return probe;
}

function addressesOf(repo: GitOpsRepository, ids: string[]): Record<string, Record<string, string>> {
  const { tree } = repo.synthTree();
  return Object.fromEntries(ids.map(id => [id, objectAt(tree, `deployments/production/edge-01/${id}/configmap_${id}.yaml`).data ?? {}]));
}

describe('address allocation', () => {
  test('every interface gets a host address of its network with the network gateway; fixed addresses are kept', () => {
    const { repo, fleet } = newFleet();
    place(repo, fleet, 'upf', [{ interfaceName: 'n3', network: 'vpc-ran' }, { interfaceName: 'n4', network: 'vpc-internal', fixedAddress: '10.0.4.5/28' }]);
    place(repo, fleet, 'cu-up', [{ interfaceName: 'n3', network: 'vpc-ran' }]);
    const got = addressesOf(repo, ['upf', 'cu-up']);
    expect(got.upf.n4).toBe('vpc-internal 10.0.4.5/28 via 10.0.4.14');
    for (const line of [got.upf.n3, got['cu-up'].n3]) {
      const [network, cidr, , gateway] = line.split(' ');
      expect([network, gateway]).toEqual(['vpc-ran', '10.0.3.1']);
      const [ip, prefix] = cidr.split('/');
      const host = Number(ip.split('.')[3]);
      expect(ip.startsWith('10.0.3.')).toBe(true);
      expect(prefix).toBe('24');
      // Never the network, the gateway or the broadcast address.
      expect(host).toBeGreaterThan(1);
      expect(host).toBeLessThan(255);
    }
    expect(got.upf.n3).not.toEqual(got['cu-up'].n3);
  });

  test('allocation is stable: adding a package moves no other address, and synth twice gives the same', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `nf-${i}`);
    const before = (() => {
      const { repo, fleet } = newFleet();
      for (const id of ids) place(repo, fleet, id, [{ interfaceName: 'n3', network: 'vpc-ran' }]);
      const first = addressesOf(repo, ids);
      expect(addressesOf(repo, ids)).toEqual(first);
      return first;
    })();
    const { repo, fleet } = newFleet();
    // Added in front of the others, in declaration and in sort order.
    place(repo, fleet, 'aaa-new', [{ interfaceName: 'n3', network: 'vpc-ran' }]);
    for (const id of ids) place(repo, fleet, id, [{ interfaceName: 'n3', network: 'vpc-ran' }]);
    const after = addressesOf(repo, ['aaa-new', ...ids]);
    for (const id of ids) expect([id, after[id]]).toEqual([id, before[id]]);
    expect(Object.values(before).map(a => a.n3)).not.toContain(after['aaa-new'].n3);
  });

  test('a free address is found past a taken one: a /29 holds the gateway and five interfaces, a sixth fails', () => {
    const { repo, fleet } = newFleet([{ name: 'vpc-small', cni: 'macvlan', subnet: '10.9.0.0/29' }]);
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (const id of ids) place(repo, fleet, id, [{ interfaceName: 'n4', network: 'vpc-small' }]);
    const got = addressesOf(repo, ids);
    expect(ids.map(id => got[id].n4.split(' ')[1]).sort()).toEqual(['10.9.0.2/29', '10.9.0.3/29', '10.9.0.4/29', '10.9.0.5/29', '10.9.0.6/29']);

    place(repo, fleet, 'f', [{ interfaceName: 'n4', network: 'vpc-small' }]);
    const problems = problemsOf(repo);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/interfaces\.n4: network "vpc-small" \(10\.9\.0\.0\/29\) of cluster "edge-01" has no free address left for interface "n4" of "[a-f]".*6 host addresses hold the gateway and 5 interfaces; use a larger subnet/);
  });

  test('two packages with one fixed address on one network is an error naming both', () => {
    const { repo, fleet } = newFleet();
    place(repo, fleet, 'upf', [{ interfaceName: 'n3', network: 'vpc-ran', fixedAddress: '10.0.3.7/24' }]);
    place(repo, fleet, 'cu-up', [{ interfaceName: 'n3', network: 'vpc-ran', fixedAddress: '10.0.3.7/24' }]);
    expect(problemsOf(repo)).toEqual([
      '[fleet/upf] interfaces.n3: fixed address 10.0.3.7/24 of interface "n3" of "upf" (fleet/upf) is also the fixed address of interface "n3" of "cu-up" (fleet/cu-up) on network "vpc-ran" (10.0.3.0/24) of cluster "edge-01"; two interfaces on one network need two addresses',
    ]);
  });

  test('an address outside its subnet, the gateway, a wrong prefix length and a missing network are all reported at once', () => {
    const { repo, fleet } = newFleet();
    place(repo, fleet, 'upf', [
      { interfaceName: 'n3', network: 'vpc-ran', fixedAddress: '10.0.9.7/24' },
      { interfaceName: 'n4', network: 'vpc-internal', fixedAddress: '10.0.4.14/28' },
      { interfaceName: 'n6', network: 'vpc-internet' },
    ]);
    place(repo, fleet, 'smf', [{ interfaceName: 'n4', network: 'vpc-internal', fixedAddress: '10.0.4.3/24' }]);
    expect(problemsOf(repo).sort()).toEqual([
      '[fleet/smf] interfaces.n4: fixed address 10.0.4.3/24 of interface "n4" of "smf" (fleet/smf) has prefix length /24, but network "vpc-internal" (10.0.4.0/28) of cluster "edge-01" is a /28; write 10.0.4.3/28',
      '[fleet/upf] interfaces.n3: fixed address 10.0.9.7/24 of interface "n3" of "upf" (fleet/upf) is outside the host addresses of network "vpc-ran" (10.0.3.0/24) of cluster "edge-01"; give an address inside 10.0.3.0/24 or attach the interface to the network that holds it',
      '[fleet/upf] interfaces.n4: fixed address 10.0.4.14/28 of interface "n4" of "upf" (fleet/upf) is the gateway of network "vpc-internal" (10.0.4.0/28) of cluster "edge-01"; give another address',
      '[fleet/upf] interfaces.n6: interface "n6" of "upf" attaches to network "vpc-internet", which cluster "edge-01" does not declare (it has vpc-internal, vpc-ran); declare it on the cluster (props.networks or addNetwork()) or do not place the package there',
    ]);
  });

  test('one package gets its own address on each cluster, from that cluster\'s subnet', () => {
    const { repo, fleet } = newFleet();
    new Cluster(fleet, 'edge-02', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE, networks: [{ name: 'vpc-ran', cni: 'macvlan', subnet: '10.1.3.0/24' }] });
    place(repo, fleet, 'upf', [{ interfaceName: 'n3', network: 'vpc-ran' }]);
    const { tree } = repo.synthTree();
    expect(objectAt(tree, 'deployments/production/edge-01/upf/configmap_upf.yaml').data.n3).toMatch(/^vpc-ran 10\.0\.3\.\d+\/24 via 10\.0\.3\.1$/);
    expect(objectAt(tree, 'deployments/production/edge-02/upf/configmap_upf.yaml').data.n3).toMatch(/^vpc-ran 10\.1\.3\.\d+\/24 via 10\.1\.3\.1$/);
  });
});
