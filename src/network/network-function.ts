import { Construct } from 'constructs';
import { AddressRequest, IPackageBlueprint, ResourceRequirements, VariantOptions, WorkloadFootprint, WorkloadOverrides } from '../kpt/blueprint';
import { KptFunction } from '../kpt/kpt-function';
import { KptPackage } from '../kpt/kpt-package';
import { checkDnsLabel, toDnsFragment } from '../kpt/naming';
import { SynthContext } from '../repo/synth-context';
import { IRepoValidator, markRepoValidator } from '../repo/synthesizer';
import { checkCapacity, NfCapacity } from './capacity';
import { InterfaceType, NetworkInterfaceOptions, NfPort } from './interfaces';
import { NfKind } from './nf-kind';
import { INSTANCE_LABEL, NfWorkload, NfWorkloadSource, ResolvedInterface, SLICE_CONFIGURATION_KEYS } from './nf-workload';
import { SliceMembership } from './slice-membership';
import {
  checkConfigMapKey,
  checkPort,
  checkQuantity,
  fallbackLabel,
  isIntegerIn,
  isIpv4Address,
  isIpv4Cidr,
  isIpv6Cidr,
  parseImageReference,
  parseQuantity,
  PropProblems,
} from './validation';

/** Props of a NetworkFunction. */
export interface NetworkFunctionProps {
  /** What it is: a catalog kind such as `NfKind.AMF`, or `NfKind.custom(...)`. */
  readonly kind: NfKind;
  /**
   * Name of the NF: its package folder `packages/network-functions/<name>/` and the name of its
   * Deployment, Service, ServiceAccount and NFDeployment (a DNS-1123 label).
   * @default - the construct id, lower-cased into a DNS-1123 label
   */
  readonly name?: string;
  /**
   * Namespace of its resources (set by the package's set-namespace step). Give it a slice's
   * namespace to put the NF under that slice's NetworkPolicies.
   * @default - the NF's name
   */
  readonly namespace?: string;
  /**
   * Container image, pinned by tag or digest.
   * @default - the kind's default image
   */
  readonly image?: string;
  /** @default 1 */
  readonly replicas?: number;
  /**
   * Container requests and limits, as Kubernetes quantities.
   * @default - none (nothing is invented: set them for production)
   */
  readonly resources?: ResourceRequirements;
  /**
   * Ports it listens on; giving them replaces the kind's. Add more with `addPort()`.
   * @default - the kind's default ports
   */
  readonly ports?: NfPort[];
  /**
   * Configuration key/values, written into its ConfigMap (mounted at `configurationMountPath`).
   * The keys `snssai` and `slice-profiles` are written by the slices it serves.
   * @default - none
   */
  readonly configuration?: Record<string, string>;
  /**
   * Interfaces, each attached to a network instance (a Multus secondary network).
   * @default - none: all traffic uses the pod network
   */
  readonly interfaces?: NetworkInterfaceOptions[];
  /**
   * Dimensioning written into the NFDeployment.
   * @default - none
   */
  readonly capacity?: NfCapacity;
  /**
   * Run on the host network. Only kinds with a data plane (UPF, CU-UP, DU) may; prefer attaching
   * interfaces with `addInterface()`. NetworkPolicies do not reliably apply to such pods.
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * Why the NF needs the host network, written as the `nephoran.io/host-network-reason`
   * annotation that the host-network policy rule asks for (only with `hostNetwork`).
   * @default - "<KIND> data plane (<the interfaces the kind may have>) on the node's network"
   */
  readonly hostNetworkReason?: string;
  /**
   * UID (and GID) the container runs as; 0 runs it as root.
   * @default - 65532 (non-root), or the image's user for kinds whose data plane needs capabilities
   */
  readonly runAsUser?: number;
  /**
   * Mount the root filesystem read-only (a writable `/tmp` is mounted).
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Where the configuration is mounted in the container.
   * @default '/etc/nf'
   */
  readonly configurationMountPath?: string;
}

/** Folder of the NF blueprints in the repository. */
export const NETWORK_FUNCTIONS_FOLDER = 'packages/network-functions';
const IS_NETWORK_FUNCTION = Symbol.for('nephoran-gitops.NetworkFunction');

