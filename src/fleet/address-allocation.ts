import { createHash } from 'crypto';
import type { Cluster } from './cluster';
import { formatIpv4, inRange, isNetworkOrBroadcast, parseIpv4Cidr, rangeSize, ResolvedNetwork } from './cluster-network';
import type { Placement } from './placement';
import { AddressRequest, IPackageBlueprint, InterfaceAddress } from '../kpt/blueprint';
import { compareStrings as compare } from '../repo/compare';
import { ProblemSink } from '../repo/synth-context';

/** The addresses of every placed package on one cluster, by placement, then by interface name. */
export type ClusterAddresses = Map<Placement, Record<string, InterfaceAddress>>;

interface Claim {
  readonly placement: Placement;
  readonly request: AddressRequest;
  /** Sort and hash key: unique on a cluster, independent of everything else placed there. */
  readonly key: string;
}

/**
 * Gives every interface of every package placed on a cluster its address on the cluster's
 * secondary network, from the network's subnet:
 *
 * - fixed addresses (`AddressRequest.fixedAddress`) first: each must be a host address of the
 *   subnet with the subnet's prefix length, not the gateway, and unique on the network;
 * - every other interface gets the host address its key (cluster, network, package, interface)
 *   hashes to, or, when that is taken, the next free one upwards. Keys are processed in sorted
 *   order, the ones whose hashed address is free first, so an address depends only on the
 *   interfaces that hash to the same address: adding a package moves no other package's address
 *   unless their hashes collide. Network, broadcast and gateway addresses are never given.
 *
 * Problems are collected, each naming the placement and the interface: an interface on a network
 * the cluster does not declare, two interfaces with one address, an address outside its subnet,
 * a subnet with no free address left.
 */
export function allocateAddresses(plan: ReadonlyMap<Cluster, readonly Placement[]>, context: ProblemSink): Map<Cluster, ClusterAddresses> {
  const result = new Map<Cluster, ClusterAddresses>();
  const requestsOf = new Map<IPackageBlueprint, AddressRequest[]>();
  const requests = (blueprint: IPackageBlueprint): AddressRequest[] => {
    let list = requestsOf.get(blueprint);
    if (!list) requestsOf.set(blueprint, list = typeof blueprint.addressRequests === 'function' ? blueprint.addressRequests() : []);
    return list;
  };

  for (const [cluster, placements] of [...plan].sort(([a], [b]) => compare(a.clusterName, b.clusterName))) {
    const addresses: ClusterAddresses = new Map();
    result.set(cluster, addresses);
    const networks = new Map(cluster._resolvedNetworks.map(n => [n.definition.name, n] as const));
    const claims = new Map<string, Claim[]>();
    for (const placement of [...placements].sort((a, b) => compare(a.packageName, b.packageName))) {
      const seen = new Set<string>();
      for (const request of requests(placement.blueprint)) {
        const field = `interfaces.${request.interfaceName}`;
        if (seen.has(request.interfaceName)) {
          context.problems.add(placement.node.path, field, `package "${placement.packageName}" asks twice for an address for interface "${request.interfaceName}"; interface names are unique in a package`);
          continue;
        }
        seen.add(request.interfaceName);
        if (!networks.has(request.network)) {
          // A network declared with problems was reported on the cluster already.
          if (cluster._hasInvalidNetwork(request.network)) continue;
          const offered = [...networks.keys()].sort();
          context.problems.add(placement.node.path, field, `interface "${request.interfaceName}" of "${placement.packageName}" attaches to network "${request.network}", which cluster "${cluster.clusterName}" does not declare (it has ${offered.length > 0 ? offered.join(', ') : 'no networks'}); declare it on the cluster (props.networks or addNetwork()) or do not place the package there`);
          continue;
        }
        let list = claims.get(request.network);
        if (!list) claims.set(request.network, list = []);
        list.push({ placement, request, key: `${cluster.clusterName}/${request.network}/${placement.packageName}/${request.interfaceName}` });
      }
    }
    for (const [name, list] of [...claims].sort(([a], [b]) => compare(a, b))) {
      allocateOnNetwork(cluster, networks.get(name)!, list, addresses, context);
    }
  }
  return result;
}

