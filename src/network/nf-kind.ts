import { Protocol } from 'cdk8s-plus-28';
import { CustomNfOperatorOptions, customOperatorFacts, KNOWN_OPERATORS, NfDeploymentModel, NfOperatorFacts } from './deployment-model';
import { InterfaceType, NfPort } from './interfaces';
import { checkPort, parseImageReference } from './validation';
import { checkDnsLabel, checkDnsSubdomain } from '../kpt/naming';

/** The part of the network an NF belongs to (its `app.kubernetes.io/component` label). */
export enum NfDomain {
  /** 5G core network functions. */
  CORE = '5g-core',
  /** Radio access network functions (CU-CP, CU-UP, DU). */
  RAN = 'ran',
  /** RAN intelligent controllers. */
  RIC = 'ric',
  /** Anything else. */
  OTHER = 'network-function',
}

/** Options of a network function kind outside the catalog. */
export interface CustomNfKindOptions {
  /** Kind name, a DNS-1123 label: the `app.kubernetes.io/name` label of its NFs, e.g. `vendor-upf`. */
  readonly name: string;
  /** The Nephio provider that implements its NFDeployment, a DNS-1123 subdomain, e.g. `upf.vendor.example.com`. */
  readonly provider: string;
  /**
   * The catalog kind whose 3GPP role this kind plays (a vendor UPF plays `NfKind.UPF`). It then
   * counts as that kind in slices and inherits its ports, interfaces, SBI peers and data-plane needs
   * unless they are given here.
   * @default - no role
   */
  readonly role?: NfKind;
  /**
   * The image NFs of this kind run unless they set one.
   * @default - none: every NF of the kind must set `image`
   */
  readonly image?: string;
  /** @default - the role's ports, or none */
  readonly ports?: NfPort[];
  /**
   * Interface types NFs of this kind usually have; slices derive pod-network traffic from them
   * for NFs that attach no interface. NFs of a custom kind may attach any interface type.
   * @default - the role's interfaces, or none
   */
  readonly interfaces?: InterfaceType[];
  /**
   * Linux capabilities its data plane needs (e.g. `NET_ADMIN`); such NFs run as root.
   * @default - the role's, or none
   */
  readonly capabilities?: string[];
  /**
   * Kinds whose service-based interface (SBI) this kind calls. Every SBI kind also talks to the NRF.
   * @default - the role's, or none
   */
  readonly sbiConsumes?: NfKind[];
  /**
   * Whether the kind serves a service-based interface on a port named `sbi`.
   * @default - the role's, or false
   */
  readonly sbi?: boolean;
  /** @default - the role's domain, or NfDomain.OTHER */
  readonly domain?: NfDomain;
  /**
   * The operator that reconciles the kind's NFDeployments on the clusters, when one runs there.
   * NFs of the kind then default to the operator model.
   * @default - none: NFs of the kind use the workload model
   */
  readonly operator?: CustomNfOperatorOptions;
}

interface NfKindSpec {
  readonly name: string;
  readonly displayName: string;
  readonly provider: string;
  readonly domain: NfDomain;
  readonly image?: string;
  readonly ports: NfPort[];
  readonly interfaces: InterfaceType[];
  readonly capabilities: string[];
  readonly sbi: boolean;
  readonly sbiConsumes: () => NfKind[];
}

// Images of the Nephio R5 catalog (nephio-project/catalog, tag v5.0.0): the free5gc control-plane NFs
// without an operator run towards5gs images (workloads/free5gc/free5gc-cp/<nf>/<nf>-deployment.yaml);
// AMF, SMF and UPF run the images the free5gc operator hard-codes (nephio-project/free5gc
// controllers/common.go). R5's OAI blueprints carry a temporary test image for CU-CP and DU
// (pkg-example-cucp-bp/config_ran_nf.yaml); the catalog replaced it with the OAI v2.3.0 images below.
const FREE5GC_CP_IMAGE = (name: string) => `docker.io/towards5gs/free5gc-${name}:v3.1.1`;
const FREE5GC_OPERATOR_IMAGE = (name: string) => `docker.io/nephio/free5gc-${name}:3.2.1`;
const OAI_RAN_VERSION = 'v2.3.0';
// Service-based interface port of the free5gc images' default configuration.
const SBI_PORT: NfPort = { name: 'sbi', port: 8000, protocol: Protocol.TCP };

