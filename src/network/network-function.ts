import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { checkCapacity, NfCapacity } from './capacity';
import { NfDeploymentModel, NfOperatorFacts } from './deployment-model';
import { InterfaceType, NetworkInterfaceOptions, NfPort } from './interfaces';
import { attachmentName, NetworkAttachment } from './network-attachment';
import { checkRanSettings, RanSettings } from './nf-config';
import { NfKind } from './nf-kind';
import { nfDeploymentManifest, NfRecord, NfRecordSource, ResolvedPeer } from './nf-record';
import {
  CONFIG_DIGEST_ANNOTATION,
  configurationDigest,
  INSTANCE_LABEL,
  NfWorkload,
  NfWorkloadShaping,
  NfWorkloadSource,
  ResolvedInterface,
  SLICE_CONFIGURATION_KEYS,
} from './nf-workload';
import { NfSidecar, NfVolume, NfWorkloadOptions } from './nf-workload-options';
import { normalizeResources, NormalizedResources, resourceRuleProblems } from './resources';
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
import { envValueProblems, mergeShape, probeProblems, SHAPE_FIELDS, shapeFieldsSet, shapeProblems, withoutInvalidShape, WorkloadShape } from './workload-shape';
import {
  AddressRequest,
  InterfaceAddress,
  IPackageBlueprint,
  NetworkDefinition,
  ResourceRequirements,
  VariantOptions,
  WorkloadFootprint,
  WorkloadEnvValue,
  WorkloadOverrides,
  WorkloadToleration,
} from '../kpt/blueprint';
import { KptFunction } from '../kpt/kpt-function';
import { KptPackage, RenderedResourcesPatch } from '../kpt/kpt-package';
import { checkDnsLabel, checkDnsSubdomain, toDnsFragment } from '../kpt/naming';
import { blueprintValidators } from '../policy/enforcer/package-validators';
import { compareStrings } from '../repo/compare';
import { NETWORK_FUNCTIONS_FOLDER } from '../repo/layout-paths';
import { SynthContext } from '../repo/synth-context';
import { ProblemCollector } from '../repo/synth-error';
import { IRepoPreparer, IRepoValidator, markRepoPreparer, markRepoValidator } from '../repo/synthesizer';

/** Props of a NetworkFunction. */
export interface NetworkFunctionProps {
  /** What it is: a catalog kind such as `NfKind.AMF`, or `NfKind.custom(...)`. */
  readonly kind: NfKind;
  /**
   * Whether the NF's operator creates its pods from the NFDeployment (`OPERATOR`) or the package
   * holds the workload itself (`WORKLOAD`). The operator model needs a kind whose operator is known
   * (the R5 free5gc operator for AMF, SMF and UPF; the R5 OAI RAN operator for CU-CP, CU-UP and DU;
   * a custom kind declaring its `operator`).
   * @default - the kind's `deploymentModel`: OPERATOR for AMF, SMF, UPF, CU-CP, CU-UP and DU, WORKLOAD otherwise
   */
  readonly deploymentModel?: NfDeploymentModel;
  /**
   * PLMN, tracking area and cell settings the OAI RAN operator reads from the NF's NFConfig (operator
   * model of CU-CP, CU-UP and DU only, where they are required). The S-NSSAIs come from the slices the NF serves.
   * @default - none
   */
  readonly ran?: RanSettings;
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
   * Container image, pinned by tag or digest. In the operator model only the OAI RAN operator takes
   * it (from the NFConfig's OAIConfig); the free5gc operator runs its own images.
   * @default - the kind's default image
   */
  readonly image?: string;
  /** Replicas (workload model only: operators set their own). @default 1 */
  readonly replicas?: number;
  /**
   * Container requests and limits (workload model only: operators size their own pods): quantity
   * strings (`requests: { cpu: '500m' }`) or the cdk8s-plus form (`cpu: { request: Cpu.millis(500) }`),
   * written as canonical quantities either way. Hugepages and extended resources (SR-IOV devices)
   * must request what they limit; hugepages are then mounted (see `workload.hugepagesMountPath`).
   * @default - none (nothing is invented: set them for production)
   */
  readonly resources?: ResourceRequirements;
  /**
   * Ports it listens on; giving them replaces the kind's. Add more with `addPort()`.
   * @default - the kind's default ports
   */
  readonly ports?: NfPort[];
  /**
   * Configuration key/values, written into its ConfigMap (mounted at `configurationMountPath`); workload model only.
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
   * Run on the host network (workload model). Only kinds with a data plane (UPF, CU-UP, DU) may; prefer attaching
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
  /**
   * Probes, env, command, scheduling, disruption budget, autoscaling, sidecars, volumes, hugepage
   * mounts, priority and security of its own workload (workload model only). Per-environment and
   * per-cluster overrides change the scheduling and container fields (see `WorkloadOverrides`).
   * @default - none
   */
  readonly workload?: NfWorkloadOptions;
}

/** Folder of the NF blueprints in the repository. */
export { NETWORK_FUNCTIONS_FOLDER };
const IS_NETWORK_FUNCTION = Symbol.for('nephoran-gitops.NetworkFunction');

/**
 * A 5G core or O-RAN network function. It owns a kpt package at
 * `packages/network-functions/<name>/`, hydrated by the package's set-namespace and set-labels
 * steps, and as an `IPackageBlueprint` renders a variant per cluster. What the package holds
 * depends on its `deploymentModel`:
 *
 * - operator model (default for AMF, SMF, UPF, CU-CP, CU-UP, DU): the NFDeployment, the NFConfig and
 *   peer Configs its operator reads through `parametersRefs`, and in each variant one Multus
 *   NetworkAttachmentDefinition per interface. The operator on the cluster creates the pods.
 * - workload model: Deployment, Service, ConfigMap and ServiceAccount (cdk8s-plus-28), the
 *   attachments in each variant, and the NFDeployment as a `config.kubernetes.io/local-config`
 *   record nothing reconciles.
 *
 * In a variant, every interface carries the address the fleet allocated on the cluster's network
 * (`VariantOptions.addresses`); its NetworkAttachmentDefinition, named `<nf>-<interface>` as the
 * operators and Nephio's nad-fn name it, is built from the cluster's `NetworkDefinition`. The
 * blueprint has no cluster, so no attachments. Objects added to the blueprint package
 * (`nf.blueprint`) are copied into every variant.
 *
 * @example
 * const repo = new GitOpsRepository();
 * const upf = new NetworkFunction(repo, 'upf-edge01', {
 *   kind: NfKind.UPF,
 *   capacity: { maxUplinkThroughput: '1G', maxDownlinkThroughput: '5G' },
 * });
 * upf.addInterface({ type: InterfaceType.N3, networkInstance: 'vpc-ran' });
 * upf.addInterface({ type: InterfaceType.N4, networkInstance: 'vpc-internal' });
 * upf.addInterface({ type: InterfaceType.N6, networkInstance: 'vpc-internet', dataNetworks: [{ name: 'internet', pools: ['10.60.0.0/16'] }] });
 * // An NRF has no R5 operator: its package holds our own workload.
 * const nrf = new NetworkFunction(repo, 'nrf', { kind: NfKind.NRF, namespace: 'core' });
 * nrf.addConfiguration('logLevel', 'info');
 */
export class NetworkFunction extends Construct implements IPackageBlueprint, IRepoValidator, IRepoPreparer {
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
  /** Requests and limits of its blueprint, as canonical quantity strings. */
  public readonly resources?: ResourceRequirements;
  public readonly capacity?: NfCapacity;
  public readonly hostNetwork: boolean;
  public readonly blueprint: KptPackage;
  /** How its pods come to run (see `NetworkFunctionProps.deploymentModel`). */
  public readonly deploymentModel: NfDeploymentModel;
  /** RAN settings written into its NFConfig (operator model of OAI kinds). */
  public readonly ran?: RanSettings;

