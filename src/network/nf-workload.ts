import { createHash } from 'crypto';
import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { NfCapacity } from './capacity';
import { DataNetwork, NfPort } from './interfaces';
import { attachmentName } from './network-attachment';
import { NfKind } from './nf-kind';
import { NfContainerSecurity, NfSidecar, NfVolume } from './nf-workload-options';
import { HUGEPAGE_MEDIUMS, hugepageResources, NormalizedResources } from './resources';
import { parseImageReference } from './validation';
import { WorkloadShape } from './workload-shape';
import { InterfaceAddress, WorkloadEnvValue, WorkloadProbe } from '../kpt/blueprint';
import { KptPackage } from '../kpt/kpt-package';
import { compareStrings } from '../repo/compare';

/** Pod annotation Multus reads the secondary networks from. */
export const MULTUS_NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';
/** Pod annotation holding a digest of the NF configuration, so that a change rolls the pods. */
export const CONFIG_DIGEST_ANNOTATION = 'workload.nephio.org/configMapVersion';
/** The label that selects an NF's pods (Deployment, Service and slice NetworkPolicies use it). */
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
/** Annotation justifying `hostNetwork: true`, which the host-network policy rule requires. */
export const HOST_NETWORK_REASON_ANNOTATION = 'nephoran.io/host-network-reason';
/** UID and GID NFs without data-plane capabilities run as. */
export const NON_ROOT_ID = 65532;

/** An interface as an NF resolved it: names filled in. */
export interface ResolvedInterface {
  readonly name: string;
  readonly typeName: string;
  readonly networkInstance: string;
  readonly ipv4Address?: string;
  readonly ipv4Gateway?: string;
  readonly vlanId?: number;
  readonly dataNetworks: DataNetwork[];
}

/** What the workload of an NF is built from; read lazily, at synth. */
export interface NfWorkloadSource {
  readonly name: string;
  /** Written on every object: set-namespace adds a missing namespace only to kinds it knows. */
  readonly namespace: string;
  readonly kind: NfKind;
  readonly configMapName: string;
  readonly hostNetwork: boolean;
  /** Why the NF needs the host network; written as the annotation policies look for. */
  readonly hostNetworkReason?: string;
  readonly runAsUser?: number;
  readonly readOnlyRootFilesystem: boolean;
  readonly configurationMountPath: string;
  readonly capacity?: NfCapacity;
  /** Container security beyond the defaults (props.workload.securityContext). */
  readonly security?: NfContainerSecurity;
  /** Where hugepages are mounted. */
  readonly hugepagesMountPath: string;
  /** Ports, in order. */
  portList(): NfPort[];
  /** Interfaces, in order. */
  interfaceList(): ResolvedInterface[];
  /** Configuration values written by the NF itself (its props and addConfiguration()). */
  configurationValue(key: string): string | undefined;
  /** Configuration written by the slices the NF serves (reserved keys). */
  sliceConfiguration(): Record<string, string>;
  /** Sidecars, valid ones only, in order. */
  sidecarList(): NfSidecar[];
  /** Volumes, valid ones only, in order. */
  volumeList(): NfVolume[];
}

/** How one package's workload is shaped: the NF's own shape with the variant's overrides merged over it. */
export interface NfWorkloadShaping {
  readonly shape: WorkloadShape;
  /** Replicas when not autoscaled. */
  readonly replicas: number;
  /** Device-plugin resources the variant's SR-IOV attachments need, by resource name (e.g. `intel.com/sriov_netdevice: 2`). */
  readonly deviceResources?: Record<string, number>;
}

/** Values a variant changes; undefined means the blueprint's. */
export interface NfWorkloadValues {
  readonly image: string;
  readonly replicas: number;
  readonly resources?: NormalizedResources;
  readonly configuration: Record<string, string>;
  /** Addresses allocated on the target cluster, by interface name; undefined in the blueprint. */
  readonly addresses?: Record<string, InterfaceAddress>;
}