function free5gc(name: string, extra: Partial<NfKindSpec> & { sbiConsumes?: () => NfKind[] }): NfKindSpec {
  return {
    name,
    displayName: name.toUpperCase(),
    provider: `${name}.free5gc.io`,
    domain: NfDomain.CORE,
    image: KNOWN_OPERATORS[`${name}.free5gc.io`] ? FREE5GC_OPERATOR_IMAGE(name) : FREE5GC_CP_IMAGE(name),
    ports: [SBI_PORT],
    interfaces: [],
    capabilities: [],
    sbi: true,
    sbiConsumes: () => [],
    ...extra,
  };
}

/**
 * The kind of a network function: which Nephio provider implements it, its default image and
 * ports, the interfaces it may have and what its data plane needs. The catalog holds the 5G core
 * (free5gc providers), the OAI RAN split (CU-CP, CU-UP, DU) and the O-RAN SC Near-RT RIC;
 * `NfKind.custom()` adds others.
 *
 * @example
 * const repo = new GitOpsRepository();
 * new NetworkFunction(repo, 'amf', { kind: NfKind.AMF, namespace: 'core' });
 * // A vendor UPF: its own provider and image, the UPF's ports, interfaces and role in slices.
 * const vendorUpf = NfKind.custom({ name: 'vendor-upf', provider: 'upf.vendor.example.com', role: NfKind.UPF,
 *   image: 'registry.example.com/vendor/upf:24.1' });
 * new NetworkFunction(repo, 'upf-edge01', { kind: vendorUpf });
 */
export class NfKind {
  public static readonly AMF: NfKind = new NfKind(free5gc('amf', {
    ports: [SBI_PORT, { name: 'ngap', port: 38412, protocol: Protocol.SCTP }],
    interfaces: [InterfaceType.N2],
    sbiConsumes: (): NfKind[] => [NfKind.NRF, NfKind.AUSF, NfKind.UDM, NfKind.SMF, NfKind.PCF, NfKind.NSSF],
  }));
  public static readonly SMF: NfKind = new NfKind(free5gc('smf', {
    ports: [SBI_PORT, { name: 'pfcp', port: 8805, protocol: Protocol.UDP }],
    interfaces: [InterfaceType.N4],
    sbiConsumes: (): NfKind[] => [NfKind.NRF, NfKind.AMF, NfKind.UDM, NfKind.PCF],
  }));
  public static readonly UPF: NfKind = new NfKind(free5gc('upf', {
    ports: [{ name: 'pfcp', port: 8805, protocol: Protocol.UDP }, { name: 'gtpu', port: 2152, protocol: Protocol.UDP }],
    interfaces: [InterfaceType.N3, InterfaceType.N4, InterfaceType.N6, InterfaceType.N9],
    capabilities: ['NET_ADMIN'], // creates the GTP tunnel device and routes
    sbi: false,
  }));
  public static readonly NRF: NfKind = new NfKind(free5gc('nrf', {}));
  public static readonly AUSF: NfKind = new NfKind(free5gc('ausf', { sbiConsumes: (): NfKind[] => [NfKind.NRF, NfKind.UDM] }));
  public static readonly UDM: NfKind = new NfKind(free5gc('udm', { sbiConsumes: (): NfKind[] => [NfKind.NRF, NfKind.UDR] }));
  public static readonly UDR: NfKind = new NfKind(free5gc('udr', { sbiConsumes: (): NfKind[] => [NfKind.NRF] }));
  public static readonly PCF: NfKind = new NfKind(free5gc('pcf', { sbiConsumes: (): NfKind[] => [NfKind.NRF, NfKind.UDR] }));
  public static readonly NSSF: NfKind = new NfKind(free5gc('nssf', { sbiConsumes: (): NfKind[] => [NfKind.NRF] }));
  public static readonly CU_CP: NfKind = new NfKind({
    name: 'cu-cp',
    displayName: 'CU-CP',
    provider: 'cucp.openairinterface.org',
    domain: NfDomain.RAN,
    image: `docker.io/oaisoftwarealliance/oai-gnb:${OAI_RAN_VERSION}`,
    ports: [{ name: 'f1ap', port: 38472, protocol: Protocol.SCTP }, { name: 'e1ap', port: 38462, protocol: Protocol.SCTP }],
    interfaces: [InterfaceType.N2, InterfaceType.F1C, InterfaceType.E1, InterfaceType.E2],
    capabilities: [],
    sbi: false,
    sbiConsumes: () => [],
  });
  public static readonly CU_UP: NfKind = new NfKind({
    name: 'cu-up',
    displayName: 'CU-UP',
    provider: 'cuup.openairinterface.org',
    domain: NfDomain.RAN,
    image: `docker.io/oaisoftwarealliance/oai-nr-cuup:${OAI_RAN_VERSION}`,
    ports: [{ name: 'gtpu', port: 2152, protocol: Protocol.UDP }],
    interfaces: [InterfaceType.N3, InterfaceType.F1U, InterfaceType.E1, InterfaceType.E2],
    capabilities: ['NET_ADMIN'],
    sbi: false,
    sbiConsumes: () => [],
  });
  public static readonly DU: NfKind = new NfKind({
    name: 'du',
    displayName: 'DU',
    provider: 'du.openairinterface.org',
    domain: NfDomain.RAN,
    image: `docker.io/oaisoftwarealliance/oai-gnb:${OAI_RAN_VERSION}`,
    ports: [{ name: 'gtpu', port: 2152, protocol: Protocol.UDP }],
    interfaces: [InterfaceType.F1, InterfaceType.F1C, InterfaceType.F1U, InterfaceType.E2],
    capabilities: ['NET_ADMIN', 'SYS_NICE'], // real-time scheduling of the L1/L2 threads
    sbi: false,
    sbiConsumes: () => [],
  });
  public static readonly NEAR_RT_RIC: NfKind = new NfKind({
    name: 'near-rt-ric',
    displayName: 'Near-RT RIC',
    provider: 'ric.oransc.org',
    domain: NfDomain.RIC,
    image: 'nexus3.o-ran-sc.org:10002/o-ran-sc/ric-plt-e2:6.0.4',
    // E2AP's SCTP port per O-RAN E2GAP; O-RAN SC's e2term listens on 36422 unless configured.
    ports: [{ name: 'e2ap', port: 36421, protocol: Protocol.SCTP }],
    interfaces: [InterfaceType.E2],
    capabilities: [],
    sbi: false,
    sbiConsumes: () => [],
  });