  private readonly problems = new PropProblems();
  private readonly portList: NfPort[] = [];
  private readonly interfaceList: ResolvedInterface[] = [];
  private readonly interfaceTypes: InterfaceType[] = [];
  private readonly config = new Map<string, string>();
  private readonly workloads: NfWorkload[] = [];
  /** The package whose resources each distinct workload setting rendered into. */
  private readonly renderedBySettings = new Map<string, KptPackage>();
  /** Variants rendered from their construct tree, by everything but their configuration values. */
  private readonly renderedByStructure = new Map<string, KptPackage>();
  /** The blueprint's settings without configuration: a variant with these takes the blueprint's rendering. */
  private blueprintStructure?: string;
  private readonly memberships: SliceMembership[] = [];
  private readonly source: NfWorkloadSource;
  private readonly recordSource: NfRecordSource;
  private readonly operator?: NfOperatorFacts;
  private readonly peerList: NetworkFunction[] = [];
  /** ApiObjects the NF itself puts in its blueprint; anything else there was added by the user. */
  private readonly ownBlueprintObjects = new Set<ApiObject>();
  /** The workload shape from props; env and tolerations grow with addEnv() and addToleration(). */
  private readonly baseShape: WorkloadShape;
  private readonly envMap = new Map<string, WorkloadEnvValue>();
  private readonly tolerationList: WorkloadToleration[] = [];
  private readonly sidecars: NfSidecar[] = [];
  private readonly volumes: NfVolume[] = [];
  private readonly hugepagesMountPath: string;
  private readonly requestSriovDevices: boolean;
  private blueprintWorkload?: NfWorkload;

  constructor(scope: Construct, id: string, props: NetworkFunctionProps) {
    super(scope, id);
    Object.defineProperty(this, IS_NETWORK_FUNCTION, { value: true });
    markRepoValidator(this);
    markRepoPreparer(this);

    const kind = props.kind;
    if (!(kind instanceof NfKind)) {
      this.problems.add('props.kind', 'must be an NfKind: a catalog kind such as NfKind.AMF, or NfKind.custom({...})');
    }
    this.kind = kind instanceof NfKind ? kind : NfKind.custom({ name: 'invalid', provider: 'invalid.invalid' });
    for (const message of this.kind._problems) this.problems.add('props.kind', message);

    this.deploymentModel = props.deploymentModel ?? this.kind.deploymentModel;
    if (!Object.values(NfDeploymentModel).includes(this.deploymentModel)) {
      this.problems.add('props.deploymentModel', `${JSON.stringify(props.deploymentModel)} must be NfDeploymentModel.OPERATOR or NfDeploymentModel.WORKLOAD`);
      this.deploymentModel = NfDeploymentModel.WORKLOAD;
    }
    if (this.deploymentModel === NfDeploymentModel.OPERATOR && this.kind._operator === undefined) {
      this.problems.add('props.deploymentModel', `no operator is known for ${this.kind.displayName} (provider "${this.kind.provider}"): nothing would create its pods from the NFDeployment. Use NfDeploymentModel.WORKLOAD, or a custom kind that declares its operator`);
      this.deploymentModel = NfDeploymentModel.WORKLOAD;
    }
    const operatorModel = this.deploymentModel === NfDeploymentModel.OPERATOR;
    this.operator = operatorModel ? this.kind._operator : undefined;
    if (this.operator) {
      // The operator builds the pods; these props would be silently ignored.
      const ignored: Array<[keyof NetworkFunctionProps, boolean]> = [
        ['image', !this.operator.takesImage],
        // configuration is reported key by key by addConfiguration()
        ['replicas', true], ['resources', true], ['hostNetwork', true], ['hostNetworkReason', true],
        ['runAsUser', true], ['readOnlyRootFilesystem', true], ['configurationMountPath', true],
      ];
      for (const [prop, applies] of ignored) {
        if (applies && props[prop] !== undefined) {
          this.problems.add(`props.${prop}`, this.operatorIgnores());
        }
      }
      for (const [field, value] of Object.entries(props.workload ?? {})) {
        if (value !== undefined) this.problems.add(`props.workload.${field}`, this.operatorIgnores());
      }
    }
    if (props.ran !== undefined) {
      if (!this.operator?.readsRanConfig) {
        this.problems.add('props.ran', `is read only by the OAI RAN operator, from the NFConfig of a CU-CP, CU-UP or DU in the operator model; ${this.kind.displayName} "${id}" is ${operatorModel ? 'reconciled by ' + this.operator?.name : 'in the workload model'}`);
      } else {
        for (const [field, message] of checkRanSettings(props.ran)) this.problems.add(`props.${field}`, message);
      }
    }
    this.ran = props.ran;

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
    const shapeErrors: Array<[string, string]> = [];
    this.resources = normalizeResources(props.resources, shapeErrors);
    for (const [field, message] of shapeErrors) this.problems.add(`props.resources.${field}`, message);
    this.checkResources(this.resources, 'props.resources');
    this.capacity = props.capacity;
    for (const [field, message] of checkCapacity(props.capacity ?? {})) this.problems.add(`props.${field}`, message);

    this.hostNetwork = operatorModel ? false : props.hostNetwork ?? false;
    if (this.hostNetwork && !this.kind.dataPlane) {
      this.problems.add('props.hostNetwork', `only kinds whose data plane needs it (UPF, CU-UP, DU) may use the host network, not ${this.kind.displayName}; attach a network instance with addInterface() instead`);
    }
    if (!operatorModel && props.hostNetworkReason !== undefined && (!this.hostNetwork || typeof props.hostNetworkReason !== 'string' || props.hostNetworkReason.trim() === '')) {
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

    const workload = this.operator ? {} : props.workload ?? {};
    const { sidecars, volumes, hugepagesMountPath, securityContext, requestSriovDevices, ...shape } = workload;
    this.requestSriovDevices = requestSriovDevices !== false;
    const workloadErrors = shapeProblems(shape);
    for (const [field, message] of workloadErrors) this.problems.add(`props.workload.${field}`, message);
    const validShape = withoutInvalidShape(shape, workloadErrors);
    this.baseShape = Object.fromEntries(SHAPE_FIELDS.filter(f => validShape[f] !== undefined && f !== 'env' && f !== 'tolerations').map(f => [f, validShape[f]])) as WorkloadShape;
    for (const [key, value] of Object.entries(validShape.env ?? {})) this.envMap.set(key, value);
    if (Array.isArray(validShape.tolerations)) this.tolerationList.push(...validShape.tolerations);
    this.hugepagesMountPath = hugepagesMountPath ?? '/dev/hugepages';
    if (typeof this.hugepagesMountPath !== 'string' || !this.hugepagesMountPath.startsWith('/') || this.hugepagesMountPath.split('/').includes('..') || ['/', '/tmp', mountPath].includes(this.hugepagesMountPath)) {
      this.problems.add('props.workload.hugepagesMountPath', `${JSON.stringify(this.hugepagesMountPath)} must be an absolute container path other than "/", "/tmp" and the configuration mount path, without ".."`);
    }
    if (securityContext !== undefined) this.checkSecurity(securityContext);
    if (props.replicas !== undefined && shape.autoscaling !== undefined) {
      this.problems.add('props.replicas', `${props.replicas} has no effect with autoscaling: the HorizontalPodAutoscaler sets the replicas; set autoscaling.minReplicas instead`);
    }
    this.checkEffectiveWorkload(this.replicas, this.workloadShape(), this.resources, 'props');

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
      security: securityContext,
      hugepagesMountPath: this.hugepagesMountPath,
      sidecarList: () => [...self.sidecars],
      volumeList: () => [...self.volumes],
    };

    this.recordSource = {
      name: this.name,
      namespace: this.namespace,
      provider: this.kind.provider,
      model: this.deploymentModel,
      operator: this.operator,
      capacity: this.source.capacity,
      ran: this.ran && checkRanSettings(this.ran).length === 0 ? this.ran : undefined,
      interfaceList: () => [...self.interfaceList],
      nssai: () => self.sortedMemberships().map(m => ({ sst: m.snssai.sst, ...(m.snssai.sd !== undefined ? { sd: m.snssai.sd } : {}) })),
    };

    this.blueprint = new KptPackage(this, 'Blueprint', {
      path: `${NETWORK_FUNCTIONS_FOLDER}/${this.name}`,
      info: { description: `${this.kind.displayName} network function (${this.kind.provider}, ${this.deploymentModel} model)` },
      mutators: this.pipeline(),
      validators: blueprintValidators(this),
    });
    const blueprintSettings: NfWorkloadSettings = {
      image: this.image,
      replicas: this.replicas,
      resources: withoutInvalidQuantities(this.resources),
      configuration: {},
      shape: {},
    };
    this.blueprintWorkload = this.renderPackage(this.blueprint, blueprintSettings, []);
    for (const object of this.blueprint.node.findAll()) {
      if (ApiObject.isApiObject(object)) this.ownBlueprintObjects.add(object);
    }
    // Its settings carry no configuration: the key is also its structure.
    this.blueprintStructure = variantKey(this.deploymentModel, blueprintSettings, [], []);
    this.renderedBySettings.set(this.blueprintStructure, this.blueprint);

    for (const port of props.ports ?? this.kind.defaultPorts) this.addPort(port);
    for (const [key, value] of Object.entries(props.configuration ?? {})) this.addConfiguration(key, value);
    for (const iface of props.interfaces ?? []) this.addInterface(iface);
    for (const sidecar of sidecars ?? []) this.addSidecar(sidecar);
    for (const volume of volumes ?? []) this.addVolume(volume);
  }

