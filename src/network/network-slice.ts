import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { NetworkFunction } from './network-function';
import { NfKind } from './nf-kind';
import { checkQos, SliceQos } from './qos';
import { SliceMembership } from './slice-membership';
import { checkSd, checkSst, formatSnssai, SliceServiceType, SnssaiValue } from './snssai';
import { deriveTraffic, NfFlow, PolicyPeer, podSelectorPeer, renderAllowancePolicySpec } from './traffic';
import { checkQuantity, fallbackLabel, isIntegerIn, PropProblems } from './validation';
import { DeploymentTarget, IFleetView, IPackageBlueprint, VariantOptions, WorkloadFootprint } from '../kpt/blueprint';
import { KptFunction } from '../kpt/kpt-function';
import { KptPackage } from '../kpt/kpt-package';
import { checkDnsLabel, toDnsFragment } from '../kpt/naming';
import { blueprintValidators } from '../policy/enforcer/package-validators';
import { SLICES_FOLDER } from '../repo/layout-paths';
import { SynthContext } from '../repo/synth-context';
import { IRepoValidator, markRepoValidator } from '../repo/synthesizer';

/** The ResourceQuota of a slice's namespace. Only the given fields are limited. */
export interface SliceQuota {
  /** Total CPU requests, e.g. `8`. @default - not limited */
  readonly requestsCpu?: string;
  /** Total memory requests, e.g. `16Gi`. @default - not limited */
  readonly requestsMemory?: string;
  /** Total CPU limits. @default - not limited */
  readonly limitsCpu?: string;
  /** Total memory limits. @default - not limited */
  readonly limitsMemory?: string;
  /** Number of pods. @default - not limited */
  readonly pods?: number;
}

/** Props of a NetworkSlice. */
export interface NetworkSliceProps {
  /** The slice/service type; its SST is the S-NSSAI's `sst`. */
  readonly serviceType: SliceServiceType;
  /**
   * Slice differentiator: exactly 6 hex digits.
   * @default - none (the S-NSSAI is the SST alone)
   */
  readonly sd?: string;
  /**
   * Name of the slice: its package folder `packages/slices/<name>/` (a DNS-1123 label).
   * @default - the construct id, lower-cased into a DNS-1123 label
   */
  readonly name?: string;
  /**
   * The slice's namespace. NFs whose namespace it is are isolated by its NetworkPolicies.
   * @default - the slice's name
   */
  readonly namespace?: string;
  /**
   * QoS of the slice's default flow.
   * @default - 5QI 9 (non-GBR, the usual default bearer) without bit rates
   */
  readonly qos?: SliceQos;
  /**
   * NFs serving the slice; add more with `addNetworkFunction()`.
   * @default - none
   */
  readonly networkFunctions?: NetworkFunction[];
  /**
   * ResourceQuota of the namespace, the same on every cluster.
   * @default - derived per cluster from the member NFs placed there in the namespace (their
   * `workloadFootprints` with the cluster's overrides): the steady state plus room for the
   * rolling update of the one workload that needs the most; a resource is limited only when
   * every such workload declares it
   */
  readonly quota?: SliceQuota;
}

/** Folder of the slice packages in the repository. */
export { SLICES_FOLDER };
const IS_NETWORK_SLICE = Symbol.for('nephoran-gitops.NetworkSlice');
const slicesByRoot = new WeakMap<IConstruct, NetworkSlice[]>();