/**
 * A 5G core or O-RAN network function. It owns a kpt package at
 * `packages/network-functions/<name>/` holding its workload (Deployment, Service, ConfigMap and
 * ServiceAccount from cdk8s-plus-28) and its Nephio NFDeployment, hydrated by the package's
 * set-namespace and set-labels steps. As an `IPackageBlueprint` it renders a variant per cluster.
 *
 * The workload is rendered here, ready for ConfigSync; the NFDeployment records the NF's provider,
 * capacity, interfaces and network instances for Nephio. Do not also run that provider's operator
 * on the cluster: it would create a second workload of the same name from the NFDeployment.
 * Interfaces attach through Multus to NetworkAttachmentDefinitions named `<nf>-<interface>`, as
 * Nephio's nad-fn names them; the package does not declare them.
 *
 * @example
 * const repo = new GitOpsRepository();
 * const upf = new NetworkFunction(repo, 'upf-edge01', {
 *   kind: NfKind.UPF,
 *   image: 'docker.io/free5gc/upf:v3.4.3',
 *   resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
 *   capacity: { maxUplinkThroughput: '1G', maxDownlinkThroughput: '5G' },
 * });
 * upf.addInterface({ type: InterfaceType.N3, networkInstance: 'vpc-ran', ipv4Address: '10.0.3.7/24', ipv4Gateway: '10.0.3.1' });
 * upf.addInterface({ type: InterfaceType.N6, networkInstance: 'vpc-internet', dataNetworks: [{ name: 'internet', pools: ['10.60.0.0/16'] }] });
 * upf.addConfiguration('logLevel', 'info');
 */
export class NetworkFunction extends Construct implements IPackageBlueprint, IRepoValidator {
  /** True when `x` is a NetworkFunction (works across copies of the library). */
  public static isNetworkFunction(x: unknown): x is NetworkFunction {
    return x !== null && typeof x === 'object' && IS_NETWORK_FUNCTION in (x as object);
  }

  public readonly kind: NfKind;
  /** The NF's name (package folder and object names); an invalid name is reported and replaced by a valid look-alike. */
  public readonly name: string;
  /** The namespace its resources live in. */
  public readonly namespace: string;
  /** The image its blueprint runs. */
  public readonly image: string;
  /** Replicas of its blueprint. */
  public readonly replicas: number;
  public readonly resources?: ResourceRequirements;
  public readonly capacity?: NfCapacity;
  public readonly hostNetwork: boolean;
  public readonly blueprint: KptPackage;

  private readonly problems = new PropProblems();
  private readonly portList: NfPort[] = [];
  private readonly interfaceList: ResolvedInterface[] = [];
  private readonly interfaceTypes: InterfaceType[] = [];
  private readonly config = new Map<string, string>();
  private readonly workloads: NfWorkload[] = [];
  /** The package whose resources each distinct workload setting rendered into. */
  private readonly renderedBySettings = new Map<string, KptPackage>();
  private readonly memberships: SliceMembership[] = [];
  private readonly source: NfWorkloadSource;