  /**
   * Sets an environment variable of its container: a literal, or a ConfigMap or Secret key by name
   * (`{ secret: 'amf-db', key: 'password' }`: the value never reaches git). Workload model only.
   */
  public addEnv(name: string, value: WorkloadEnvValue): void {
    const field = `workload.env.${name}`;
    if (this.operator) return this.problems.add(field, this.operatorIgnores());
    const problems = envValueProblems(name, value);
    if (this.envMap.has(name)) problems.push(`"${name}" is already set; set each variable once`);
    if (problems.length > 0) return this.problems.addAll(field, problems);
    this.envMap.set(name, value);
  }

  /** Lets its pods run on nodes with a taint (e.g. nodes reserved for the data plane). Workload model only. */
  public addToleration(toleration: WorkloadToleration): void {
    const field = `workload.tolerations[${this.tolerationList.length}]`;
    if (this.operator) return this.problems.add('workload.tolerations', this.operatorIgnores());
    const problems = shapeProblems({ tolerations: [toleration] });
    if (problems.length > 0) return this.problems.addAll(field, problems.map(([f, m]) => `${f.replace(/^tolerations\[0\]\.?/, '')} ${m}`.trim()));
    this.tolerationList.push({ ...toleration });
  }

  /** Adds a container to its pods, hardened like its own (non-root, no capabilities). Workload model only. */
  public addSidecar(sidecar: NfSidecar): void {
    const field = `workload.sidecars.${sidecar?.name}`;
    if (this.operator) return this.problems.add(field, this.operatorIgnores());
    const problems: string[] = [];
    if (typeof sidecar?.name !== 'string' || checkDnsLabel(sidecar.name)) problems.push(`name ${JSON.stringify(sidecar?.name)} must be a DNS-1123 label`);
    else if (sidecar.name === this.kind.name || this.sidecars.some(s => s.name === sidecar.name)) problems.push(`container "${sidecar.name}" already exists in the pod; give the sidecar another name`);
    const image = parseImageReference(sidecar?.image);
    if ('error' in image) problems.push(`image ${image.error}`);
    const shapeErrors: Array<[string, string]> = [];
    const resources = normalizeResources(sidecar?.resources, shapeErrors);
    for (const [f, m] of [...shapeErrors, ...this.resourceProblems(resources)]) problems.push(`resources.${f}: ${m}`);
    for (const [key, value] of Object.entries(sidecar?.env ?? {})) for (const m of envValueProblems(key, value)) problems.push(`env.${key}: ${m}`);
    for (const [f, probe] of [['livenessProbe', sidecar?.livenessProbe], ['readinessProbe', sidecar?.readinessProbe]] as const) {
      if (probe !== undefined) for (const m of probeProblems(probe, f === 'livenessProbe')) problems.push(`${f}: ${m}`);
    }
    for (const port of sidecar?.ports ?? []) for (const m of checkPort({ name: port.name, port: port.port, protocol: port.protocol } as NfPort)) problems.push(`ports: ${m}`);
    for (const mount of sidecar?.volumeMounts ?? []) {
      if (typeof mount?.path !== 'string' || !mount.path.startsWith('/')) problems.push(`volumeMounts: path ${JSON.stringify(mount?.path)} must be an absolute container path`);
    }
    if (problems.length > 0) return this.problems.addAll(field, problems);
    this.sidecars.push({ ...sidecar, resources: resources as ResourceRequirements | undefined });
  }

