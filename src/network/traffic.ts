import { Protocol } from 'cdk8s-plus-28';
import { InterfaceType, NfPort } from './interfaces';
import type { NetworkFunction } from './network-function';
import { NfKind } from './nf-kind';

/** A port one NF opens to another. */
export interface TrafficPort {
  readonly protocol: string;
  readonly port: number;
}

/** The traffic of one reference point (or the service-based interfaces) between an NF and one peer. */
export interface NfFlow {
  readonly peer: NetworkFunction;
  /** The reference point, e.g. `N4`, `F1-U`, or `SBI` for the service-based interfaces. */
  readonly referencePoint: string;
  /** Ports of the NF the peer may reach. */
  readonly ingress: TrafficPort[];
  /** Ports of the peer the NF may reach. */
  readonly egress: TrafficPort[];
  /** The peer's interface carrying the reference point on a secondary network, when it attaches it to one. */
  readonly peerInterface?: string;
  /** True when the NF itself carries the reference point on a secondary network. */
  readonly ownSecondary: boolean;
}

/** The pod-network traffic one NF needs with its peers. */
export interface NfTraffic {
  /** Ports of the NF each peer may reach, by peer. */
  readonly ingress: Array<{ peer: NetworkFunction; ports: TrafficPort[] }>;
  /** Ports of each peer the NF may reach, by peer. */
  readonly egress: Array<{ peer: NetworkFunction; ports: TrafficPort[] }>;
  /** True when the NF carries a reference point that leaves the cluster (N6) over the pod network. */
  readonly externalEgress: boolean;
  /** The same traffic by peer and reference point, in peer order. */
  readonly flows: NfFlow[];
}

/** Who a NetworkPolicy rule lets in or out: pods by labels, or an address range. */
export type PolicyPeer =
  | { readonly namespaceSelector?: Record<string, any>; readonly podSelector: Record<string, any> }
  | { readonly ipBlock: { readonly cidr: string } };

/** Who stands for the peer of a flow; the same pods or ranges in both directions. */
export type FlowPeers = (flow: NfFlow) => PolicyPeer[];

/**
 * The traffic `nf` exchanges with `peers` over the pod network.
 *
 * An NF carries the reference points of the interfaces its kind may have plus those it attaches.
 * Two NFs talk over a reference point both carry; the listener is whichever has a port named for
 * the reference point's transport (the AMF's `ngap`, both ends' `gtpu`). The traffic needs a
 * pod-network allowance unless both NFs attach the reference point to a secondary network, where
 * Kubernetes NetworkPolicy does not apply. Service-based interfaces (port `sbi`) are allowed both
 * ways between kinds where one consumes the other (and between every SBI kind and the NRF),
 * since producers call back their consumers' notification URIs.
 */
export function deriveTraffic(nf: NetworkFunction, peers: readonly NetworkFunction[]): NfTraffic {
  const ingress: NfTraffic['ingress'] = [];
  const egress: NfTraffic['egress'] = [];
  const flows: NfFlow[] = [];
  const own = carriedReferencePoints(nf);
  const uniquePeers = [...new Set(peers)]
    .filter(p => p !== nf)
    .sort((a, b) => a.name.localeCompare(b.name) || a.namespace.localeCompare(b.namespace));

  for (const peer of uniquePeers) {
    const theirs = carriedReferencePoints(peer);
    const knownTypes = [...nf.kind.interfaces, ...nf._interfaceTypes, ...peer.kind.interfaces, ...peer._interfaceTypes];
    const inPorts: NfPort[] = [];
    const outPorts: NfPort[] = [];
    const addFlow = (referencePoint: string, portName: string, peerInterface: string | undefined, ownSecondary: boolean) => {
      const out = peer.ports.filter(p => p.name === portName);
      const into = nf.ports.filter(p => p.name === portName);
      outPorts.push(...out);
      inPorts.push(...into);
      if (out.length > 0 || into.length > 0) {
        flows.push({
          peer,
          referencePoint,
          ingress: toTrafficPorts(into),
          egress: toTrafficPorts(out),
          ownSecondary,
          ...(peerInterface ? { peerInterface } : {}),
        });
      }
    };
    for (const referencePoint of own) {
      if (!theirs.has(referencePoint)) continue;
      const peerInterface = secondaryInterfaceOf(peer, referencePoint);
      const ownSecondary = secondaryInterfaceOf(nf, referencePoint) !== undefined;
      if (ownSecondary && peerInterface !== undefined) continue;
      const portName = InterfaceType._transportOf(referencePoint, knownTypes)?.portName;
      if (!portName) continue;
      addFlow(referencePoint, portName, peerInterface, ownSecondary);
    }
    if (talksSbi(nf, peer)) addFlow('SBI', 'sbi', undefined, false);
    if (inPorts.length > 0) ingress.push({ peer, ports: toTrafficPorts(inPorts) });
    if (outPorts.length > 0) egress.push({ peer, ports: toTrafficPorts(outPorts) });
  }

  const knownTypes = [...nf.kind.interfaces, ...nf._interfaceTypes];
  const externalEgress = [...own].some(rp =>
    InterfaceType._transportOf(rp, knownTypes)?.external === true && secondaryInterfaceOf(nf, rp) === undefined);
  return { ingress, egress, externalEgress, flows };
}