  constructor(scope: Construct, id: string, props: NetworkFunctionProps) {
    super(scope, id);
    Object.defineProperty(this, IS_NETWORK_FUNCTION, { value: true });
    markRepoValidator(this);

    const kind = props.kind;
    if (!(kind instanceof NfKind)) {
      this.problems.add('props.kind', 'must be an NfKind: a catalog kind such as NfKind.AMF, or NfKind.custom({...})');
    }
    this.kind = kind instanceof NfKind ? kind : NfKind.custom({ name: 'invalid', provider: 'invalid.invalid' });
    for (const message of this.kind._problems) this.problems.add('props.kind', message);

    const name = props.name ?? toDnsFragment(id);
    const nameError = checkDnsLabel(name);
    if (nameError) this.problems.add('props.name', `${nameError}${props.name === undefined ? ` (derived from the construct id "${id}"; set props.name)` : ''}`);
    this.name = nameError ? fallbackLabel(name) : name;
    const namespace = props.namespace ?? this.name;
    const namespaceError = checkDnsLabel(namespace);
    if (namespaceError) this.problems.add('props.namespace', namespaceError);
    this.namespace = namespaceError ? fallbackLabel(namespace) : namespace;

    this.image = props.image ?? this.kind.defaultImage ?? '';
    if (props.image === undefined && this.kind.defaultImage === undefined) {
      this.problems.add('props.image', `kind "${this.kind.name}" has no default image; set image, e.g. "registry.example.com/${this.kind.name}:1.0.0"`);
    } else {
      this.checkImage(this.image, 'props.image');
    }

    this.replicas = props.replicas ?? 1;
    this.checkReplicas(this.replicas, 'props.replicas');
    this.resources = props.resources;
    this.checkResources(props.resources, 'props.resources');
    this.capacity = props.capacity;
    for (const [field, message] of checkCapacity(props.capacity ?? {})) this.problems.add(`props.${field}`, message);

    this.hostNetwork = props.hostNetwork ?? false;
    if (this.hostNetwork && !this.kind.dataPlane) {
      this.problems.add('props.hostNetwork', `only kinds whose data plane needs it (UPF, CU-UP, DU) may use the host network, not ${this.kind.displayName}; attach a network instance with addInterface() instead`);
    }
    if (props.hostNetworkReason !== undefined && (!this.hostNetwork || typeof props.hostNetworkReason !== 'string' || props.hostNetworkReason.trim() === '')) {
      this.problems.add('props.hostNetworkReason', this.hostNetwork
        ? 'must say which interface needs the host network and why, e.g. "N3 on the node\'s SR-IOV port"'
        : 'is only for an NF with hostNetwork: true');
    }
    if (props.runAsUser !== undefined && !isIntegerIn(props.runAsUser, 0, 2 ** 31 - 1)) {
      this.problems.add('props.runAsUser', `${JSON.stringify(props.runAsUser)} must be a UID from 0 (root) to 2147483647`);
    }
    const mountPath = props.configurationMountPath ?? '/etc/nf';
    if (typeof mountPath !== 'string' || !mountPath.startsWith('/') || mountPath.split('/').includes('..') || mountPath === '/' || mountPath === '/tmp') {
      this.problems.add('props.configurationMountPath', `${JSON.stringify(mountPath)} must be an absolute container path other than "/" and "/tmp", without ".."`);
    }

    const self = this;
    this.source = {
      name: this.name,
      namespace: this.namespace,
      kind: this.kind,
      configMapName: `${this.name}-config`,
      hostNetwork: this.hostNetwork,
      hostNetworkReason: props.hostNetworkReason
        ?? `${this.kind.displayName} data plane (${this.kind.interfaces.map(t => t.displayName).join(', ') || 'custom interfaces'}) on the node's network`,
      runAsUser: props.runAsUser,
      readOnlyRootFilesystem: props.readOnlyRootFilesystem ?? true,
      configurationMountPath: mountPath,
      capacity: props.capacity && withoutInvalidThroughput(props.capacity),
      portList: () => self.portList.map(p => ({ ...p })),
      interfaceList: () => [...self.interfaceList],
      configurationValue: key => self.config.get(key),
      sliceConfiguration: () => self.renderSliceConfiguration(),
    };

    this.blueprint = new KptPackage(this, 'Blueprint', {
      path: `${NETWORK_FUNCTIONS_FOLDER}/${this.name}`,
      info: { description: `${this.kind.displayName} network function (${this.kind.provider})` },
      mutators: this.pipeline(),
    });
    const blueprintSettings: NfWorkloadSettings = {
      image: this.image,
      replicas: this.replicas,
      resources: withoutInvalidQuantities(this.resources),
      configuration: {},
    };
    this.workloads.push(new NfWorkload(this.blueprint, this.source, blueprintSettings));
    this.renderedBySettings.set(settingsKey(blueprintSettings), this.blueprint);

    for (const port of props.ports ?? this.kind.defaultPorts) this.addPort(port);
    for (const [key, value] of Object.entries(props.configuration ?? {})) this.addConfiguration(key, value);
    for (const iface of props.interfaces ?? []) this.addInterface(iface);
  }