  /**
   * Adds a volume to its pods: an emptyDir, or a ConfigMap, Secret or PersistentVolumeClaim by name,
   * mounted into its container at `mountPath` (sidecars mount it by name). Workload model only.
   */
  public addVolume(volume: NfVolume): void {
    const field = `workload.volumes.${volume?.name}`;
    if (this.operator) return this.problems.add(field, this.operatorIgnores());
    const problems: string[] = [];
    const reserved = ['config', 'tmp', 'hugepages-2mi', 'hugepages-1gi'];
    if (typeof volume?.name !== 'string' || checkDnsLabel(volume.name)) problems.push(`name ${JSON.stringify(volume?.name)} must be a DNS-1123 label`);
    else if (reserved.includes(volume.name) || this.volumes.some(v => v.name === volume.name)) problems.push(`volume "${volume.name}" already exists in the pod (${reserved.join(', ')} are the NF's own); choose another name`);
    const sources = (['emptyDir', 'configMap', 'secret', 'persistentVolumeClaim'] as const).filter(k => volume?.[k] !== undefined);
    if (sources.length !== 1) problems.push(`must have exactly one of emptyDir, configMap, secret and persistentVolumeClaim; has ${sources.length === 0 ? 'none' : sources.join(', ')}`);
    for (const k of ['configMap', 'secret', 'persistentVolumeClaim'] as const) {
      const ref = volume?.[k];
      if (ref !== undefined && (typeof ref !== 'string' || checkDnsSubdomain(ref))) problems.push(`${k} ${JSON.stringify(ref)} must name the object (a DNS-1123 subdomain)`);
    }
    const path = volume?.mountPath;
    if (path !== undefined) {
      const taken = [this.source.configurationMountPath, '/tmp', this.hugepagesMountPath, ...this.volumes.map(v => v.mountPath)];
      if (typeof path !== 'string' || !path.startsWith('/') || path === '/' || path.split('/').includes('..')) problems.push(`mountPath ${JSON.stringify(path)} must be an absolute container path other than "/", without ".."`);
      else if (taken.includes(path)) problems.push(`mountPath "${path}" is already mounted (the configuration, /tmp, hugepages or another volume)`);
    }
    if (problems.length > 0) return this.problems.addAll(field, problems);
    this.volumes.push({ ...volume });
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
    if (this.operator) {
      return this.problems.add(field, `has no effect in the operator model: ${this.operator.name} builds the ${this.kind.displayName} configuration from the NFDeployment and its parametersRefs (${this.operator.source}); set deploymentModel: NfDeploymentModel.WORKLOAD to ship a ConfigMap`);
    }
    this.config.set(key, value);
    for (const workload of this.workloads) workload.addConfigurationKey(key);
  }

  /**
   * Gives the NF's operator the NFDeployment of a peer, as Nephio's Dependency injection does: each
   * placed instance of the peer becomes a `ref.nephio.org/v1alpha1` Config in this NF's variants,
   * listed in its NFDeployment's `parametersRefs`. The free5gc SMF reads its UPFs this way; the OAI
   * CU-CP reads its AMF (provider `amf.openairinterface.org`), the OAI CU-UP and DU their CU-CP.
   * (Operator model only.) A peer placed on several clusters is taken from the NF's own cluster.
   */
  public addPeer(peer: NetworkFunction): void {
    if (!NetworkFunction.isNetworkFunction(peer)) return this.problems.add('peers', 'addPeer() takes a NetworkFunction');
    if (!this.operator) {
      return this.problems.add('peers', `peers are read only by an operator; ${this.kind.displayName} "${this.name}" is in the workload model`);
    }
    if (peer === this || this.peerList.includes(peer)) return this.problems.add('peers', `"${peer.name}" is already a peer of "${this.name}" (or is the NF itself)`);
    this.peerList.push(peer);
  }