/**
 * The Kubernetes resources of one NF in one package (the blueprint or a variant): ServiceAccount,
 * ConfigMap, Deployment and Service built with cdk8s-plus-28 (workload model only: in the operator
 * model the operator creates them). The NF forwards every later addPort()/addInterface()/addConfiguration() to each of its workloads.
 */
export class NfWorkload {
  private readonly configMap: plus.ConfigMap;
  private readonly container: plus.Container;
  private readonly deployment: plus.Deployment;
  private readonly service: plus.Service;
  private readonly configKeys = new Set<string>();
  private networksAnnotated = false;
  private recreateStrategy = false;
  private shaped = false;

  constructor(private readonly pkg: KptPackage, private readonly source: NfWorkloadSource, private readonly values: NfWorkloadValues) {
    const name = source.name;
    const namespace = source.namespace;
    const kind = source.kind;
    const selector = { [INSTANCE_LABEL]: name };

    const serviceAccount = new plus.ServiceAccount(pkg, 'ServiceAccount', {
      metadata: { name, namespace },
      automountToken: false, // NFs do not call the Kubernetes API
    });

    this.configMap = new plus.ConfigMap(pkg, 'ConfigMap', { metadata: { name: source.configMapName, namespace } });
    // Slice profiles are known only once every slice has its members: resolve them at synth.
    for (const key of SLICE_CONFIGURATION_KEYS) {
      this.configMap.addData(key, Lazy.any({ produce: () => source.sliceConfiguration()[key] }) as unknown as string);
    }
    for (const key of Object.keys(values.configuration)) this.addConfigurationKey(key);

    const image = parseImageReference(values.image);
    const pinnedByDigest = !('error' in image) && image.digest !== undefined;
    const capabilities = kind.capabilities;
    const nonRoot = source.runAsUser === undefined ? capabilities.length === 0 : source.runAsUser !== 0;
    const user = nonRoot ? source.runAsUser ?? NON_ROOT_ID : source.runAsUser;
    const security = source.security ?? {};
    const group = security.runAsGroup ?? (nonRoot ? user : undefined);
    const added = [...new Set([...capabilities, ...(security.addCapabilities ?? [])])];

    const configVolume = plus.Volume.fromConfigMap(pkg, 'ConfigVolume', this.configMap, { name: 'config' });
    this.deployment = new plus.Deployment(pkg, 'Deployment', {
      metadata: { name, namespace },
      replicas: values.replicas,
      select: false,
      serviceAccount,
      automountServiceAccountToken: false,
      hostNetwork: source.hostNetwork,
      // On the host network, ClusterFirst would resolve with the node's resolver, not cluster DNS.
      dns: source.hostNetwork ? { policy: plus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET } : undefined,
      // Two pods cannot hold one host port or one static address: replace, do not surge.
      strategy: source.hostNetwork ? plus.DeploymentStrategy.recreate() : undefined,
      securityContext: {
        ensureNonRoot: nonRoot,
        user,
        group,
        fsGroup: group,
      },
      containers: [],
    });
    this.container = this.deployment.addContainer({
      name: kind.name,
      image: values.image,
      // A digest never changes what it names; a tag can, so check it on every start.
      imagePullPolicy: pinnedByDigest ? plus.ImagePullPolicy.IF_NOT_PRESENT : plus.ImagePullPolicy.ALWAYS,
      // Set below from the given requirements only: cdk8s-plus would otherwise invent defaults.
      resources: {},
      securityContext: {
        ensureNonRoot: nonRoot,
        user,
        group,
        privileged: security.privileged ?? false,
        allowPrivilegeEscalation: security.allowPrivilegeEscalation ?? false,
        readOnlyRootFilesystem: source.readOnlyRootFilesystem,
        capabilities: {
          drop: [plus.Capability.ALL],
          ...(added.length > 0 ? { add: added as plus.Capability[] } : {}),
        },
        seccompProfile: { type: security.seccompProfile === 'Unconfined' ? plus.SeccompProfileType.UNCONFINED : plus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      volumeMounts: [{ path: source.configurationMountPath, volume: configVolume, readOnly: true }],
    });
    if (source.readOnlyRootFilesystem) {
      this.container.mount('/tmp', plus.Volume.fromEmptyDir(pkg, 'TmpVolume', 'tmp'));
    }

    const deploymentObject = ApiObject.of(this.deployment);
    // cdk8s-plus labels every pod with a hash of its construct path; selection uses the instance label.
    deploymentObject.addJsonPatch(JsonPatch.remove(`/spec/template/metadata/labels/${escapePointer(plus.Pod.ADDRESS_LABEL)}`));
    this.deployment.podMetadata.addLabel(INSTANCE_LABEL, name);
    if (source.hostNetwork && source.hostNetworkReason) {
      this.deployment.metadata.addAnnotation(HOST_NETWORK_REASON_ANNOTATION, source.hostNetworkReason);
    }
    this.deployment.select(plus.LabelSelector.of({ labels: selector }));
    this.deployment.podMetadata.addAnnotation(CONFIG_DIGEST_ANNOTATION, Lazy.any({ produce: () => this.configDigest() }) as unknown as string);

    this.service = new plus.Service(pkg, 'Service', { metadata: { name, namespace } });
    this.service.selectLabel(INSTANCE_LABEL, name);

    for (const port of source.portList()) this.addPort(port);
    for (const iface of source.interfaceList()) this.addInterface(iface);
  }

  /**
   * Applies the workload shape once all of it is known (a variant at render, the blueprint at synth):
   * container resources (with hugepage mounts and SR-IOV devices), command, probes, env, volumes,
   * sidecars, scheduling, and the PodDisruptionBudget and HorizontalPodAutoscaler beside the Deployment.
   */
  public applyShape(shaping: NfWorkloadShaping): void {
    if (this.shaped) return;
    this.shaped = true;
    const pkg = this.pkg;
    const { shape } = shaping;
    const name = this.source.name;
    const namespace = this.source.namespace;
    const deploymentObject = ApiObject.of(this.deployment);
    const pod = '/spec/template/spec';

    const resources = withDeviceResources(this.values.resources, shaping.deviceResources);
    const rendered = renderResources(resources);
    if (rendered) deploymentObject.addJsonPatch(JsonPatch.add(`${pod}/containers/0/resources`, rendered));
    const hugepages = hugepageResources(resources);
    for (const resource of hugepages) {
      const size = resource.slice('hugepages-'.length);
      // hugetlbfs of one page size; two sizes need two mounts (Kubernetes refuses a plain HugePages medium then).
      const volume = plus.Volume.fromEmptyDir(pkg, `Hugepages-${size}`, `hugepages-${size.toLowerCase()}`, { medium: HUGEPAGE_MEDIUMS[resource] as plus.EmptyDirMedium });
      this.container.mount(hugepages.length > 1 ? `${this.source.hugepagesMountPath}-${size}` : this.source.hugepagesMountPath, volume);
    }

    if (shape.command) deploymentObject.addJsonPatch(JsonPatch.add(`${pod}/containers/0/command`, [...shape.command]));
    if (shape.args) deploymentObject.addJsonPatch(JsonPatch.add(`${pod}/containers/0/args`, [...shape.args]));
    for (const [field, probe] of [['livenessProbe', shape.livenessProbe], ['readinessProbe', shape.readinessProbe], ['startupProbe', shape.startupProbe]] as const) {
      if (probe) deploymentObject.addJsonPatch(JsonPatch.add(`${pod}/containers/0/${field}`, renderProbe(probe)));
    }
    for (const [key, value] of Object.entries(shape.env ?? {}).sort(([a], [b]) => compareStrings(a, b))) {
      this.container.env.addVariable(key, this.envValue(`Env-${key}`, value));
    }
    (shape.envFrom ?? []).forEach((from, i) => {
      this.container.env.copyFrom(from.configMap !== undefined
        ? plus.Env.fromConfigMap(plus.ConfigMap.fromConfigMapName(pkg, `EnvFrom-${i}`, from.configMap), from.prefix)
        : plus.Env.fromSecret(plus.Secret.fromSecretName(pkg, `EnvFrom-${i}`, from.secret!)));
    });

    const volumes = new Map<string, plus.Volume>();
    for (const v of this.source.volumeList()) {
      const volume = this.volumeOf(v);
      volumes.set(v.name, volume);
      if (v.mountPath !== undefined) this.container.mount(v.mountPath, volume, v.readOnly ? { readOnly: true } : undefined);
      else this.deployment.addVolume(volume);
    }
    this.source.sidecarList().forEach((sidecar, i) => this.addSidecarContainer(sidecar, i + 1, volumes));

    if (shape.nodeSelector && Object.keys(shape.nodeSelector).length > 0) {
      deploymentObject.addJsonPatch(JsonPatch.add(`${pod}/nodeSelector`, sortedRecord(shape.nodeSelector)));
    }
    const affinity = renderAffinity(shape, { [INSTANCE_LABEL]: name });
    if (affinity) deploymentObject.addJsonPatch(JsonPatch.add(`${pod}/affinity`, affinity));
    if (shape.tolerations && shape.tolerations.length > 0) {
      deploymentObject.addJsonPatch(JsonPatch.add(`${pod}/tolerations`, shape.tolerations.map(t => ({
        ...(t.key !== undefined ? { key: t.key } : {}),
        operator: t.operator ?? 'Equal',
        ...(t.value !== undefined && t.value !== '' ? { value: t.value } : {}),
        ...(t.effect !== undefined ? { effect: t.effect } : {}),
        ...(t.tolerationSeconds !== undefined ? { tolerationSeconds: t.tolerationSeconds } : {}),
      }))));
    }
    if (shape.topologySpread && shape.topologySpread.length > 0) {
      deploymentObject.addJsonPatch(JsonPatch.add(`${pod}/topologySpreadConstraints`, shape.topologySpread.map(c => ({
        maxSkew: c.maxSkew ?? 1,
        topologyKey: c.topologyKey,
        whenUnsatisfiable: c.whenUnsatisfiable ?? 'DoNotSchedule',
        labelSelector: { matchLabels: { [INSTANCE_LABEL]: name } },
      }))));
    }
    if (shape.priorityClassName !== undefined) deploymentObject.addJsonPatch(JsonPatch.add(`${pod}/priorityClassName`, shape.priorityClassName));

    const autoscaling = shape.autoscaling;
    if (autoscaling) {
      // A GitOps sync re-applying a fixed count would undo every scaling decision of the autoscaler.
      deploymentObject.addJsonPatch(JsonPatch.remove('/spec/replicas'));
      new plus.k8s.KubeHorizontalPodAutoscalerV2(pkg, 'Autoscaler', {
        metadata: { name, namespace },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          minReplicas: autoscaling.minReplicas ?? 1,
          maxReplicas: autoscaling.maxReplicas,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscaling.cpuUtilization ?? 80 } } }],
        },
      });
    }
    const budget = shape.podDisruptionBudget;
    if (budget) {
      const count = (v: number | string) => typeof v === 'number' ? plus.k8s.IntOrString.fromNumber(v) : plus.k8s.IntOrString.fromString(v);
      new plus.k8s.KubePodDisruptionBudget(pkg, 'DisruptionBudget', {
        metadata: { name, namespace },
        spec: {
          selector: { matchLabels: { [INSTANCE_LABEL]: name } },
          ...(budget.minAvailable !== undefined ? { minAvailable: count(budget.minAvailable) } : {}),
          ...(budget.maxUnavailable !== undefined ? { maxUnavailable: count(budget.maxUnavailable) } : {}),
        },
      });
    }
  }

  private envValue(id: string, value: WorkloadEnvValue): plus.EnvValue {
    if (typeof value === 'string') return plus.EnvValue.fromValue(value);
    if ('fieldPath' in value) {
      const keyed = /^(metadata\.(?:labels|annotations))\['([^']+)'\]$/.exec(value.fieldPath);
      return keyed
        ? plus.EnvValue.fromFieldRef(keyed[1] as plus.EnvFieldPaths, { key: keyed[2] })
        : plus.EnvValue.fromFieldRef(value.fieldPath as plus.EnvFieldPaths);
    }
    if ('configMap' in value) {
      return plus.EnvValue.fromConfigMap(plus.ConfigMap.fromConfigMapName(this.pkg, id, value.configMap), value.key, { optional: value.optional });
    }
    return plus.EnvValue.fromSecretValue(
      { secret: plus.Secret.fromSecretName(this.pkg, id, value.secret), key: value.key },
      { optional: value.optional },
    );
  }

  private volumeOf(v: NfVolume): plus.Volume {
    const id = `Volume-${v.name}`;
    if (v.configMap !== undefined) return plus.Volume.fromConfigMap(this.pkg, id, plus.ConfigMap.fromConfigMapName(this.pkg, `${id}-ConfigMap`, v.configMap), { name: v.name });
    if (v.secret !== undefined) return plus.Volume.fromSecret(this.pkg, id, plus.Secret.fromSecretName(this.pkg, `${id}-Secret`, v.secret), { name: v.name });
    if (v.persistentVolumeClaim !== undefined) {
      return plus.Volume.fromPersistentVolumeClaim(this.pkg, id, plus.PersistentVolumeClaim.fromClaimName(this.pkg, `${id}-Claim`, v.persistentVolumeClaim), { name: v.name, readOnly: v.readOnly });
    }
    return plus.Volume.fromEmptyDir(this.pkg, id, v.name, {
      medium: v.emptyDir?.medium === 'Memory' ? plus.EmptyDirMedium.MEMORY : undefined,
      sizeLimit: v.emptyDir?.sizeLimit,
    });
  }

  /** A sidecar with the same hardened defaults as the NF's container (non-root, nothing added). */
  private addSidecarContainer(sidecar: NfSidecar, index: number, volumes: Map<string, plus.Volume>): void {
    const image = parseImageReference(sidecar.image);
    const container = this.deployment.addContainer({
      name: sidecar.name,
      image: sidecar.image,
      imagePullPolicy: !('error' in image) && image.digest !== undefined ? plus.ImagePullPolicy.IF_NOT_PRESENT : plus.ImagePullPolicy.ALWAYS,
      command: sidecar.command ? [...sidecar.command] : undefined,
      args: sidecar.args ? [...sidecar.args] : undefined,
      resources: {},
      securityContext: {
        ensureNonRoot: true,
        user: NON_ROOT_ID,
        group: NON_ROOT_ID,
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: [plus.Capability.ALL] },
        seccompProfile: { type: plus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      ports: (sidecar.ports ?? []).map(p => ({ number: p.port, name: p.name, protocol: (p.protocol ?? 'TCP') as plus.Protocol })),
    });
    for (const [key, value] of Object.entries(sidecar.env ?? {}).sort(([a], [b]) => compareStrings(a, b))) {
      container.env.addVariable(key, this.envValue(`Sidecar-${sidecar.name}-Env-${key}`, value));
    }
    for (const mount of sidecar.volumeMounts ?? []) {
      const volume = volumes.get(mount.volume);
      if (volume) container.mount(mount.path, volume, mount.readOnly ? { readOnly: true } : undefined);
    }
    const deploymentObject = ApiObject.of(this.deployment);
    const rendered = renderResources(sidecar.resources as NormalizedResources | undefined);
    if (rendered) deploymentObject.addJsonPatch(JsonPatch.add(`/spec/template/spec/containers/${index}/resources`, rendered));
    for (const [field, probe] of [['livenessProbe', sidecar.livenessProbe], ['readinessProbe', sidecar.readinessProbe]] as const) {
      if (probe) deploymentObject.addJsonPatch(JsonPatch.add(`/spec/template/spec/containers/${index}/${field}`, renderProbe(probe)));
    }
  }

  public addPort(port: NfPort): void {
    const protocol = port.protocol ?? plus.Protocol.TCP;
    this.container.addPort({ number: port.port, name: port.name, protocol });
    this.service.bind(port.port, { name: port.name, targetPort: port.port, protocol });
  }

  public addInterface(_iface: ResolvedInterface): void {
    if (!this.networksAnnotated) {
      this.networksAnnotated = true;
      this.deployment.podMetadata.addAnnotation(MULTUS_NETWORKS_ANNOTATION, Lazy.any({ produce: () => this.renderNetworks() }) as unknown as string);
    }
    // Every interface has a static address in a variant, which two pods cannot hold at once.
    if (!this.recreateStrategy && !this.source.hostNetwork) {
      this.recreateStrategy = true;
      ApiObject.of(this.deployment).addJsonPatch(JsonPatch.replace('/spec/strategy', { type: 'Recreate' }));
    }
  }

  /** Adds a key whose value is the variant's override, else the NF's own value. */
  public addConfigurationKey(key: string): void {
    if (this.configKeys.has(key)) return;
    this.configKeys.add(key);
    this.configMap.addData(key, Lazy.any({ produce: () => this.configurationValue(key) }) as unknown as string);
  }

  private configurationValue(key: string): string | undefined {
    return this.values.configuration[key] ?? this.source.configurationValue(key);
  }

  /** The ConfigMap data exactly as rendered, sorted by key. */
  private renderedConfiguration(): Record<string, string> {
    const data: Record<string, string> = {};
    for (const key of [...this.configKeys].sort()) {
      const value = this.configurationValue(key);
      if (value !== undefined) data[key] = value;
    }
    for (const [key, value] of Object.entries(this.source.sliceConfiguration())) data[key] = value;
    return data;
  }

  private configDigest(): string {
    return configurationDigest(this.renderedConfiguration());
  }

  private addressOf(iface: ResolvedInterface): { address: string; gateway?: string } | undefined {
    const allocated = this.values.addresses?.[iface.name];
    if (allocated) return allocated;
    return iface.ipv4Address !== undefined ? { address: iface.ipv4Address, gateway: iface.ipv4Gateway } : undefined;
  }

  /**
   * Multus network selection: one attachment per interface, named `<nf>-<interface>` like the
   * NetworkAttachmentDefinition the variant carries, with the interface's address and gateway.
   */
  private renderNetworks(): string | undefined {
    const interfaces = this.source.interfaceList();
    if (interfaces.length === 0) return undefined;
    return JSON.stringify(interfaces.map(i => {
      const address = this.addressOf(i);
      return {
        name: attachmentName(this.source.name, i.name),
        interface: i.name,
        ...(address ? { ips: [address.address] } : {}),
        ...(address?.gateway !== undefined ? { gateways: [address.gateway] } : {}),
      };
    }));
  }
}