  /** Labels on every resource of the NF; `app.kubernetes.io/instance` selects its pods. */
  public get labels(): Record<string, string> {
    return {
      'app.kubernetes.io/name': this.kind.name,
      [INSTANCE_LABEL]: this.name,
      'app.kubernetes.io/component': this.kind.domain,
    };
  }

  /** Namespaces a cluster running the NF must have. */
  public get namespaces(): string[] {
    return [this.namespace];
  }

  /** Ports it listens on (a copy). */
  public get ports(): NfPort[] {
    return this.portList.map(p => ({ ...p }));
  }

  /** Its interfaces, names resolved (a copy). */
  public get interfaces(): NetworkInterfaceOptions[] {
    return this.interfaceList.map((iface, i) => ({
      type: this.interfaceTypes[i],
      name: iface.name,
      networkInstance: iface.networkInstance,
      ipv4Address: iface.ipv4Address,
      ipv4Gateway: iface.ipv4Gateway,
      vlanId: iface.vlanId,
      dataNetworks: iface.dataNetworks.map(dn => ({ ...dn })),
    }));
  }

  /** Its own configuration (a copy), without what slices write. */
  public get configuration(): Record<string, string> {
    return Object.fromEntries(this.config);
  }

  /** The slices it serves, as profiles (S-NSSAI and QoS), ordered by S-NSSAI. */
  public get sliceProfiles(): Array<Record<string, any>> {
    return this.sortedMemberships().map(m => m.profile());
  }

  /** Adds a port to the container and the Service. Reference points find their listener by port name. */
  public addPort(port: NfPort): void {
    const problems = checkPort(port);
    const clash = this.portList.find(p => p.name === port?.name || (p.port === port?.port && (p.protocol ?? 'TCP') === (port?.protocol ?? 'TCP')));
    if (clash) problems.push(`port "${port.name}" (${port.port}/${port.protocol ?? 'TCP'}) clashes with port "${clash.name}" (${clash.port}/${clash.protocol ?? 'TCP'}); names and number/protocol pairs must be unique`);
    if (problems.length > 0) {
      this.problems.addAll('ports', problems);
      return;
    }
    const copy = { ...port };
    this.portList.push(copy);
    for (const workload of this.workloads) workload.addPort(copy);
  }