  /**
   * Renders the NF for one cluster: a package at `options.path` whose Kptfile upstream points at
   * the blueprint, holding the NFDeployment with the interfaces' allocated addresses, one
   * NetworkAttachmentDefinition per interface, what the operator reads (operator model) or the
   * workload with the overrides applied (workload model), and a copy of every object added to the
   * blueprint; hydrated by the blueprint's pipeline plus `options.mutators`.
   */
  public renderVariant(scope: Construct, id: string, options: VariantOptions): KptPackage {
    const pkg = new KptPackage(scope, id, {
      path: options.path,
      info: { description: `${this.kind.displayName} network function (${this.kind.provider}, ${this.deploymentModel} model) for cluster ${options.target.name}` },
      upstream: { repo: options.upstreamRepo, directory: this.blueprint.packagePath, ref: options.upstreamRef },
      mutators: [...this.pipeline(), ...options.mutators],
    });
    const overrides: WorkloadOverrides = options.overrides ?? {};
    const where = pkg.node.path;
    if (overrides.image !== undefined) this.checkImage(overrides.image, 'overrides.image', where);
    if (overrides.replicas !== undefined) this.checkReplicas(overrides.replicas, 'overrides.replicas', where);
    const overrideShapeErrors: Array<[string, string]> = [];
    const overrideResources = normalizeResources(overrides.resources, overrideShapeErrors);
    for (const [field, message] of overrideShapeErrors) this.problems.add(`overrides.resources.${field}`, message, where);
    // Each value is checked on its own; the rules between requests and limits on the merged result.
    if (overrides.resources !== undefined) this.checkResources(overrideResources, 'overrides.resources', where, false);
    const givenShape = mergeShape(overrides);
    const overrideShapeProblems = this.operator ? [] : shapeProblems(givenShape);
    const overrideShape = withoutInvalidShape(givenShape, overrideShapeProblems);
    if (this.operator) {
      // Environment-wide overrides may reach NFs they do not apply to: say so without failing.
      const ignored = [
        ...(overrides.image !== undefined && !this.operator.takesImage ? ['image'] : []),
        ...(overrides.replicas !== undefined ? ['replicas'] : []),
        ...(overrides.resources !== undefined ? ['resources'] : []),
        ...(overrides.configuration !== undefined && Object.keys(overrides.configuration).length > 0 ? ['configuration'] : []),
        ...shapeFieldsSet(givenShape),
      ];
      for (const field of ignored) {
        this.problems.warn(`overrides.${field}`, `has no effect on ${this.kind.displayName} "${this.name}" in the operator model: ${this.operator.name} sizes and configures its pods itself (${this.operator.source})`, where);
      }
    }
    const configuration: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.operator ? {} : overrides.configuration ?? {})) {
      const keyError = checkConfigMapKey(key);
      if (keyError) this.problems.add(`overrides.configuration.${key}`, keyError, where);
      else if (SLICE_CONFIGURATION_KEYS.includes(key)) this.problems.add(`overrides.configuration.${key}`, `"${key}" is written by the slices the NF serves; choose another key`, where);
      else if (typeof value !== 'string') this.problems.add(`overrides.configuration.${key}`, `value ${JSON.stringify(value)} must be a string`, where);
      else configuration[key] = value;
    }
    for (const [field, message] of overrideShapeProblems) this.problems.add(`overrides.${field}`, message, where);
    const replicas = this.operator ? this.replicas : overrides.replicas ?? this.replicas;
    const resources = this.operator ? undefined : mergeResources(this.resources, overrideResources);
    if (resources && overrides.resources !== undefined) {
      for (const [f, message] of this.resourceProblems(resources)) this.problems.add(`overrides.resources.${f}`, `${message} (with the overrides merged over the blueprint's resources)`, where);
    }
    if (!this.operator) {
      const shape = mergeShape(this.workloadShape(), overrideShape);
      if (overrides.replicas !== undefined && shape.autoscaling !== undefined) {
        this.problems.add('overrides.replicas', `${overrides.replicas} has no effect: the NF is autoscaled here (autoscaling ${JSON.stringify(shape.autoscaling)}); override autoscaling.minReplicas instead`, where);
      }
      // Re-checked only where the overrides change what the rules read: the blueprint's own problems are reported once.
      if (overrides.replicas !== undefined || overrides.resources !== undefined
        || overrideShape.autoscaling !== undefined || overrideShape.podDisruptionBudget !== undefined) {
        this.checkEffectiveWorkload(replicas, shape, resources, 'overrides', where);
      }
    }
    const attachments = this.resolveAttachments(options, where);
    const deviceResources = this.operator || !this.requestSriovDevices ? {} : this.deviceResources(attachments, resources, where);
    const settings: NfWorkloadSettings = {
      image: overrides.image ?? this.image,
      replicas,
      resources: withoutInvalidQuantities(resources),
      configuration,
      shape: this.operator ? {} : overrideShape,
      deviceResources,
    };
    const peers = this.resolvePeers(options, where);
    if (this.operator) this.checkOperatorNeeds(options, where);
    // Variants with the same settings, addresses, networks and peers have the same resources
    // before their pipelines: render them once (the blueprint's, when nothing differs) and reuse them.
    const key = variantKey(this.deploymentModel, settings, attachments, peers);
    // Variants that differ from one already rendered only in configuration values (per-site
    // settings) take its plain objects with their own values set: ConfigMap data and the pod
    // template's digest of it, the only places those values reach.
    const structure = this.operator ? undefined : variantKey(this.deploymentModel, { ...settings, configuration: Object.fromEntries(Object.keys(configuration).map(k => [k, ''])) }, attachments, peers)
      + JSON.stringify(Object.keys(configuration));
    if (!rendersEveryVariant()) {
      const source = this.renderedBySettings.get(key);
      if (source && isStillDeclared(source)) {
        pkg._reuseObjectsOf(source);
        return pkg;
      }
      const template = structure !== undefined ? this.renderedByStructure.get(structure) : undefined;
      if (template && isStillDeclared(template)) {
        pkg._reuseObjectsOf(template, withConfiguration(this.source, configuration));
        this.renderedBySettings.set(key, pkg);
        return pkg;
      }
      // A variant that differs from the blueprint only in configuration, keys it adds included, takes
      // the blueprint's rendering: it carries only the NF's own keys, none of another variant's, and
      // the added keys reach only the ConfigMap (mounted whole), whose data cdk8s writes sorted.
      if (structure !== undefined && !process.env.CDK8S_DISABLE_SORT && isStillDeclared(this.blueprint)
        && variantKey(this.deploymentModel, { ...settings, configuration: {} }, attachments, peers) === this.blueprintStructure) {
        pkg._reuseObjectsOf(this.blueprint, withConfiguration(this.source, configuration));
        this.renderedBySettings.set(key, pkg);
        return pkg;
      }
    }
    const addresses = Object.fromEntries(attachments.map(a => [a.interfaceName, a.address]));
    const workload = this.renderPackage(pkg, { ...settings, addresses }, peers);
    workload?.applyShape(this.shaping(settings));
    for (const attachment of attachments) {
      new NetworkAttachment(pkg, `Attachment-${attachment.interfaceName}`, {
        name: attachmentName(this.name, attachment.interfaceName),
        namespace: this.namespace,
        network: attachment.network,
        address: attachment.address,
      });
    }
    this.copyAddedObjects(pkg);
    this.renderedBySettings.set(key, pkg);
    if (structure !== undefined && !this.renderedByStructure.has(structure)) this.renderedByStructure.set(structure, pkg);
    return pkg;
  }

  /** True when its variants read where its peers run (operator-model peers), so each cluster differs. */
  public get variesByCluster(): boolean {
    return this.deploymentModel === NfDeploymentModel.OPERATOR && this.peerList.length > 0;
  }

  /** The labels that select the NF's pods (network policies use them): in the operator model, those its operator puts on the pods it creates. */
  public get podSelectorLabels(): Record<string, string> {
    if (this.operator) return this.operator.podLabels(this.name);
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

  /**
   * The pods the NF runs with these overrides, for quotas: its Deployment in the workload model;
   * in the operator model the pods its operator creates, sized as the operator's code sizes them
   * (overrides do not apply).
   */
  public workloadFootprints(overrides: WorkloadOverrides): WorkloadFootprint[] {
    if (this.operator) return this.operator.footprints(this.name, this.namespace, this.source.capacity);
    const shape = mergeShape(this.workloadShape(), mergeShape(overrides));
    // An autoscaled NF may run maxReplicas pods: quotas must hold them all.
    const replicas = shape.autoscaling && isIntegerIn(shape.autoscaling.maxReplicas, 1, 10000)
      ? shape.autoscaling.maxReplicas
      : overrides.replicas ?? this.replicas;
    const resources = podResources([
      mergeResources(this.resources, normalizeResources(overrides.resources)),
      ...this.sidecars.map(s => s.resources as NormalizedResources | undefined),
    ]);
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

  /** Peers whose NFDeployments its operator reads (a copy). */
  public get peers(): NetworkFunction[] {
    return [...this.peerList];
  }

  /** Joins a slice; called by NetworkSlice.addNetworkFunction(). @internal */
  public _joinSlice(membership: SliceMembership): void {
    this.memberships.push(membership);
  }

  /** The slices it serves. @internal */
  public get _memberships(): SliceMembership[] {
    return [...this.memberships];
  }

  /**
   * True when its own Deployment replaces pods rather than surging them: on the host network, or
   * with interfaces (every interface has a static address in a variant, which two pods cannot hold).
   * @internal
   */
  public get _recreatesPods(): boolean {
    return this.hostNetwork || this.interfaceList.length > 0;
  }

  /** The types of the interfaces it attaches. @internal */
  public get _interfaceTypes(): InterfaceType[] {
    return [...this.interfaceTypes];
  }

  /** Shapes the blueprint's workload once every addX() call is done. @internal */
  public _prepareRepo(_problems: ProblemCollector): void {
    if (!this.blueprintWorkload) return;
    const before = new Set(this.blueprint.node.findAll());
    this.blueprintWorkload.applyShape(this.shaping({ replicas: this.replicas, shape: {} }));
    for (const c of this.blueprint.node.findAll()) if (!before.has(c) && ApiObject.isApiObject(c)) this.ownBlueprintObjects.add(c);
  }

  /** @internal */
  public _validateRepo(context: SynthContext): void {
    for (const sidecar of this.sidecars) {
      for (const mount of sidecar.volumeMounts ?? []) {
        if (!this.volumes.some(v => v.name === mount.volume)) {
          context.problems.add(this.node.path, `workload.sidecars.${sidecar.name}.volumeMounts`, `volume ${JSON.stringify(mount.volume)} is not a volume of the pod; add it with addVolume() (it has ${this.volumes.map(v => `"${v.name}"`).join(', ') || 'none'})`);
        }
      }
    }
    this.problems.report(this.node.path, context);
    this.checkFixedOperatorNames(context);
    // Operators expose what they create; only our own Deployment needs a Service port.
    if (!this.operator && this.portList.length === 0) {
      context.problems.add(this.node.path, 'ports', `${this.kind.displayName} "${this.name}" has no port; its Service needs one: add it with addPort()`);
    }
  }

  /** Puts the NF's objects in one package: the record, and the workload in the workload model. */
  private renderPackage(pkg: KptPackage, settings: NfWorkloadSettings, peers: ResolvedPeer[]): NfWorkload | undefined {
    new NfRecord(pkg, this.recordSource, { image: settings.image, addresses: settings.addresses, peers });
    if (this.operator) return undefined;
    const workload = new NfWorkload(pkg, this.source, settings);
    for (const key of this.config.keys()) workload.addConfigurationKey(key);
    this.workloads.push(workload);
    return workload;
  }

  /** Its workload shape: props.workload with what addEnv() and addToleration() added. */
  private workloadShape(): WorkloadShape {
    return {
      ...this.baseShape,
      ...(this.envMap.size > 0 ? { env: Object.fromEntries([...this.envMap].sort(([a], [b]) => compareStrings(a, b))) } : {}),
      ...(this.tolerationList.length > 0 ? { tolerations: [...this.tolerationList] } : {}),
    };
  }

  private shaping(settings: Pick<NfWorkloadSettings, 'replicas' | 'shape' | 'deviceResources'>): NfWorkloadShaping {
    return { shape: mergeShape(this.workloadShape(), settings.shape), replicas: settings.replicas, deviceResources: settings.deviceResources };
  }

  private operatorIgnores(): string {
    return `has no effect in the operator model: ${this.operator!.name} creates ${this.kind.displayName} pods itself (${this.operator!.source}); remove it, or set deploymentModel: NfDeploymentModel.WORKLOAD to run the NF's own workload`;
  }

  /**
   * Rules that read several fields together: a disruption budget needs 2 or more pods; an
   * autoscaler needs a CPU request (utilization is a share of it); hugepages and device resources
   * follow the API server's resource rules.
   */
  private checkEffectiveWorkload(
    replicas: number,
    shape: WorkloadShape,
    resources: NormalizedResources | undefined,
    prefix: string,
    where?: string,
  ): void {
    const budget = shape.podDisruptionBudget;
    const autoscaling = shape.autoscaling;
    const least = autoscaling ? autoscaling.minReplicas ?? 1 : replicas;
    if (budget && Number.isInteger(least) && least < 2) {
      const what = autoscaling ? `autoscaling.minReplicas ${least}` : `${least} replica${least === 1 ? '' : 's'}`;
      this.problems.add(`${prefix}.workload.podDisruptionBudget`, `${JSON.stringify(budget)} needs 2 or more pods: with ${what} a budget either blocks every node drain (the pod can never be evicted) or protects nothing; set ${autoscaling ? 'autoscaling.minReplicas' : 'replicas'} to 2 or more, or remove it`, where);
    }
    if (autoscaling && resources?.requests?.cpu === undefined && resources?.limits?.cpu === undefined) {
      this.problems.add(`${prefix}.workload.autoscaling`, 'scales on CPU utilization, a share of the CPU request: set resources.requests.cpu', where);
    }
  }

  /** Resource rules beyond each quantity: requests within limits, hugepages and extended resources exact. */
  private resourceProblems(resources: NormalizedResources | undefined): Array<[string, string]> {
    return resourceRuleProblems(resources);
  }

  /**
   * SR-IOV virtual functions its attachments take on the target cluster: one of the network's
   * device-plugin resource per interface, requested and limited (requests == limits) unless the
   * resources already ask for it; asking for fewer is a problem.
   */
  private deviceResources(attachments: ResolvedAttachment[], resources: NormalizedResources | undefined, where: string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const a of attachments) {
      if (a.network.cni === 'sriov' && typeof a.network.resourceName === 'string') counts[a.network.resourceName] = (counts[a.network.resourceName] ?? 0) + 1;
    }
    for (const [name, count] of Object.entries(counts)) {
      const given = resources?.limits?.[name] ?? resources?.requests?.[name];
      if (given !== undefined && !checkQuantity(given) && parseQuantity(given) < count) {
        this.problems.add(`resources.limits.${name}`, `${given} ${name} is fewer than the ${count} SR-IOV interface${count > 1 ? 's' : ''} of ${this.kind.displayName} "${this.name}" on this cluster need (one virtual function each); set ${count} or leave it out to have it derived`, where);
      }
    }
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => compareStrings(a, b)));
  }

  private checkSecurity(security: NonNullable<NfWorkloadOptions['securityContext']>): void {
    const field = 'props.workload.securityContext';
    for (const cap of security.addCapabilities ?? []) {
      if (typeof cap !== 'string' || !/^[A-Z_]+$/.test(cap) || cap.startsWith('CAP_')) this.problems.add(`${field}.addCapabilities`, `${JSON.stringify(cap)} must be a capability name without "CAP_", e.g. "IPC_LOCK"`);
    }
    if (security.runAsGroup !== undefined && !isIntegerIn(security.runAsGroup, 0, 2 ** 31 - 1)) this.problems.add(`${field}.runAsGroup`, `${JSON.stringify(security.runAsGroup)} must be a GID from 0 to 2147483647`);
    if (security.seccompProfile !== undefined && !['RuntimeDefault', 'Unconfined'].includes(security.seccompProfile)) this.problems.add(`${field}.seccompProfile`, `${JSON.stringify(security.seccompProfile)} must be 'RuntimeDefault' or 'Unconfined'`);
  }

  /**
   * The address and cluster network of each interface on the target cluster. A missing address is
   * reported here once; an interface on a network the cluster lacks is reported by the fleet when it
   * allocates (so only outside a fleet here).
   */
  private resolveAttachments(options: VariantOptions, where: string): ResolvedAttachment[] {
    const result: ResolvedAttachment[] = [];
    const cluster = options.target.name;
    for (const iface of this.interfaceList) {
      const network = (options.target.networks ?? []).find(n => n.name === iface.networkInstance);
      const what = `interface "${iface.name}" of ${this.kind.displayName} "${this.name}" on network "${iface.networkInstance}"`;
      if (!network) {
        if (!options.fleet) {
          const offered = (options.target.networks ?? []).map(n => n.name);
          this.problems.add(`interfaces.${iface.name}`, `${what}: cluster "${cluster}" has no such network (it declares ${offered.length > 0 ? offered.map(n => `"${n}"`).join(', ') : 'none'}); declare it in the cluster's networks`, where);
        }
        continue;
      }
      let address = options.addresses?.[iface.name];
      if (!address && !options.fleet && iface.ipv4Address !== undefined) {
        // Outside a fleet nothing allocates: a fixed address stands, on the network's gateway.
        const gateway = iface.ipv4Gateway ?? network.gateway ?? firstHost(network.subnet);
        if (gateway) address = { network: network.name, address: iface.ipv4Address, gateway };
      }
      if (!address) {
        this.problems.add(`interfaces.${iface.name}`, `${what} has no address on cluster "${cluster}": its NFDeployment, pod annotation and NetworkAttachmentDefinition need one (VariantOptions.addresses, allocated by the fleet from the network's subnet ${network.subnet})`, where);
        continue;
      }
      if ((network.cni === 'macvlan' || network.cni === 'ipvlan') && network.masterInterface === undefined) {
        this.problems.add(`interfaces.${iface.name}`, `${what}: network "${network.name}" of cluster "${cluster}" is ${network.cni} but names no masterInterface for its NetworkAttachmentDefinition`, where);
        continue;
      }
      result.push({ interfaceName: iface.name, network, address });
    }
    return result;
  }

  /** The peers' NFDeployments as they run, one per placed instance the operator reads. */
  private resolvePeers(options: VariantOptions, where: string): ResolvedPeer[] {
    if (!this.operator) return [];
    const operator = this.operator;
    const result: ResolvedPeer[] = [];
    for (const peer of this.peerList) {
      let instances: Array<{ cluster?: string; addresses: Record<string, InterfaceAddress> }>;
      if (options.fleet) {
        // A production SMF never reads a staging UPF: peers count in the target's environment only.
        const placed = options.fleet.instancesOf(peer)
          .filter(p => p.target.environment === options.target.environment)
          .map(p => ({ cluster: p.target.name, addresses: p.addresses }));
        if (placed.length === 0) {
          this.problems.add('peers', `peer ${peer.kind.displayName} "${peer.name}" is placed on no cluster of environment "${options.target.environment}", so ${operator.name} cannot read its NFDeployment: place it there`, where);
          continue;
        }
        const local = placed.filter(p => p.cluster === options.target.name);
        if (operator.readsEveryPeer) {
          instances = placed;
        } else if (local.length > 0 || placed.length === 1) {
          instances = local.length > 0 ? local : placed;
        } else {
          this.problems.add('peers', `peer ${peer.kind.displayName} "${peer.name}" runs on ${placed.map(p => `"${p.cluster}"`).join(', ')} and not on "${options.target.name}"; ${operator.name} reads one: place the peer on this cluster or on one cluster only`, where);
          continue;
        }
      } else {
        // Outside a fleet, peers run on the same cluster with their fixed addresses.
        instances = [{
          addresses: Object.fromEntries(peer.interfaceList.filter(i => i.ipv4Address !== undefined && i.ipv4Gateway !== undefined)
            .map(i => [i.name, { network: i.networkInstance, address: i.ipv4Address!, gateway: i.ipv4Gateway! }])),
        }];
      }
      for (const instance of instances) {
        const missing = operator.peerInterfaces.filter(name => peer.interfaceList.some(i => i.name === name) && !instance.addresses[name]);
        const absent = operator.peerInterfaces.filter(name => !peer.interfaceList.some(i => i.name === name));
        if (absent.length > 0) {
          this.problems.add('peers', `${operator.name} reads interfaces ${operator.peerInterfaces.join(', ')} of peer "${peer.name}" (${operator.source}); it has no ${absent.join(', ')}`, where);
        }
        if (missing.length > 0) {
          this.problems.add('peers', `interfaces ${missing.join(', ')} of peer "${peer.name}"${instance.cluster ? ` on cluster "${instance.cluster}"` : ''} have no address for ${operator.name} to read`, where);
        }
        const name = instance.cluster ? `${peer.name}-${instance.cluster}` : peer.name;
        const nameError = checkDnsLabel(name);
        if (nameError) this.problems.add('peers', `the Config of peer "${peer.name}" would be named "${name}": ${nameError}`, where);
        result.push({
          name,
          nfDeployment: nfDeploymentManifest(name, peer.namespace, {
            provider: peer.kind.provider,
            capacity: peer.capacity,
            alwaysCapacity: false,
            interfaces: peer.interfaceList,
            addresses: instance.addresses,
          }),
        });
      }
    }
    return result;
  }

  /** What the operator dereferences: reported per variant, where the operator would fail. */
  private checkOperatorNeeds(options: VariantOptions, where: string): void {
    const operator = this.operator!;
    const names = this.interfaceList.map(i => i.name);
    const missing = operator.requiredInterfaces.filter(n => !names.includes(n));
    if (missing.length > 0) {
      this.problems.add('interfaces', `${operator.name} reads interfaces ${operator.requiredInterfaces.join(', ')} of ${this.kind.displayName} "${this.name}" (${operator.source}) and fails without them; add ${missing.join(', ')} with addInterface() (the interface name must match)`, where);
    }
    if (operator.requiredPeerProviders.length > 0 && !this.peerList.some(p => operator.requiredPeerProviders.includes(p.kind.provider))) {
      const others = this.peerList.map(p => `"${p.name}" (${p.kind.provider})`);
      this.problems.add('peers', `${operator.name} reads the NFDeployment of a peer with provider ${operator.requiredPeerProviders.join(' or ')} through parametersRefs (${operator.source}) and fails without one${others.length > 0 ? `; its peers ${others.join(', ')} have another provider` : ''}: add it with addPeer(), or use the workload model`, where);
    }
    if (operator.readsRanConfig) {
      if (this.ran === undefined) {
        this.problems.add('ran', `${operator.name} reads PLMN, TAC and cell settings from the NFConfig of ${this.kind.displayName} "${this.name}" (nephio-project/oai internal/controller/randeployment_controller.go); set props.ran`, where);
      }
      const first = this.recordSource.nssai()[0];
      if (!first || first.sd === undefined) {
        this.problems.add('slices', `${operator.name} reads the first S-NSSAI of the PLMN and its SD (${operator.source}); add ${this.kind.displayName} "${this.name}" to a NetworkSlice with an sd`, where);
      }
    }
    void options;
  }

  /** Copies into a variant every object a user added to the blueprint package. */
  private copyAddedObjects(pkg: KptPackage): void {
    for (const construct of this.blueprint.node.findAll()) {
      if (!ApiObject.isApiObject(construct) || this.ownBlueprintObjects.has(construct)) continue;
      if (Chart.of(construct) !== this.blueprint) continue;
      const relative = construct.node.path.slice(this.blueprint.node.path.length + 1);
      new BlueprintObjectCopy(pkg, `Added-${relative.replace(/\//g, '-')}`, construct);
    }
  }

  /**
   * The OAI RAN operator names what it creates after the NF kind, not the NFDeployment
   * (`oai-cu-cp`, `oai-cu-cp-configmap`, ...): two such NFs of one kind in one namespace would share them.
   */
  private checkFixedOperatorNames(context: SynthContext): void {
    if (!this.operator?.readsRanConfig) return;
    let byKey = FIXED_NAME_OWNERS.get(context);
    if (!byKey) {
      byKey = new Map();
      FIXED_NAME_OWNERS.set(context, byKey);
      for (const c of this.node.root.node.findAll()) {
        if (!NetworkFunction.isNetworkFunction(c) || !c.operator?.readsRanConfig) continue;
        const key = `${c.kind.provider} ${c.namespace}`;
        byKey.set(key, [...(byKey.get(key) ?? []), c.name]);
      }
    }
    const owners = byKey.get(`${this.kind.provider} ${this.namespace}`) ?? [];
    if (owners.length > 1) {
      context.problems.add(this.node.path, 'namespace', `${this.operator.name} names the Deployment it creates for every ${this.kind.displayName} "${this.operator.podLabels(this.name)['app.kubernetes.io/name']}" (${this.operator.source}); ${owners.map(n => `"${n}"`).join(', ')} share namespace "${this.namespace}": give each its own namespace`);
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

  private checkResources(resources: NormalizedResources | undefined, field: string, path?: string, rules = true): void {
    if (resources === undefined) return;
    const resourceName = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
    for (const list of ['requests', 'limits'] as const) {
      for (const [name, quantity] of Object.entries(resources[list] ?? {})) {
        if (!resourceName.test(name)) this.problems.add(`${field}.${list}.${name}`, `"${name}" is not a resource name such as "cpu", "memory" or "hugepages-1Gi"`, path);
        const error = checkQuantity(quantity);
        if (error) this.problems.add(`${field}.${list}.${name}`, error, path);
      }
    }
    if (rules) for (const [f, message] of this.resourceProblems(resources)) this.problems.add(`${field}.${f}`, message, path);
  }
}

// Invalid values are reported once, on the prop; rendering without them keeps the schema
// validation of the written objects from repeating the same problem.
function withoutInvalidQuantities(resources: NormalizedResources | undefined): NormalizedResources | undefined {
  if (!resources) return undefined;
  const valid = (list: Record<string, string> | undefined) => list && Object.fromEntries(Object.entries(list).filter(([, q]) => !checkQuantity(q)));
  return { requests: valid(resources.requests), limits: valid(resources.limits) };
}

function withoutInvalidThroughput(capacity: NfCapacity): NfCapacity {
  const valid = (q: string | undefined) => q !== undefined && !checkQuantity(q) ? q : undefined;
  return { ...capacity, maxUplinkThroughput: valid(capacity.maxUplinkThroughput), maxDownlinkThroughput: valid(capacity.maxDownlinkThroughput) };
}

/** The requests and limits of a pod: the sum over its containers, by resource. */
function podResources(containers: Array<NormalizedResources | undefined>): NormalizedResources {
  const sum = (list: 'requests' | 'limits') => {
    const total: Record<string, number> = {};
    for (const c of containers) {
      for (const [k, q] of Object.entries(c?.[list] ?? {})) if (!checkQuantity(q)) total[k] = (total[k] ?? 0) + parseQuantity(q);
    }
    return Object.fromEntries(Object.entries(total).map(([k, v]) => [k, String(v)]));
  };
  return { requests: sum('requests'), limits: sum('limits') };
}

/** Overrides win key by key: a limits-only override keeps the blueprint's requests. */
function mergeResources(base: NormalizedResources | undefined, override: NormalizedResources | undefined): NormalizedResources | undefined {
  if (!override) return base;
  if (!base) return override;
  const requests = base.requests || override.requests ? { ...base.requests, ...override.requests } : undefined;
  const limits = base.limits || override.limits ? { ...base.limits, ...override.limits } : undefined;
  return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
}

/** NFs of each OAI kind and namespace, gathered once per synth. */
const FIXED_NAME_OWNERS = new WeakMap<SynthContext, Map<string, string[]>>();

/** What a workload is rendered from; two variants with equal settings have equal resources. */
interface NfWorkloadSettings {
  readonly image: string;
  readonly replicas: number;
  readonly resources?: NormalizedResources;
  readonly configuration: Record<string, string>;
  readonly addresses?: Record<string, InterfaceAddress>;
  /** What the variant's overrides change in the workload shape (the NF's own shape is the same in every package). */
  readonly shape: WorkloadShape;
  readonly deviceResources?: Record<string, number>;
}

/** An interface's address and the cluster network its attachment is built from. */
interface ResolvedAttachment {
  readonly interfaceName: string;
  readonly network: NetworkDefinition;
  readonly address: InterfaceAddress;
}

/** Everything a variant's resources (before its pipeline) are rendered from. */
function variantKey(model: NfDeploymentModel, settings: NfWorkloadSettings, attachments: ResolvedAttachment[], peers: ResolvedPeer[]): string {
  return JSON.stringify([model, settings.image, settings.replicas, sortedDeep(settings.resources ?? null), sortedDeep(settings.configuration),
    sortedDeep(attachments), sortedDeep(peers), sortedDeep(settings.shape), sortedDeep(settings.deviceResources ?? {})]);
}

/** The first host address of an IPv4 subnet, e.g. `10.0.3.1` for `10.0.3.0/24`. */
function firstHost(subnet: string): string | undefined {
  const [address, prefix] = subnet.split('/');
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some(o => !Number.isInteger(o)) || prefix === undefined) return undefined;
  const bits = Number(prefix);
  const base = (((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0) & (bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0);
  const host = (base + 1) >>> 0;
  return [host >>> 24, (host >>> 16) & 255, (host >>> 8) & 255, host & 255].join('.');
}

/** A variant's copy of an object added to the blueprint: the blueprint object's JSON, rendered at synth. */
class BlueprintObjectCopy extends ApiObject {
  constructor(scope: Construct, id: string, private readonly original: ApiObject) {
    super(scope, id, { apiVersion: original.apiVersion, kind: original.kind });
  }

  public toJson(): any {
    return JSON.parse(JSON.stringify(this.original.toJson()));
  }
}

function sortedDeep(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedDeep);
  return Object.fromEntries(Object.keys(value as object).sort().map(k => [k, sortedDeep((value as Record<string, unknown>)[k])]));
}

/** A variant package of an earlier synth may have been removed from the tree since. */
/**
 * True when every variant is to be rendered from its own construct tree, reusing no other
 * variant's rendering (NEPHORAN_RENDER_EVERY_VARIANT=1): the reference the reuse is checked against.
 */
function rendersEveryVariant(): boolean {
  const value = process.env.NEPHORAN_RENDER_EVERY_VARIANT;
  return value !== undefined && value !== '' && value !== '0';
}

/**
 * The patch that gives a reused workload rendering a variant's configuration values: the
 * ConfigMap's data with them set, and the Deployment's pod template annotated with the digest of
 * that data, as NfWorkload renders them. Other objects are shared as they are.
 */
/** The names withConfiguration finds a workload's ConfigMap and Deployment by. */
interface WorkloadNames {
  readonly name: string;
  readonly namespace: string;
  readonly configMapName: string;
}

function withConfiguration(workload: WorkloadNames, configuration: Record<string, string>): RenderedResourcesPatch {
  return resources => {
    const isConfigMap = (o: Record<string, any>) => o.apiVersion === 'v1' && o.kind === 'ConfigMap'
      && o.metadata?.name === workload.configMapName && o.metadata?.namespace === workload.namespace;
    const isDeployment = (o: Record<string, any>) => o.apiVersion === 'apps/v1' && o.kind === 'Deployment'
      && o.metadata?.name === workload.name && o.metadata?.namespace === workload.namespace;
    const configMaps = resources.filter(r => isConfigMap(r.object));
    const deployments = resources.filter(r => isDeployment(r.object));
    if (configMaps.length !== 1 || deployments.length !== 1
      || deployments[0].object.spec?.template?.metadata?.annotations?.[CONFIG_DIGEST_ANNOTATION] === undefined) {
      throw new Error(`internal: the rendering reused for ${workload.namespace}/${workload.name} has no single ConfigMap ${workload.configMapName} and Deployment with a ${CONFIG_DIGEST_ANNOTATION} annotation`);
    }
    const configMap = configMaps[0].object;
    const given: Record<string, string> = { ...configMap.data, ...configuration };
    // Keys the variant adds go where cdk8s puts them in a rendered ConfigMap: in sorted order.
    const adds = Object.keys(configuration).some(key => !Object.prototype.hasOwnProperty.call(configMap.data ?? {}, key));
    const data: Record<string, string> = adds ? Object.fromEntries(Object.keys(given).sort().map(key => [key, given[key]])) : given;
    const digest = configurationDigest(data);
    return resources.map(r => {
      if (r.object === configMap) return { ...r, object: { ...configMap, data } };
      if (r.object !== deployments[0].object) return r;
      const deployment = r.object;
      const template = deployment.spec.template;
      return {
        ...r,
        object: {
          ...deployment,
          spec: {
            ...deployment.spec,
            template: {
              ...template,
              metadata: {
                ...template.metadata,
                annotations: { ...template.metadata.annotations, [CONFIG_DIGEST_ANNOTATION]: digest },
              },
            },
          },
        },
      };
    });
  };
}

function isStillDeclared(pkg: KptPackage): boolean {
  return pkg.node.scope?.node.tryFindChild(pkg.node.id) === pkg;
}