/**
 * A network slice: an S-NSSAI with its QoS and the NFs serving it. Nephio has no slice type, so
 * the slice lives where Nephio expects it, in NF configuration: every member NF's ConfigMap gets
 * `snssai` (the S-NSSAIs it serves) and `slice-profiles`. The slice's own package at
 * `packages/slices/<name>/` holds its Namespace, a ResourceQuota, a default-deny NetworkPolicy,
 * DNS egress, and for each member NF in the namespace a NetworkPolicy allowing exactly the
 * traffic it needs with the NFs it serves slices with: the reference points they share (N2, N3,
 * N4, N9, F1, E1, E2; N6 as egress anywhere) unless both ends attach them to a secondary network,
 * and the service-based interfaces between 5G core kinds that call each other. DNS egress goes to
 * the `k8s-app: kube-dns` pods in kube-system.
 *
 * Placed by a Fleet, the variant for a cluster holds allowances only for the members placed on
 * that cluster, and each flow names its peer by where the peer runs in the same environment (a
 * flow never crosses environments):
 * - a peer on the same cluster by its pods' labels (`podSelectorLabels`, and its namespace);
 * - a peer on another cluster by an `ipBlock`: the address its interface got on the secondary
 *   network (`/32`) when the peer carries the reference point there and this end does not, else
 *   the peer cluster's `podCidrs`. When neither is known, synth fails naming both NFs, both
 *   clusters and the reference point (set `podCidrs` on the cluster, or attach the reference point
 *   to a secondary network on both ends); no flow is left out silently.
 *
 * A reference point both ends attach to a secondary network (Multus) gets no allowance: Kubernetes
 * NetworkPolicy governs only the pod network (the pod's primary interface), so traffic between
 * Multus interfaces is neither blocked nor allowed by these policies; isolate those networks by
 * their VLANs, subnets and gateways.
 *
 * The ResourceQuota of a variant is derived from the member NFs placed on its cluster in the
 * slice's namespace, with that cluster's overrides: their pods at steady state plus room for the
 * rolling update of the one workload that needs the most (a quota counts surge pods).
 *
 * @example
 * const repo = new GitOpsRepository();
 * const amf = new NetworkFunction(repo, 'amf', { kind: NfKind.AMF, namespace: 'core' });
 * const embb = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB, sd: '000001',
 *   qos: { fiveQi: 9, maximumBitRateUplink: '200 Mbps', maximumBitRateDownlink: '1 Gbps' } });
 * // The slice's dedicated NFs live in its namespace, under its NetworkPolicies.
 * const smf = new NetworkFunction(repo, 'smf-embb', { kind: NfKind.SMF, namespace: embb.namespace });
 * const upf = new NetworkFunction(repo, 'upf-embb', { kind: NfKind.UPF, namespace: embb.namespace });
 * embb.addNetworkFunction(smf);
 * embb.addNetworkFunction(upf);
 * // A shared AMF in its own namespace serves the slice as a peer the slice's NFs may reach.
 * embb.addNetworkFunction(amf);
 */
export class NetworkSlice extends Construct implements IPackageBlueprint, IRepoValidator {
  /** True when `x` is a NetworkSlice (works across copies of the library). */
  public static isNetworkSlice(x: unknown): x is NetworkSlice {
    return x !== null && typeof x === 'object' && IS_NETWORK_SLICE in (x as object);
  }

  public readonly name: string;
  public readonly namespace: string;
  public readonly serviceType: SliceServiceType;
  /** The slice differentiator in lower case, when set. */
  public readonly sd?: string;
  public readonly qos: SliceQos;
  public readonly blueprint: KptPackage;
  /** A slice variant holds the allowances and quota of the members placed on its cluster. */
  public readonly variesByCluster = true;

  private readonly problems = new PropProblems();
  private readonly members: NetworkFunction[] = [];
  private readonly packages: SliceResources[] = [];
  private readonly quota?: SliceQuota;
  private readonly membership: SliceMembership;