  /** Every kind in the catalog. */
  public static get catalog(): NfKind[] {
    return [NfKind.AMF, NfKind.SMF, NfKind.UPF, NfKind.NRF, NfKind.AUSF, NfKind.UDM, NfKind.UDR, NfKind.PCF, NfKind.NSSF,
      NfKind.CU_CP, NfKind.CU_UP, NfKind.DU, NfKind.NEAR_RT_RIC];
  }

  /**
   * A kind outside the catalog. Problems in the options are reported at synth by every
   * NetworkFunction of the kind.
   */
  public static custom(options: CustomNfKindOptions): NfKind {
    const role = options.role;
    const kind = new NfKind({
      name: options.name,
      displayName: options.name,
      provider: options.provider,
      domain: options.domain ?? role?.domain ?? NfDomain.OTHER,
      image: options.image ?? role?.defaultImage,
      ports: [...(options.ports ?? role?.defaultPorts ?? [])],
      interfaces: [...(options.interfaces ?? role?.interfaces ?? [])],
      capabilities: [...(options.capabilities ?? role?.capabilities ?? [])],
      sbi: options.sbi ?? role?.sbi ?? false,
      sbiConsumes: () => [...(options.sbiConsumes ?? role?.sbiConsumes ?? [])],
    }, true, role, options.operator ? customOperatorFacts(String(options.name), options.operator) : undefined);
    kind.optionProblems.push(...checkCustomKind(options));
    return kind;
  }

  /** Kind name, e.g. `amf` or `cu-cp`: the `app.kubernetes.io/name` label of its NFs. */
  public readonly name: string;
  /** Name as 3GPP and O-RAN write it, e.g. `AMF`, `CU-CP`. */
  public readonly displayName: string;
  /** Nephio provider of its NFDeployment, e.g. `amf.free5gc.io`. */
  public readonly provider: string;
  public readonly domain: NfDomain;
  /** The image its NFs run unless they set one; undefined for a custom kind without one. */
  public readonly defaultImage?: string;
  /** True for a kind made with `NfKind.custom()`. */
  public readonly isCustom: boolean;
  /** Whether it serves a service-based interface (on the port named `sbi`). */
  public readonly sbi: boolean;
  /**
   * The model its NFs use unless they set one: OPERATOR when an operator reconciles its NFDeployments
   * (R5: free5gc for AMF, SMF, UPF; OAI for CU-CP, CU-UP, DU), WORKLOAD otherwise.
   */
  public readonly deploymentModel: NfDeploymentModel;
  /** What its operator does, when one is known. @internal */
  public readonly _operator?: NfOperatorFacts;
  private readonly spec: NfKindSpec;
  private readonly roleKind?: NfKind;
  private readonly optionProblems: string[] = [];