/** The value of the pod annotation CONFIG_DIGEST_ANNOTATION for a ConfigMap's `data`. */
export function configurationDigest(data: Record<string, string>): string {
  const canonical = JSON.stringify(Object.keys(data).sort().map(k => [k, data[k]]));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** Configuration keys the slices an NF serves write; the NF's own configuration may not use them. */
export const SLICE_CONFIGURATION_KEYS = ['snssai', 'slice-profiles'];

/** Container resources in the form the cdk8s-plus L1 serializes (Quantity objects). */
function renderResources(resources: NormalizedResources | undefined): Record<string, any> | undefined {
  if (!resources) return undefined;
  const toQuantities = (list: Record<string, string> | undefined) => list && Object.keys(list).length > 0
    ? Object.fromEntries(Object.keys(list).sort().map(k => [k, plus.k8s.Quantity.fromString(list[k])]))
    : undefined;
  const requests = toQuantities(resources.requests);
  const limits = toQuantities(resources.limits);
  if (!requests && !limits) return undefined;
  return { ...(limits ? { limits } : {}), ...(requests ? { requests } : {}) };
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The resources with each SR-IOV device resource requested and limited (requests == limits), unless already set. */
function withDeviceResources(
  resources: NormalizedResources | undefined,
  devices: Record<string, number> | undefined,
): NormalizedResources | undefined {
  const extra = Object.entries(devices ?? {})
    .filter(([name]) => resources?.requests?.[name] === undefined && resources?.limits?.[name] === undefined);
  if (extra.length === 0) return resources;
  const add = (list: Record<string, string> | undefined) => sortedRecord({ ...list, ...Object.fromEntries(extra.map(([n, c]) => [n, String(c)])) });
  return { requests: add(resources?.requests), limits: add(resources?.limits) };
}

/** A Kubernetes Probe in the form the cdk8s-plus L1 serializes (ports as IntOrString). */
function renderProbe(probe: WorkloadProbe): Record<string, any> {
  const port = (p: number | string) => typeof p === 'number' ? plus.k8s.IntOrString.fromNumber(p) : plus.k8s.IntOrString.fromString(p);
  return {
    ...(probe.httpGet ? {
      httpGet: {
        path: probe.httpGet.path,
        port: port(probe.httpGet.port),
        ...(probe.httpGet.scheme ? { scheme: probe.httpGet.scheme } : {}),
      },
    } : {}),
    ...(probe.tcpSocket ? { tcpSocket: { port: port(probe.tcpSocket.port) } } : {}),
    ...(probe.exec ? { exec: { command: [...probe.exec.command] } } : {}),
    ...(probe.grpc ? { grpc: { port: probe.grpc.port, ...(probe.grpc.service !== undefined ? { service: probe.grpc.service } : {}) } } : {}),
    ...(probe.initialDelaySeconds !== undefined ? { initialDelaySeconds: probe.initialDelaySeconds } : {}),
    ...(probe.periodSeconds !== undefined ? { periodSeconds: probe.periodSeconds } : {}),
    ...(probe.timeoutSeconds !== undefined ? { timeoutSeconds: probe.timeoutSeconds } : {}),
    ...(probe.failureThreshold !== undefined ? { failureThreshold: probe.failureThreshold } : {}),
    ...(probe.successThreshold !== undefined ? { successThreshold: probe.successThreshold } : {}),
  };
}

/** Node affinity, anti-affinity to other pods, and the spread of the NF's own pods across nodes. */
function renderAffinity(shape: WorkloadShape, ownLabels: Record<string, string>): Record<string, any> | undefined {
  const expressions = (list: Array<{ key: string; operator: string; values?: string[] }>) => list.map(r => ({
    key: r.key,
    operator: r.operator,
    ...(r.values && r.values.length > 0 ? { values: [...r.values] } : {}),
  }));
  const node = shape.nodeAffinity;
  const nodeAffinity = node && (node.required || node.preferred) ? {
    ...(node.required ? {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: expressions(node.required) }] },
    } : {}),
    ...(node.preferred ? {
      preferredDuringSchedulingIgnoredDuringExecution: node.preferred.map(p => ({
        weight: p.weight,
        preference: { matchExpressions: expressions(p.requirements) },
      })),
    } : {}),
  } : undefined;
  const required: any[] = [];
  const preferred: any[] = [];
  const hostname = 'kubernetes.io/hostname';
  if (shape.spreadAcrossNodes === 'required') required.push({ labelSelector: { matchLabels: ownLabels }, topologyKey: hostname });
  if (shape.spreadAcrossNodes === 'preferred') preferred.push({ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: ownLabels }, topologyKey: hostname } });
  for (const a of shape.podAntiAffinity ?? []) {
    const term = { labelSelector: { matchLabels: sortedRecord(a.labels) }, topologyKey: a.topologyKey ?? hostname };
    if (a.weight === undefined) required.push(term);
    else preferred.push({ weight: a.weight, podAffinityTerm: term });
  }
  const podAntiAffinity = required.length > 0 || preferred.length > 0 ? {
    ...(required.length > 0 ? { requiredDuringSchedulingIgnoredDuringExecution: required } : {}),
    ...(preferred.length > 0 ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {}),
  } : undefined;
  if (!nodeAffinity && !podAntiAffinity) return undefined;
  return { ...(nodeAffinity ? { nodeAffinity } : {}), ...(podAntiAffinity ? { podAntiAffinity } : {}) };
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort().map(k => [k, record[k]]));
}