  constructor(scope: Construct, id: string, props: NetworkSliceProps) {
    super(scope, id);
    Object.defineProperty(this, IS_NETWORK_SLICE, { value: true });
    markRepoValidator(this);
    const root = this.node.root;
    const registered = slicesByRoot.get(root) ?? [];
    registered.push(this);
    slicesByRoot.set(root, registered);

    const name = props.name ?? toDnsFragment(id);
    const nameError = checkDnsLabel(name);
    if (nameError) this.problems.add('props.name', `${nameError}${props.name === undefined ? ` (derived from the construct id "${id}"; set props.name)` : ''}`);
    this.name = nameError ? fallbackLabel(name) : name;
    const namespace = props.namespace ?? this.name;
    const namespaceError = checkDnsLabel(namespace);
    if (namespaceError) this.problems.add('props.namespace', namespaceError);
    this.namespace = namespaceError ? fallbackLabel(namespace) : namespace;

    if (!(props.serviceType instanceof SliceServiceType)) {
      this.problems.add('props.serviceType', 'must be a SliceServiceType: EMBB (sst 1), URLLC (2), MMTC (3), V2X (4) or SliceServiceType.custom(sst)');
      this.serviceType = SliceServiceType.custom(-1);
    } else {
      this.serviceType = props.serviceType;
      const sstError = checkSst(this.serviceType.sst);
      if (sstError) this.problems.add('props.serviceType', sstError);
    }
    if (props.sd !== undefined) {
      const sdError = checkSd(props.sd);
      if (sdError) this.problems.add('props.sd', sdError);
      this.sd = typeof props.sd === 'string' ? props.sd.toLowerCase() : undefined;
    }

    this.qos = props.qos ?? { fiveQi: 9 };
    for (const p of checkQos(this.qos)) {
      if (p.warning) this.problems.warn(`props.${p.field}`, p.message);
      else this.problems.add(`props.${p.field}`, p.message);
    }
    this.quota = props.quota;
    this.checkQuota(props.quota);

    const self = this;
    this.membership = {
      snssai: this.snssai,
      profile: () => self.profile,
      members: () => [...self.members],
    };

    this.blueprint = new KptPackage(this, 'Blueprint', {
      path: `${SLICES_FOLDER}/${this.name}`,
      info: { description: `network slice ${this.serviceType.name} (${formatSnssai(this.snssai)})` },
      mutators: this.pipeline(),
      validators: blueprintValidators(this),
    });
    this.packages.push(new SliceResources(this.blueprint, this));

    for (const nf of props.networkFunctions ?? []) this.addNetworkFunction(nf);
  }

  /** The S-NSSAI: `sst` from the service type, `sd` when set. */
  public get snssai(): SnssaiValue {
    return this.sd === undefined ? { sst: this.serviceType.sst } : { sst: this.serviceType.sst, sd: this.sd };
  }

  /** The slice profile written into every member NF's `slice-profiles`. */
  public get profile(): Record<string, any> {
    return {
      name: this.name,
      snssai: this.snssai,
      serviceType: this.serviceType.name,
      qos: { ...this.qos },
    };
  }

  /** The NFs serving the slice (a copy). */
  public get networkFunctions(): NetworkFunction[] {
    return [...this.members];
  }

  /** Namespaces a cluster running the slice package must have (the package declares it too). */
  public get namespaces(): string[] {
    return [this.namespace];
  }

  /** Labels on every resource of the slice package. */
  public get labels(): Record<string, string> {
    return {
      'app.kubernetes.io/part-of': this.name,
      'app.kubernetes.io/component': 'network-slice',
    };
  }

  /**
   * Makes `nf` serve the slice: its configuration gets the slice profile, and the slice's
   * NetworkPolicies allow the traffic it needs. The NF must belong to the same repository.
   */
  public addNetworkFunction(nf: NetworkFunction): void {
    if (!NetworkFunction.isNetworkFunction(nf)) {
      this.problems.add('networkFunctions', 'addNetworkFunction() takes a NetworkFunction');
      return;
    }
    if (nf.node.root !== this.node.root) {
      this.problems.add('networkFunctions', `${nf.node.path} belongs to another repository (construct tree); a slice can only be served by NFs of its own GitOpsRepository`);
      return;
    }
    if (this.members.includes(nf)) {
      this.problems.add('networkFunctions', `${nf.node.path} already serves this slice; add each NF once`);
      return;
    }
    this.members.push(nf);
    nf._joinSlice(this.membership);
    for (const resources of this.packages) resources.addMember(nf);
  }

  /**
   * Renders the slice package for one cluster: the same Namespace, quota and NetworkPolicies at
   * `options.path`, upstream pointing at the blueprint, with `options.mutators` added. Workload
   * overrides (replicas, image, resources, configuration) do not apply to a slice and are ignored.
   */
  public renderVariant(scope: Construct, id: string, options: VariantOptions): KptPackage {
    // Variants of an earlier synth have been removed from the tree: forget them.
    for (let i = this.packages.length - 1; i >= 0; i--) if (!this.packages[i].isDeclared) this.packages.splice(i, 1);
    const pkg = new KptPackage(scope, id, {
      path: options.path,
      info: { description: `network slice ${this.serviceType.name} (${formatSnssai(this.snssai)}) for cluster ${options.target.name}` },
      upstream: { repo: options.upstreamRepo, directory: this.blueprint.packagePath, ref: options.upstreamRef },
      mutators: [...this.pipeline(), ...options.mutators],
    });
    const resources = new SliceResources(pkg, this, options.fleet ? { target: options.target, fleet: options.fleet } : undefined);
    for (const nf of this.members) resources.addMember(nf);
    this.packages.push(resources);
    return pkg;
  }