  /** Attaches an interface to a network instance (Multus), and records it in the NFDeployment. */
  public addInterface(options: NetworkInterfaceOptions): void {
    const type = options?.type;
    if (!(type instanceof InterfaceType)) {
      this.problems.add('interfaces', 'type must be an InterfaceType, e.g. InterfaceType.N3');
      return;
    }
    const name = options.name ?? type.name;
    const field = `interfaces.${name}`;
    const problems: string[] = [];
    if (!this.kind.mayHaveInterface(type)) {
      problems.push(`${this.kind.displayName} has no ${type.displayName} interface; it may have ${this.kind.interfaces.map(t => t.displayName).join(', ') || 'none'} (or use a custom kind or InterfaceType.custom())`);
    }
    if (typeof name !== 'string' || name.length > 15 || checkDnsLabel(name)) {
      problems.push(`interface name ${JSON.stringify(name)} must be a DNS-1123 label of at most 15 characters (a Linux interface name)`);
    }
    if (this.interfaceList.some(i => i.name === name)) {
      problems.push(`interface "${name}" is attached twice; give the second one another name`);
    }
    const instanceError = checkDnsLabel(options.networkInstance);
    if (instanceError) problems.push(`networkInstance ${instanceError}`);
    if (options.ipv4Address !== undefined && !isIpv4Cidr(options.ipv4Address)) {
      problems.push(`ipv4Address ${JSON.stringify(options.ipv4Address)} must be an IPv4 address with prefix length, e.g. "10.0.3.7/24"`);
    }
    if (options.ipv4Gateway !== undefined && !isIpv4Address(options.ipv4Gateway)) {
      problems.push(`ipv4Gateway ${JSON.stringify(options.ipv4Gateway)} must be an IPv4 address, e.g. "10.0.3.1"`);
    }
    if (options.ipv4Gateway !== undefined && options.ipv4Address === undefined) {
      problems.push('ipv4Gateway needs ipv4Address: the gateway of an address assigned by the network comes from the network');
    }
    if (options.vlanId !== undefined && !isIntegerIn(options.vlanId, 1, 4094)) {
      problems.push(`vlanId ${JSON.stringify(options.vlanId)} must be a whole number from 1 to 4094`);
    }
    const dataNetworks = options.dataNetworks ?? [];
    if (dataNetworks.length > 0 && !type.equals(InterfaceType.N6) && !type.isCustom) {
      problems.push(`dataNetworks belong on an N6 interface, not ${type.displayName}`);
    }
    for (const dn of dataNetworks) {
      if (typeof dn?.name !== 'string' || dn.name.length > 100 || !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(dn.name)) {
        problems.push(`data network name ${JSON.stringify(dn?.name)} must be a DNN: labels of letters, digits and "-" joined by ".", at most 100 characters`);
      }
      for (const pool of dn?.pools ?? []) {
        if (!isIpv4Cidr(pool) && !isIpv6Cidr(pool)) problems.push(`pool ${JSON.stringify(pool)} of data network "${dn.name}" must be a prefix such as "10.60.0.0/16" or "2001:db8:60::/48"`);
      }
    }
    if (problems.length > 0) {
      this.problems.addAll(field, problems);
      return;
    }
    const resolved: ResolvedInterface = {
      name,
      typeName: type.name,
      networkInstance: options.networkInstance,
      ipv4Address: options.ipv4Address,
      ipv4Gateway: options.ipv4Gateway,
      vlanId: options.vlanId,
      dataNetworks: dataNetworks.map(dn => ({ name: dn.name, ...(dn.pools ? { pools: [...dn.pools] } : {}) })),
    };
    this.interfaceList.push(resolved);
    this.interfaceTypes.push(type);
    for (const workload of this.workloads) workload.addInterface(resolved);
  }

  /** Sets a configuration value (ConfigMap key). Setting one key twice is an error. */
  public addConfiguration(key: string, value: string): void {
    const field = `configuration.${key}`;
    const keyError = checkConfigMapKey(key);
    if (keyError) return this.problems.add(field, keyError);
    if (SLICE_CONFIGURATION_KEYS.includes(key)) {
      return this.problems.add(field, `"${key}" is written by the slices the NF serves (${SLICE_CONFIGURATION_KEYS.join(', ')} are reserved); choose another key`);
    }
    if (typeof value !== 'string') return this.problems.add(field, `value ${JSON.stringify(value)} must be a string`);
    if (this.config.has(key)) return this.problems.add(field, `"${key}" is already set to ${JSON.stringify(this.config.get(key))}; set each key once`);
    this.config.set(key, value);
    for (const workload of this.workloads) workload.addConfigurationKey(key);
  }