  private constructor(spec: NfKindSpec, isCustom = false, role?: NfKind, customOperator?: NfOperatorFacts) {
    this.spec = spec;
    this._operator = isCustom ? customOperator : KNOWN_OPERATORS[spec.provider];
    this.deploymentModel = this._operator ? NfDeploymentModel.OPERATOR : NfDeploymentModel.WORKLOAD;
    this.name = spec.name;
    this.displayName = spec.displayName;
    this.provider = spec.provider;
    this.domain = spec.domain;
    this.defaultImage = spec.image;
    this.isCustom = isCustom;
    this.sbi = spec.sbi;
    this.roleKind = role;
  }

  /** The catalog kind whose role it plays: itself for catalog kinds, the given role (if any) for custom ones. */
  public get role(): NfKind | undefined {
    return this.isCustom ? this.roleKind?.role : this;
  }

  /** Ports its NFs listen on unless they set their own (a copy). */
  public get defaultPorts(): NfPort[] {
    return this.spec.ports.map(p => ({ ...p }));
  }

  /** Interface types its NFs may have (a copy). */
  public get interfaces(): InterfaceType[] {
    return [...this.spec.interfaces];
  }

  /** Linux capabilities its data plane needs; non-empty means its NFs run as root. */
  public get capabilities(): string[] {
    return [...this.spec.capabilities];
  }

  /** True when its NFs need capabilities for a data plane (they run as root, never privileged). */
  public get dataPlane(): boolean {
    return this.spec.capabilities.length > 0;
  }

  /** Kinds whose service-based interface its NFs call. */
  public get sbiConsumes(): NfKind[] {
    return this.spec.sbiConsumes();
  }

  /** True when NFs of this kind may have an interface of `type` (always true for custom kinds and types). */
  public mayHaveInterface(type: InterfaceType): boolean {
    return this.isCustom || type.isCustom || this.spec.interfaces.some(t => t.equals(type));
  }

  /** True when this kind plays the role of `other` (a custom kind with role UPF plays UPF). */
  public playsRole(other: NfKind): boolean {
    const role = this.role;
    return role !== undefined && role === other.role;
  }

  /** Problems in the options of a custom kind. @internal */
  public get _problems(): string[] {
    return [...this.optionProblems];
  }
}

function checkCustomKind(options: CustomNfKindOptions): string[] {
  const problems: string[] = [];
  const nameError = checkDnsLabel(options.name);
  if (nameError) problems.push(`custom kind name ${nameError}`);
  const providerError = checkDnsSubdomain(options.provider);
  if (providerError) problems.push(`custom kind provider ${providerError} (e.g. "upf.vendor.example.com")`);
  if (options.image !== undefined) {
    const image = parseImageReference(options.image);
    if ('error' in image) problems.push(`custom kind image ${image.error}`);
  }
  for (const port of options.ports ?? []) problems.push(...checkPort(port).map(m => `custom kind port: ${m}`));
  if (options.operator !== undefined) {
    const labels = options.operator?.podLabels;
    if (labels === null || typeof labels !== 'object' || Object.keys(labels).length === 0) {
      problems.push('custom kind operator.podLabels must name the labels the operator puts on its pods (slice network policies select them), e.g. { app: "vendor-upf" }');
    }
  }
  for (const cap of options.capabilities ?? []) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(cap) || cap.startsWith('CAP_')) {
      problems.push(`custom kind capability ${JSON.stringify(cap)} is not a capability name such as "NET_ADMIN" (without "CAP_")`);
    }
    if (cap === 'SYS_ADMIN' || cap === 'ALL') problems.push(`custom kind capability "${cap}" amounts to a privileged container; name the capabilities the data plane needs`);
  }
  return problems;
}