  /** @internal */
  public _validateRepo(context: SynthContext): void {
    const where = this.node.path;
    this.problems.report(where, context);

    const missing = [NfKind.SMF, NfKind.UPF].filter(kind => !this.members.some(nf => nf.kind.playsRole(kind)));
    if (missing.length > 0) {
      context.problems.add(where, 'networkFunctions', `a slice needs an SMF and a UPF to carry sessions; it has no ${missing.map(k => k.displayName).join(' and no ')}: add them with addNetworkFunction()`);
    }

    // Compare with the slices constructed before this one, so that each clash is reported once.
    const slices = slicesByRoot.get(this.node.root) ?? [];
    for (const other of slices.slice(0, slices.indexOf(this))) {
      if (other.serviceType.sst === this.serviceType.sst && other.sd === this.sd) {
        context.problems.add(where, 'snssai', `S-NSSAI ${formatSnssai(this.snssai)} is already used by slice ${other.node.path}; every slice needs its own S-NSSAI (change sd or the service type)`);
      }
      if (other.namespace === this.namespace) {
        context.problems.add(where, 'namespace', `namespace "${this.namespace}" is already the namespace of slice ${other.node.path}; each slice needs its own namespace`);
      }
    }

    for (const nf of this._isolatedMembers.filter(m => m.hostNetwork)) {
      context.problems.warn(where, 'networkFunctions', `${nf.node.path} runs on the host network, where NetworkPolicies do not reliably apply; its allowances in "${this.namespace}" may not isolate it`);
    }
    if (this.members.length > 0 && !this.members.some(nf => nf.namespace === this.namespace)) {
      context.problems.warn(where, 'namespace', `none of the slice's NFs lives in its namespace "${this.namespace}", so its NetworkPolicies isolate nothing; create the slice's dedicated NFs with namespace: slice.namespace`);
    }
    for (const resources of this.packages) {
      if (!resources.isDeclared) continue;
      for (const p of resources.flowProblems()) {
        if (p.warning) context.problems.warn(resources.path, 'networkFunctions', p.message);
        else context.problems.add(resources.path, 'networkFunctions', p.message);
      }
    }
  }

  /** The NFs living in the slice's namespace, isolated by its NetworkPolicies. @internal */
  public get _isolatedMembers(): NetworkFunction[] {
    return this.members.filter(nf => nf.namespace === this.namespace);
  }

  /**
   * The ResourceQuota `hard` limits: the given quota, or one derived from the members' footprints
   * in the namespace (on one cluster when `placement` is given). @internal
   */
  public _quotaHard(placement?: SlicePlacement): Record<string, string> {
    const quota = this.quota ?? deriveQuota(this.footprintsIn(placement));
    // Invalid values were reported on props.quota; leaving them out keeps them from being reported twice.
    const quantity = (value: string | undefined) => value !== undefined && !checkQuantity(value) ? value : undefined;
    const entries: Array<[string, string | undefined]> = [
      ['limits.cpu', quantity(quota.limitsCpu)],
      ['limits.memory', quantity(quota.limitsMemory)],
      ['pods', isIntegerIn(quota.pods, 0, 1_000_000) ? String(quota.pods) : undefined],
      ['requests.cpu', quantity(quota.requestsCpu)],
      ['requests.memory', quantity(quota.requestsMemory)],
    ];
    return Object.fromEntries(entries.filter((e): e is [string, string] => e[1] !== undefined));
  }

  /** The pods the members in the namespace run, on one cluster (its overrides) or as blueprints. */
  private footprintsIn(placement: SlicePlacement | undefined): WorkloadFootprint[] {
    const footprints: WorkloadFootprint[] = [];
    for (const nf of this._isolatedMembers) {
      const overrides = placement
        ? placement.fleet.instancesOf(nf).filter(i => i.target.name === placement.target.name).map(i => i.overrides)
        : [{}];
      for (const o of overrides) footprints.push(...nf.workloadFootprints(o).filter(f => f.namespace === this.namespace));
    }
    return footprints;
  }

  private pipeline(): KptFunction[] {
    return [KptFunction.setNamespace(this.namespace), KptFunction.setLabels(this.labels)];
  }