  /**
   * Renders the NF for one cluster: a package at `options.path` whose Kptfile upstream points at
   * the blueprint, holding the same resources with the overrides (replicas, resources, image,
   * configuration) applied and hydrated by the blueprint's pipeline plus `options.mutators`.
   */
  public renderVariant(scope: Construct, id: string, options: VariantOptions): KptPackage {
    const pkg = new KptPackage(scope, id, {
      path: options.path,
      info: { description: `${this.kind.displayName} network function (${this.kind.provider}) for cluster ${options.target.name}` },
      upstream: { repo: options.upstreamRepo, directory: this.blueprint.packagePath, ref: options.upstreamRef },
      mutators: [...this.pipeline(), ...options.mutators],
    });
    const overrides: WorkloadOverrides = options.overrides ?? {};
    const where = pkg.node.path;
    if (overrides.image !== undefined) this.checkImage(overrides.image, 'overrides.image', where);
    if (overrides.replicas !== undefined) this.checkReplicas(overrides.replicas, 'overrides.replicas', where);
    if (overrides.resources !== undefined) this.checkResources(overrides.resources, 'overrides.resources', where);
    const configuration: Record<string, string> = {};
    for (const [key, value] of Object.entries(overrides.configuration ?? {})) {
      const keyError = checkConfigMapKey(key);
      if (keyError) this.problems.add(`overrides.configuration.${key}`, keyError, where);
      else if (SLICE_CONFIGURATION_KEYS.includes(key)) this.problems.add(`overrides.configuration.${key}`, `"${key}" is written by the slices the NF serves; choose another key`, where);
      else if (typeof value !== 'string') this.problems.add(`overrides.configuration.${key}`, `value ${JSON.stringify(value)} must be a string`, where);
      else configuration[key] = value;
    }
    const settings: NfWorkloadSettings = {
      image: overrides.image ?? this.image,
      replicas: overrides.replicas ?? this.replicas,
      resources: withoutInvalidQuantities(mergeResources(this.resources, overrides.resources)),
      configuration,
    };
    // Variants with the same settings have the same resources before their pipelines: render
    // them once (the blueprint's, when nothing is overridden) and reuse them.
    const key = settingsKey(settings);
    const source = this.renderedBySettings.get(key);
    if (source && isStillDeclared(source)) {
      pkg._reuseObjectsOf(source);
      return pkg;
    }
    const workload = new NfWorkload(pkg, this.source, settings);
    for (const key of this.config.keys()) workload.addConfigurationKey(key);
    this.workloads.push(workload);
    this.renderedBySettings.set(key, pkg);
    return pkg;
  }

  /** The labels that select the NF's pods (network policies use them). */
  public get podSelectorLabels(): Record<string, string> {
    return { [INSTANCE_LABEL]: this.name };
  }

  /** Interfaces that need an address on a secondary network of each cluster the NF is placed on. */
  public addressRequests(): AddressRequest[] {
    return this.interfaceList.map(i => ({
      interfaceName: i.name,
      network: i.networkInstance,
      ...(i.ipv4Address !== undefined ? { fixedAddress: i.ipv4Address } : {}),
    }));
  }

  /** The pods the NF runs with these overrides, for quotas. */
  public workloadFootprints(overrides: WorkloadOverrides): WorkloadFootprint[] {
    const replicas = overrides.replicas ?? this.replicas;
    const resources = mergeResources(this.resources, overrides.resources);
    const numbers = (list: Record<string, string> | undefined) => Object.fromEntries(Object.entries(list ?? {})
      .filter(([, q]) => !checkQuantity(q)).map(([k, q]) => [k, parseQuantity(q)]));
    return [{
      name: `Deployment ${this.namespace}/${this.name}`,
      namespace: this.namespace,
      replicas,
      // Deployments surge by 25% of their replicas, rounded up; Recreate does not surge.
      surge: this._recreatesPods ? 0 : Math.ceil(replicas / 4),
      requests: numbers(resources?.requests),
      limits: numbers(resources?.limits),
    }];
  }

  /** Joins a slice; called by NetworkSlice.addNetworkFunction(). @internal */
  public _joinSlice(membership: SliceMembership): void {
    this.memberships.push(membership);
  }

  /** The slices it serves. @internal */
  public get _memberships(): SliceMembership[] {
    return [...this.memberships];
  }

  /** True when its pods are replaced rather than surged (host network or static addresses). @internal */
  public get _recreatesPods(): boolean {
    return this.hostNetwork || this.interfaceList.some(i => i.ipv4Address !== undefined);
  }

  /** The types of the interfaces it attaches. @internal */
  public get _interfaceTypes(): InterfaceType[] {
    return [...this.interfaceTypes];
  }

  /** @internal */
  public _validateRepo(context: SynthContext): void {
    this.problems.report(this.node.path, context);
    if (this.portList.length === 0) {
      context.problems.add(this.node.path, 'ports', `${this.kind.displayName} "${this.name}" has no port; its Service needs one: add it with addPort()`);
    }
  }

  /** The package pipeline: namespace and labels, run at synth so the written resources are hydrated. */
  private pipeline(): KptFunction[] {
    return [
      KptFunction.setNamespace(this.namespace),
      KptFunction.setLabels(this.labels),
    ];
  }

