import { NetworkDefinition } from '../kpt/blueprint';
import { checkDnsLabel } from '../kpt/naming';
import { isIpv4Address, isIpv4Cidr, isIpv6Cidr } from '../network/validation';

/** A node interface name as Linux allows it (at most 15 characters). */
export const NODE_INTERFACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,14}$/;
const EXTENDED_RESOURCE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** An IPv4 range: its first (network) address and its prefix length, as unsigned 32-bit numbers. */
export interface Ipv4Range {
  readonly base: number;
  readonly prefix: number;
}

/** A dotted-quad IPv4 address as an unsigned 32-bit number; undefined when it is not one. */
export function parseIpv4(value: unknown): number | undefined {
  if (!isIpv4Address(value)) return undefined;
  return (value as string).split('.').reduce((n, octet) => ((n << 8) | Number(octet)) >>> 0, 0);
}

/** An unsigned 32-bit number as a dotted-quad IPv4 address. */
export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** `a.b.c.d/p` as its address and prefix length; undefined when it is not one. */
export function parseIpv4Cidr(value: unknown): { address: number; prefix: number } | undefined {
  if (!isIpv4Cidr(value)) return undefined;
  const [address, prefix] = (value as string).split('/');
  return { address: parseIpv4(address)!, prefix: Number(prefix) };
}

/** The number of addresses in a prefix (2^(32-prefix)). */
export function rangeSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** The range holding `address` at `prefix`. */
export function rangeOf(address: number, prefix: number): Ipv4Range {
  const size = rangeSize(prefix);
  return { base: address - (address % size), prefix };
}

/** True when `address` is inside `range`. */
export function inRange(address: number, range: Ipv4Range): boolean {
  return address >= range.base && address < range.base + rangeSize(range.prefix);
}

/** The network and broadcast addresses of a range, which no interface may have. */
export function isNetworkOrBroadcast(address: number, range: Ipv4Range): boolean {
  return address === range.base || address === range.base + rangeSize(range.prefix) - 1;
}

/** A network of a cluster with its defaults applied and its subnet parsed. */
export interface ResolvedNetwork {
  readonly definition: NetworkDefinition;
  readonly range: Ipv4Range;
  /** The gateway as a number. */
  readonly gateway: number;
}

/** A problem of one network prop. */
export interface NetworkProblem {
  readonly field: string;
  readonly message: string;
}

/** What a cluster offers that its networks are checked against. */
export interface ClusterNetworkContext {
  readonly clusterName: string;
  readonly cnis: readonly string[];
  readonly masterInterface: string;
}

/**
 * Checks one network against the cluster and the networks already accepted; returns it with its
 * defaults (gateway: the subnet's first host; masterInterface: the cluster's) or its problems.
 */
export function resolveNetwork(
  network: NetworkDefinition,
  field: string,
  cluster: ClusterNetworkContext,
  accepted: readonly ResolvedNetwork[],
): { network?: ResolvedNetwork; problems: NetworkProblem[] } {
  const problems: NetworkProblem[] = [];
  const add = (f: string, message: string) => problems.push({ field: `${field}.${f}`, message });
  if (network === null || typeof network !== 'object') {
    return { problems: [{ field, message: 'must be a NetworkDefinition: { name, cni, subnet, ... }' }] };
  }
  const nameError = checkDnsLabel(network.name);
  if (nameError) add('name', nameError);
  const clash = accepted.find(n => n.definition.name === network.name);
  if (clash) add('name', `cluster "${cluster.clusterName}" already has a network "${network.name}"; network names are unique on a cluster`);

  if (typeof network.cni !== 'string' || !cluster.cnis.includes(network.cni)) {
    add('cni', `${JSON.stringify(network.cni)} is not one of the cluster's CNIs (${cluster.cnis.join(', ') || 'none'}); add it to props.cnis (the WorkloadCluster's spec.cnis) or use one of them`);
  }

  const subnet = parseIpv4Cidr(network.subnet);
  let range: Ipv4Range | undefined;
  if (!subnet) {
    add('subnet', `${JSON.stringify(network.subnet)} is not an IPv4 CIDR such as "10.0.3.0/24"`);
  } else if (subnet.prefix > 30) {
    add('subnet', `"${network.subnet}" has no room for a gateway and an interface; use a /30 or larger subnet`);
  } else {
    range = rangeOf(subnet.address, subnet.prefix);
    if (range.base !== subnet.address) {
      add('subnet', `"${network.subnet}" is not a network address; did you mean "${formatIpv4(range.base)}/${subnet.prefix}"?`);
      range = undefined;
    }
  }
  if (range) {
    const overlap = accepted.find(n => inRange(range!.base, n.range) || inRange(n.range.base, range!));
    if (overlap) add('subnet', `"${network.subnet}" overlaps the subnet ${overlap.definition.subnet} of network "${overlap.definition.name}" on cluster "${cluster.clusterName}"; give each network of a cluster its own range`);
  }

  let gateway: number | undefined = range ? range.base + 1 : undefined;
  if (network.gateway !== undefined) {
    gateway = parseIpv4(network.gateway);
    if (gateway === undefined) {
      add('gateway', `${JSON.stringify(network.gateway)} is not an IPv4 address such as "10.0.3.1"`);
    } else if (range && (!inRange(gateway, range) || isNetworkOrBroadcast(gateway, range))) {
      add('gateway', `${network.gateway} is not a host address of the subnet ${network.subnet}`);
      gateway = undefined;
    }
  }

  const masterInterface = network.masterInterface ?? cluster.masterInterface;
  if (typeof masterInterface !== 'string' || !NODE_INTERFACE_NAME.test(masterInterface)) {
    add('masterInterface', `must be a node interface name of at most 15 characters, e.g. "eth1"; got ${JSON.stringify(masterInterface)}`);
  }
  if (network.vlanId !== undefined && !(Number.isInteger(network.vlanId) && network.vlanId >= 1 && network.vlanId <= 4094)) {
    add('vlanId', `${JSON.stringify(network.vlanId)} must be a VLAN id from 1 to 4094`);
  }
  if (network.cni === 'sriov') {
    if (typeof network.resourceName !== 'string' || !EXTENDED_RESOURCE.test(network.resourceName)) {
      add('resourceName', `an sriov network needs the device-plugin resource of its virtual functions, e.g. "intel.com/sriov_netdevice"; got ${JSON.stringify(network.resourceName)}`);
    }
  } else if (network.resourceName !== undefined) {
    add('resourceName', `is only for sriov networks; network "${network.name}" uses ${JSON.stringify(network.cni)}`);
  }

  if (problems.length > 0 || !range || gateway === undefined) return { problems };
  return {
    problems,
    network: {
      definition: { ...network, gateway: formatIpv4(gateway), masterInterface },
      range,
      gateway,
    },
  };
}

/** Returns why `cidr` cannot be a pod address range, or undefined. */
export function checkPodCidr(cidr: unknown): string | undefined {
  if (isIpv6Cidr(cidr)) return undefined;
  const parsed = parseIpv4Cidr(cidr);
  if (!parsed) return `${JSON.stringify(cidr)} is not a CIDR such as "10.244.0.0/16" or "fd00:10:244::/56"`;
  const range = rangeOf(parsed.address, parsed.prefix);
  if (range.base !== parsed.address) return `"${cidr}" is not a network address; did you mean "${formatIpv4(range.base)}/${parsed.prefix}"?`;
  return undefined;
}