/** The peer's pods selected by their labels, through their namespace when it is another one. */
export function podSelectorPeer(peer: NetworkFunction, namespace: string): PolicyPeer {
  return {
    ...(peer.namespace !== namespace ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } } } : {}),
    podSelector: { matchLabels: { ...peer.podSelectorLabels } },
  };
}

/**
 * The NetworkPolicy spec allowing exactly `traffic` for the pods of `nf`, in namespace `namespace`.
 * `peersOf` says who stands for the peer of each flow (by default its pods, by their labels);
 * flows with one peer and the same stand-ins share a rule. A flow without stand-ins gets no rule
 * (the caller reports why).
 */
export function renderAllowancePolicySpec(nf: NetworkFunction, traffic: NfTraffic, namespace: string, peersOf?: FlowPeers): Record<string, any> {
  const resolve: FlowPeers = peersOf ?? (flow => [podSelectorPeer(flow.peer, namespace)]);
  const rules = (direction: 'ingress' | 'egress') => {
    const byKey = new Map<string, { peers: PolicyPeer[]; ports: TrafficPort[] }>();
    for (const flow of traffic.flows) {
      if (flow[direction].length === 0) continue;
      const peers = resolve(flow);
      if (peers.length === 0) continue;
      const key = `${flow.peer.namespace}/${flow.peer.name}\n${JSON.stringify(peers)}`;
      const rule = byKey.get(key);
      if (rule) rule.ports = mergePorts(rule.ports, flow[direction]);
      else byKey.set(key, { peers, ports: flow[direction] });
    }
    return [...byKey.values()];
  };
  const ingress = rules('ingress').map(r => ({ from: r.peers, ports: r.ports }));
  const egress: Array<Record<string, any>> = rules('egress').map(r => ({ to: r.peers, ports: r.ports }));
  if (traffic.externalEgress) {
    egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }] });
  }
  return {
    podSelector: { matchLabels: { ...nf.podSelectorLabels } },
    policyTypes: ['Ingress', 'Egress'],
    ...(ingress.length > 0 ? { ingress } : {}),
    ...(egress.length > 0 ? { egress } : {}),
  };
}

function mergePorts(a: TrafficPort[], b: TrafficPort[]): TrafficPort[] {
  const unique = new Map<string, TrafficPort>();
  for (const p of [...a, ...b]) unique.set(`${p.protocol}/${p.port}`, p);
  return [...unique.values()].sort((x, y) => x.protocol.localeCompare(y.protocol) || x.port - y.port);
}

function carriedReferencePoints(nf: NetworkFunction): Set<string> {
  const types = [...nf.kind.interfaces, ...nf._interfaceTypes];
  return new Set(types.flatMap(t => t.referencePoints));
}

/** The name of the NF's interface carrying the reference point on a secondary network, if any. */
function secondaryInterfaceOf(nf: NetworkFunction, referencePoint: string): string | undefined {
  const types = nf._interfaceTypes;
  const index = types.findIndex(t => t.referencePoints.includes(referencePoint));
  return index < 0 ? undefined : nf.interfaces[index]?.name;
}

function talksSbi(a: NetworkFunction, b: NetworkFunction): boolean {
  if (!a.kind.sbi || !b.kind.sbi) return false;
  return consumes(a.kind, b.kind) || consumes(b.kind, a.kind);
}

function consumes(consumer: NfKind, producer: NfKind): boolean {
  if (producer.playsRole(NfKind.NRF)) return true;
  return consumer.sbiConsumes.some(k => k === producer || producer.playsRole(k));
}

function toTrafficPorts(ports: NfPort[]): TrafficPort[] {
  const unique = new Map<string, TrafficPort>();
  for (const p of ports) {
    const protocol = p.protocol ?? Protocol.TCP;
    unique.set(`${protocol}/${p.port}`, { protocol, port: p.port });
  }
  return [...unique.values()].sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port);
}
