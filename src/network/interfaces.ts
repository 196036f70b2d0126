import { Protocol } from 'cdk8s-plus-28';

/** How a reference point's traffic is carried, so that slices can allow exactly it. */
export interface ReferencePointTransportOptions {
  /**
   * Name of the port the listening side exposes for this reference point (e.g. `gtpu`). An NF
   * listens on the reference point when it has a port with this name.
   * @default - no port: no pod-to-pod traffic is derived for the reference point
   */
  readonly portName?: string;
  /**
   * True when the reference point leads out of the cluster (as N6 leads to the data network),
   * so an NF carrying it over the pod network needs egress to any address.
   * @default false
   */
  readonly external?: boolean;
}

/** Options of a custom interface type. */
export interface CustomInterfaceTypeOptions extends ReferencePointTransportOptions {
  /**
   * The human name shown in messages, e.g. `Xn-U`.
   * @default - the name in upper case
   */
  readonly displayName?: string;
}

/** The transport of each standard reference point: the port name its listener exposes. */
const STANDARD_REFERENCE_POINTS: Record<string, ReferencePointTransportOptions> = {
  'N2': { portName: 'ngap' }, // NGAP over SCTP, the AMF listens
  'N3': { portName: 'gtpu' }, // GTP-U over UDP, both ends listen
  'N4': { portName: 'pfcp' }, // PFCP over UDP, both ends listen
  'N6': { external: true }, // to the data network, outside the cluster
  'N9': { portName: 'gtpu' }, // GTP-U between UPFs
  'F1-C': { portName: 'f1ap' }, // F1AP over SCTP, the CU-CP listens
  'F1-U': { portName: 'gtpu' }, // GTP-U between DU and CU-UP
  'E1': { portName: 'e1ap' }, // E1AP over SCTP, the CU-CP listens
  'E2': { portName: 'e2ap' }, // E2AP over SCTP, the Near-RT RIC listens
};

/**
 * A 3GPP / O-RAN interface type an NF can attach to a network instance. Its `name` is the
 * interface name written into the NFDeployment and the network attachment (e.g. `n3`).
 *
 * @example
 * const repo = new GitOpsRepository();
 * const upf = new NetworkFunction(repo, 'upf', { kind: NfKind.UPF });
 * upf.addInterface({ type: InterfaceType.N3, networkInstance: 'vpc-ran', ipv4Address: '10.0.3.7/24', ipv4Gateway: '10.0.3.1' });
 * const du = new NetworkFunction(repo, 'du', { kind: NfKind.DU });
 * du.addInterface({ type: InterfaceType.F1, networkInstance: 'vpc-midhaul' });
 * du.addInterface({ type: InterfaceType.custom('fh', { displayName: 'Open Fronthaul' }), networkInstance: 'vpc-fronthaul' });
 */
export class InterfaceType {
  /** N2: NG-RAN (CU-CP, gNB) to AMF, NGAP over SCTP. */
  public static readonly N2 = new InterfaceType('n2', 'N2', ['N2'], false);
  /** N3: NG-RAN (CU-UP, gNB) to UPF, GTP-U over UDP. */
  public static readonly N3 = new InterfaceType('n3', 'N3', ['N3'], false);
  /** NG-U: the RAN's name for N3 (the same interface type). */
  public static readonly NG_U = InterfaceType.N3;
  /** N4: SMF to UPF, PFCP over UDP. */
  public static readonly N4 = new InterfaceType('n4', 'N4', ['N4'], false);
  /** N6: UPF to the data network. */
  public static readonly N6 = new InterfaceType('n6', 'N6', ['N6'], false);
  /** N9: UPF to UPF, GTP-U over UDP. */
  public static readonly N9 = new InterfaceType('n9', 'N9', ['N9'], false);
  /** F1: the DU's side of both F1-C and F1-U. */
  public static readonly F1 = new InterfaceType('f1', 'F1', ['F1-C', 'F1-U'], false);
  /** F1-C: DU to CU-CP, F1AP over SCTP. */
  public static readonly F1C = new InterfaceType('f1c', 'F1-C', ['F1-C'], false);
  /** F1-U: DU to CU-UP, GTP-U over UDP. */
  public static readonly F1U = new InterfaceType('f1u', 'F1-U', ['F1-U'], false);
  /** E1: CU-UP to CU-CP, E1AP over SCTP. */
  public static readonly E1 = new InterfaceType('e1', 'E1', ['E1'], false);
  /** E2: E2 nodes (CU-CP, CU-UP, DU) to the Near-RT RIC, E2AP over SCTP. */
  public static readonly E2 = new InterfaceType('e2', 'E2', ['E2'], false);