  private sortedMemberships(): SliceMembership[] {
    return [...this.memberships].sort((a, b) => a.snssai.sst - b.snssai.sst || (a.snssai.sd ?? '').localeCompare(b.snssai.sd ?? ''));
  }

  private renderSliceConfiguration(): Record<string, string> {
    const memberships = this.sortedMemberships();
    if (memberships.length === 0) return {};
    return {
      'snssai': JSON.stringify(memberships.map(m => m.snssai)),
      'slice-profiles': JSON.stringify(memberships.map(m => m.profile())),
    };
  }

  private checkImage(image: string, field: string, path?: string): void {
    const parsed = parseImageReference(image);
    if ('error' in parsed) this.problems.add(field, parsed.error, path);
  }

  private checkReplicas(replicas: number, field: string, path?: string): void {
    if (!isIntegerIn(replicas, 0, 10000)) this.problems.add(field, `${JSON.stringify(replicas)} must be a whole number from 0 to 10000`, path);
  }

  private checkResources(resources: ResourceRequirements | undefined, field: string, path?: string): void {
    if (resources === undefined) return;
    const resourceName = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
    for (const list of ['requests', 'limits'] as const) {
      for (const [name, quantity] of Object.entries(resources[list] ?? {})) {
        if (!resourceName.test(name)) this.problems.add(`${field}.${list}.${name}`, `"${name}" is not a resource name such as "cpu", "memory" or "hugepages-1Gi"`, path);
        const error = checkQuantity(quantity);
        if (error) this.problems.add(`${field}.${list}.${name}`, error, path);
      }
    }
    for (const [name, request] of Object.entries(resources.requests ?? {})) {
      const limit = resources.limits?.[name];
      if (limit === undefined || checkQuantity(request) || checkQuantity(limit)) continue;
      if (parseQuantity(request) > parseQuantity(limit)) {
        this.problems.add(`${field}.requests.${name}`, `request ${request} is above the limit ${limit}; a request must not exceed its limit`, path);
      }
    }
  }
}

// Invalid values are reported once, on the prop; rendering without them keeps the schema
// validation of the written objects from repeating the same problem.
function withoutInvalidQuantities(resources: ResourceRequirements | undefined): ResourceRequirements | undefined {
  if (!resources) return undefined;
  const valid = (list: Record<string, string> | undefined) => list && Object.fromEntries(Object.entries(list).filter(([, q]) => !checkQuantity(q)));
  return { requests: valid(resources.requests), limits: valid(resources.limits) };
}

function withoutInvalidThroughput(capacity: NfCapacity): NfCapacity {
  const valid = (q: string | undefined) => q !== undefined && !checkQuantity(q) ? q : undefined;
  return { ...capacity, maxUplinkThroughput: valid(capacity.maxUplinkThroughput), maxDownlinkThroughput: valid(capacity.maxDownlinkThroughput) };
}

/** Overrides win key by key: a limits-only override keeps the blueprint's requests. */
function mergeResources(base: ResourceRequirements | undefined, override: ResourceRequirements | undefined): ResourceRequirements | undefined {
  if (!override) return base;
  if (!base) return override;
  const requests = base.requests || override.requests ? { ...base.requests, ...override.requests } : undefined;
  const limits = base.limits || override.limits ? { ...base.limits, ...override.limits } : undefined;
  return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
}

/** What a workload is rendered from; two variants with equal settings have equal resources. */
interface NfWorkloadSettings {
  readonly image: string;
  readonly replicas: number;
  readonly resources?: ResourceRequirements;
  readonly configuration: Record<string, string>;
}

function settingsKey(settings: NfWorkloadSettings): string {
  return JSON.stringify([settings.image, settings.replicas, sortedDeep(settings.resources ?? null), sortedDeep(settings.configuration)]);
}

function sortedDeep(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedDeep);
  return Object.fromEntries(Object.keys(value as object).sort().map(k => [k, sortedDeep((value as Record<string, unknown>)[k])]));
}

/** A variant package of an earlier synth may have been removed from the tree since. */
function isStillDeclared(pkg: KptPackage): boolean {
  return pkg.node.scope?.node.tryFindChild(pkg.node.id) === pkg;
}