  private checkQuota(quota: SliceQuota | undefined): void {
    if (!quota) return;
    for (const field of ['requestsCpu', 'requestsMemory', 'limitsCpu', 'limitsMemory'] as const) {
      const value = quota[field];
      if (value === undefined) continue;
      const error = checkQuantity(value);
      if (error) this.problems.add(`props.quota.${field}`, error);
    }
    if (quota.pods !== undefined && !isIntegerIn(quota.pods, 0, 1_000_000)) {
      this.problems.add('props.quota.pods', `${JSON.stringify(quota.pods)} must be a whole number of pods, 0 or more`);
    }
  }
}

/** Where a slice variant is rendered: the cluster, and where the fleet runs everything else. */
interface SlicePlacement {
  readonly target: DeploymentTarget;
  readonly fleet: IFleetView;
}

interface FlowProblem {
  readonly message: string;
  readonly warning?: boolean;
}

/** The slice's objects in one package: the blueprint or a variant. */
class SliceResources {
  private readonly isolated = new Set<NetworkFunction>();
  private readonly allowances = new Map<NetworkFunction, { spec: Record<string, any>; problems: FlowProblem[] }>();

  constructor(private readonly pkg: KptPackage, private readonly slice: NetworkSlice, private readonly placement?: SlicePlacement) {
    // Labels written here, not only by the pipeline, so that the Namespace has the one form every
    // Namespace is written in (keys sorted, as kubectl prints them; see the fleet's namespaces package).
    new ApiObject(pkg, 'Namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: slice.namespace, labels: slice.labels },
    });
    new ApiObject(pkg, 'ResourceQuota', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: slice.name, namespace: slice.namespace },
      spec: Lazy.any({ produce: () => ({ hard: slice._quotaHard(placement) }) }),
    });
    new ApiObject(pkg, 'DefaultDeny', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${slice.name}-default-deny`, namespace: slice.namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    new ApiObject(pkg, 'AllowDns', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${slice.name}-allow-dns`, namespace: slice.namespace },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          }],
          ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
        }],
      },
    });
  }

  /** The construct path of the package, where its problems are reported. */
  public get path(): string {
    return this.pkg.node.path;
  }

  /** False once a later synth has removed the variant from the tree. */
  public get isDeclared(): boolean {
    return this.pkg.node.scope?.node.tryFindChild(this.pkg.node.id) === this.pkg;
  }

  /**
   * Adds the allowance NetworkPolicy of an NF living in the slice's namespace (in a fleet's
   * variant, only when the NF is placed on the variant's cluster).
   */
  public addMember(nf: NetworkFunction): void {
    if (nf.namespace !== this.slice.namespace || this.isolated.has(nf)) return;
    if (this.placement && !this.instancesOf(nf).some(i => i.target.name === this.placement!.target.name)) return;
    this.isolated.add(nf);
    new ApiObject(this.pkg, `Allow-${nf.node.addr}`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${this.slice.name}-allow-${nf.name}`, namespace: this.slice.namespace },
      spec: Lazy.any({ produce: () => this.allowance(nf).spec }),
    });
  }

  /** The flows of this variant that cannot be allowed (errors) or have no peer in the environment (warnings). */
  public flowProblems(): FlowProblem[] {
    return [...this.isolated].sort((a, b) => a.name.localeCompare(b.name)).flatMap(nf => this.allowance(nf).problems);
  }

  private instancesOf(nf: NetworkFunction) {
    return this.placement!.fleet.instancesOf(nf);
  }

  /** The NF's policy spec and the problems found making it, computed once per variant. */
  private allowance(nf: NetworkFunction): { spec: Record<string, any>; problems: FlowProblem[] } {
    // The blueprint's members may still change; only a variant's are final.
    const cached = this.placement ? this.allowances.get(nf) : undefined;
    if (cached) return cached;
    const namespace = this.slice.namespace;
    // Its peers are the NFs of every slice it serves, not only this one.
    const peers = nf._memberships.flatMap(m => m.members());
    const traffic = deriveTraffic(nf, peers);
    const problems: FlowProblem[] = [];
    const spec = this.placement
      ? renderAllowancePolicySpec(nf, traffic, namespace, this.fleetPeers(nf, problems))
      : renderAllowancePolicySpec(nf, traffic, namespace);
    const result = { spec, problems };
    if (this.placement) this.allowances.set(nf, result);
    return result;
  }

  /**
   * Who stands for each peer of `nf` on this variant's cluster: its pods when it runs there, and
   * an address range for each other cluster of the environment it runs on.
   */
  private fleetPeers(nf: NetworkFunction, problems: FlowProblem[]): (flow: NfFlow) => PolicyPeer[] {
    const { target } = this.placement!;
    const namespace = this.slice.namespace;
    const reported = new Set<string>();
    const report = (key: string, problem: FlowProblem) => {
      if (reported.has(key)) return;
      reported.add(key);
      problems.push(problem);
    };
    return (flow: NfFlow) => {
      const peer = flow.peer;
      const instances = this.instancesOf(peer).filter(i => i.target.environment === target.environment);
      if (instances.length === 0) {
        report(`none\n${peer.name}`, { warning: true, message: `${nf.name} on cluster ${target.name} serves a slice with ${peer.name}, which is placed on no cluster of environment ${target.environment}: no ${flow.referencePoint} traffic with it is allowed there; place ${peer.name} in that environment or remove it from the slice` });
        return [];
      }
      const result: PolicyPeer[] = [];
      const seen = new Set<string>();
      const push = (p: PolicyPeer) => {
        const key = JSON.stringify(p);
        if (!seen.has(key)) { seen.add(key); result.push(p); }
      };
      for (const instance of instances) {
        const local = instance.target.name === target.name;
        const byAddress = flow.peerInterface !== undefined && !flow.ownSecondary;
        if (byAddress) {
          // The peer sends and receives this reference point on its secondary-network address.
          const address = instance.addresses[flow.peerInterface!];
          // Without an address the allocation has reported why.
          if (address) push({ ipBlock: { cidr: `${address.address.split('/')[0]}/32` } });
          continue;
        }
        if (local) {
          push(podSelectorPeer(peer, namespace));
          continue;
        }
        const cidrs = instance.target.podCidrs ?? [];
        if (cidrs.length === 0) {
          report(`cidr\n${peer.name}\n${instance.target.name}\n${flow.referencePoint}`, {
            message: `${nf.name} on cluster ${target.name} and ${peer.name} on cluster ${instance.target.name} talk over ${flow.referencePoint} on the pod network, but the pod address range of cluster ${instance.target.name} is unknown, so the NetworkPolicy of ${nf.name} cannot allow that flow: set podCidrs on cluster ${instance.target.name}${flow.referencePoint === 'SBI' ? '' : `, or attach ${flow.referencePoint} to a secondary network on both ends (addInterface on ${nf.name} and ${peer.name})`}`,
          });
          continue;
        }
        for (const cidr of cidrs) push({ ipBlock: { cidr } });
      }
      return result;
    };
  }
}

/**
 * The quota for a namespace's workloads: their pods at steady state plus room for the rolling
 * update of the one workload needing the most, per resource; a resource is limited only when
 * every workload declares it (a quota on a resource rejects pods that do not).
 */
function deriveQuota(footprints: WorkloadFootprint[]): SliceQuota {
  const total = (resource: string | undefined, list?: 'requests' | 'limits'): number | undefined => {
    let steady = 0;
    let room = 0;
    for (const f of footprints) {
      // The API server defaults a missing request to the limit.
      const perPod = !resource ? 1 : list === 'requests' ? f.requests[resource] ?? f.limits[resource] : f.limits[resource];
      if (perPod === undefined) return undefined;
      steady += perPod * f.replicas;
      room = Math.max(room, perPod * f.surge);
    }
    return steady + room;
  };
  const cpu = (v: number | undefined) => v === undefined || footprints.length === 0 ? undefined : `${Math.ceil(v * 1000 - 1e-6)}m`;
  const memory = (v: number | undefined) => v === undefined || footprints.length === 0 ? undefined : `${Math.ceil(v / 2 ** 20 - 1e-9)}Mi`;
  return {
    pods: total(undefined),
    requestsCpu: cpu(total('cpu', 'requests')),
    requestsMemory: memory(total('memory', 'requests')),
    limitsCpu: cpu(total('cpu', 'limits')),
    limitsMemory: memory(total('memory', 'limits')),
  };
}