  /**
   * An interface type outside the catalog. NFs of any kind may have it; NFs that both have it
   * share a reference point named after it.
   */
  public static custom(name: string, options: CustomInterfaceTypeOptions = {}): InterfaceType {
    return new InterfaceType(name, options.displayName ?? String(name).toUpperCase(), [`custom:${name}`], true,
      { portName: options.portName, external: options.external });
  }

  /** The transport of a reference point, or undefined when none is known. @internal */
  public static _transportOf(referencePoint: string, types: readonly InterfaceType[]): ReferencePointTransportOptions | undefined {
    const standard = STANDARD_REFERENCE_POINTS[referencePoint];
    if (standard) return standard;
    return types.find(t => t.referencePoints.includes(referencePoint))?.customTransport;
  }

  private constructor(
    /** Interface name in the NFDeployment and in the pod (`n3`, `f1c`). */
    public readonly name: string,
    /** Name as 3GPP and O-RAN write it (`N3`, `F1-C`). */
    public readonly displayName: string,
    /** The reference points this interface carries (`F1` carries `F1-C` and `F1-U`). */
    public readonly referencePoints: string[],
    /** True for a type made with `InterfaceType.custom()`. */
    public readonly isCustom: boolean,
    private readonly customTransport?: ReferencePointTransportOptions,
  ) {}

  /** True when `other` is the same interface type. */
  public equals(other: InterfaceType): boolean {
    return other.name === this.name && other.isCustom === this.isCustom;
  }
}

/** A data network (DNN) reached over an N6 interface, with its UE address pools. */
export interface DataNetwork {
  /** The data network name, e.g. `internet`. */
  readonly name: string;
  /**
   * UE address pools in prefix notation, e.g. `['10.60.0.0/16']`.
   * @default - none
   */
  readonly pools?: string[];
}

/** One interface of a network function, attached to a named network instance. */
export interface NetworkInterfaceOptions {
  /** The interface type; it must be one the NF's kind may have, unless either is custom. */
  readonly type: InterfaceType;
  /** The network instance (VRF / Nephio network) the interface attaches to, e.g. `vpc-ran`. */
  readonly networkInstance: string;
  /**
   * Interface name in the NFDeployment and inside the pod (at most 15 characters).
   * @default - the type's name, e.g. `n3`
   */
  readonly name?: string;
  /**
   * Static IPv4 address with prefix length, e.g. `10.0.3.7/24`.
   * @default - none: the address is assigned by the network (IPAM)
   */
  readonly ipv4Address?: string;
  /**
   * IPv4 gateway of the interface.
   * @default - none
   */
  readonly ipv4Gateway?: string;
  /**
   * VLAN id (1-4094).
   * @default - untagged
   */
  readonly vlanId?: number;
  /**
   * Data networks reached through this interface (N6 only).
   * @default - none
   */
  readonly dataNetworks?: DataNetwork[];
}

/** A port a network function listens on. */
export interface NfPort {
  /** Port name (IANA service name: at most 15 lowercase letters, digits, "-"). Reference points find their listener by it, e.g. `gtpu`. */
  readonly name: string;
  /** Port number, 1-65535. */
  readonly port: number;
  /** Transport protocol (`Protocol` from cdk8s-plus-28). @default Protocol.TCP */
  readonly protocol?: Protocol;
}
