import { Protocol } from 'cdk8s-plus-28';
import { InterfaceType, NfPort } from './interfaces';
import type { NetworkFunction } from './network-function';
import { NfKind } from './nf-kind';
import { INSTANCE_LABEL } from './nf-workload';

/** A port one NF opens to another. */
export interface TrafficPort {
  readonly protocol: string;
  readonly port: number;
}

/** The pod-network traffic one NF needs with its peers. */
export interface NfTraffic {
  /** Ports of the NF each peer may reach, by peer. */
  readonly ingress: Array<{ peer: NetworkFunction; ports: TrafficPort[] }>;
  /** Ports of each peer the NF may reach, by peer. */
  readonly egress: Array<{ peer: NetworkFunction; ports: TrafficPort[] }>;
  /** True when the NF carries a reference point that leaves the cluster (N6) over the pod network. */
  readonly externalEgress: boolean;
}

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
  const own = carriedReferencePoints(nf);
  const uniquePeers = [...new Set(peers)].filter(p => p !== nf).sort((a, b) => a.name.localeCompare(b.name) || a.namespace.localeCompare(b.namespace));

  for (const peer of uniquePeers) {
    const theirs = carriedReferencePoints(peer);
    const knownTypes = [...nf.kind.interfaces, ...nf._interfaceTypes, ...peer.kind.interfaces, ...peer._interfaceTypes];
    const inPorts: NfPort[] = [];
    const outPorts: NfPort[] = [];
    for (const referencePoint of own) {
      if (!theirs.has(referencePoint)) continue;
      if (attachesToSecondaryNetwork(nf, referencePoint) && attachesToSecondaryNetwork(peer, referencePoint)) continue;
      const portName = InterfaceType._transportOf(referencePoint, knownTypes)?.portName;
      if (!portName) continue;
      outPorts.push(...peer.ports.filter(p => p.name === portName));
      inPorts.push(...nf.ports.filter(p => p.name === portName));
    }
    if (talksSbi(nf, peer)) {
      outPorts.push(...peer.ports.filter(p => p.name === 'sbi'));
      inPorts.push(...nf.ports.filter(p => p.name === 'sbi'));
    }
    if (inPorts.length > 0) ingress.push({ peer, ports: toTrafficPorts(inPorts) });
    if (outPorts.length > 0) egress.push({ peer, ports: toTrafficPorts(outPorts) });
  }

  const knownTypes = [...nf.kind.interfaces, ...nf._interfaceTypes];
  const externalEgress = [...own].some(rp => InterfaceType._transportOf(rp, knownTypes)?.external === true && !attachesToSecondaryNetwork(nf, rp));
  return { ingress, egress, externalEgress };
}

/** The NetworkPolicy spec allowing exactly `traffic` for the pods of `nf`, in namespace `namespace`. */
export function renderAllowancePolicySpec(nf: NetworkFunction, traffic: NfTraffic, namespace: string): Record<string, any> {
  const peerSelector = (peer: NetworkFunction) => ({
    ...(peer.namespace !== namespace ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } } } : {}),
    podSelector: { matchLabels: { [INSTANCE_LABEL]: peer.name } },
  });
  const egress: Array<Record<string, any>> = traffic.egress.map(e => ({ to: [peerSelector(e.peer)], ports: e.ports }));
  if (traffic.externalEgress) {
    egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }] });
  }
  return {
    podSelector: { matchLabels: { [INSTANCE_LABEL]: nf.name } },
    policyTypes: ['Ingress', 'Egress'],
    ...(traffic.ingress.length > 0 ? { ingress: traffic.ingress.map(i => ({ from: [peerSelector(i.peer)], ports: i.ports })) } : {}),
    ...(egress.length > 0 ? { egress } : {}),
  };
}

function carriedReferencePoints(nf: NetworkFunction): Set<string> {
  const types = [...nf.kind.interfaces, ...nf._interfaceTypes];
  return new Set(types.flatMap(t => t.referencePoints));
}

function attachesToSecondaryNetwork(nf: NetworkFunction, referencePoint: string): boolean {
  return nf._interfaceTypes.some(t => t.referencePoints.includes(referencePoint));
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