function allocateOnNetwork(cluster: Cluster, network: ResolvedNetwork, claims: Claim[], addresses: ClusterAddresses, context: ProblemSink): void {
  const { range, gateway } = network;
  const subnet = network.definition.subnet;
  const where = `network "${network.definition.name}" (${subnet}) of cluster "${cluster.clusterName}"`;
  const owner = new Map<number, Claim | 'gateway'>([[gateway, 'gateway']]);
  const give = (claim: Claim, address: number) => {
    owner.set(address, claim);
    let record = addresses.get(claim.placement);
    if (!record) addresses.set(claim.placement, record = {});
    record[claim.request.interfaceName] = {
      network: network.definition.name,
      address: `${formatIpv4(address)}/${range.prefix}`,
      gateway: network.definition.gateway!,
    };
  };
  const describe = (claim: Claim) => `interface "${claim.request.interfaceName}" of "${claim.placement.packageName}" (${claim.placement.node.path})`;

  const sorted = [...claims].sort((a, b) => compare(a.key, b.key));
  for (const claim of sorted.filter(c => c.request.fixedAddress !== undefined)) {
    const fixed = claim.request.fixedAddress!;
    const field = `interfaces.${claim.request.interfaceName}`;
    const parsed = parseIpv4Cidr(fixed);
    if (!parsed) {
      context.problems.add(claim.placement.node.path, field, `fixed address ${JSON.stringify(fixed)} of ${describe(claim)} is not an IPv4 address with prefix length such as "10.0.3.7/24"`);
      continue;
    }
    if (!inRange(parsed.address, range) || isNetworkOrBroadcast(parsed.address, range)) {
      context.problems.add(claim.placement.node.path, field, `fixed address ${fixed} of ${describe(claim)} is outside the host addresses of ${where}; give an address inside ${subnet} or attach the interface to the network that holds it`);
      continue;
    }
    if (parsed.prefix !== range.prefix) {
      context.problems.add(claim.placement.node.path, field, `fixed address ${fixed} of ${describe(claim)} has prefix length /${parsed.prefix}, but ${where} is a /${range.prefix}; write ${formatIpv4(parsed.address)}/${range.prefix}`);
      continue;
    }
    const taken = owner.get(parsed.address);
    if (taken === 'gateway') {
      context.problems.add(claim.placement.node.path, field, `fixed address ${fixed} of ${describe(claim)} is the gateway of ${where}; give another address`);
      continue;
    }
    if (taken) {
      context.problems.add(claim.placement.node.path, field, `fixed address ${fixed} of ${describe(claim)} is also the fixed address of ${describe(taken)} on ${where}; two interfaces on one network need two addresses`);
      continue;
    }
    give(claim, parsed.address);
  }

  const hosts = rangeSize(range.prefix) - 2;
  const first = range.base + 1;
  const dynamic = sorted.filter(c => c.request.fixedAddress === undefined).map(claim => ({ claim, home: first + hashOf(claim.key) % hosts }));
  const probing: typeof dynamic = [];
  for (const entry of dynamic) {
    if (owner.has(entry.home)) probing.push(entry);
    else give(entry.claim, entry.home);
  }
  for (const entry of probing) {
    if (owner.size >= hosts) {
      context.problems.add(entry.claim.placement.node.path, `interfaces.${entry.claim.request.interfaceName}`, `${where} has no free address left for ${describe(entry.claim)}: its ${hosts} host addresses hold the gateway and ${owner.size - 1} interfaces; use a larger subnet or place fewer packages on the network`);
      continue;
    }
    let address = entry.home;
    while (owner.has(address)) address = address + 1 >= first + hosts ? first : address + 1;
    give(entry.claim, address);
  }
}

function hashOf(key: string): number {
  return createHash('sha256').update(key).digest().readUIntBE(0, 6);
}
