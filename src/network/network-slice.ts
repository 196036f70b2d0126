import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { IPackageBlueprint, VariantOptions } from '../kpt/blueprint';
import { KptFunction } from '../kpt/kpt-function';
import { KptPackage } from '../kpt/kpt-package';
import { checkDnsLabel, toDnsFragment } from '../kpt/naming';
import { SynthContext } from '../repo/synth-context';
import { IRepoValidator, markRepoValidator } from '../repo/synthesizer';
import { NetworkFunction } from './network-function';
import { NfKind } from './nf-kind';
import { checkQos, SliceQos } from './qos';
import { SliceMembership } from './slice-membership';
import { checkSd, checkSst, formatSnssai, SliceServiceType, SnssaiValue } from './snssai';
import { deriveTraffic, renderAllowancePolicySpec } from './traffic';
import { checkQuantity, fallbackLabel, isIntegerIn, parseQuantity, PropProblems } from './validation';

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
   * ResourceQuota of the namespace.
   * @default - derived from the NFs in the namespace: their replicas plus rolling-update surge,
   * times their requests and limits (a resource is limited only when every such NF sets it)
   */
  readonly quota?: SliceQuota;
}

/** Folder of the slice packages in the repository. */
export const SLICES_FOLDER = 'packages/slices';
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
    const pkg = new KptPackage(scope, id, {
      path: options.path,
      info: { description: `network slice ${this.serviceType.name} (${formatSnssai(this.snssai)}) for cluster ${options.target.name}` },
      upstream: { repo: options.upstreamRepo, directory: this.blueprint.packagePath, ref: options.upstreamRef },
      mutators: [...this.pipeline(), ...options.mutators],
    });
    const resources = new SliceResources(pkg, this);
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
  }

  /** The NFs living in the slice's namespace, isolated by its NetworkPolicies. @internal */
  public get _isolatedMembers(): NetworkFunction[] {
    return this.members.filter(nf => nf.namespace === this.namespace);
  }

  /** The ResourceQuota `hard` limits. @internal */
  public _quotaHard(): Record<string, string> {
    const quota = this.quota ?? deriveQuota(this._isolatedMembers);
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

/** The slice's objects in one package: the blueprint or a variant. */
class SliceResources {
  private readonly isolated = new Set<NetworkFunction>();

  constructor(private readonly pkg: KptPackage, private readonly slice: NetworkSlice) {
    new ApiObject(pkg, 'Namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: slice.namespace },
    });
    new ApiObject(pkg, 'ResourceQuota', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: slice.name, namespace: slice.namespace },
      spec: Lazy.any({ produce: () => ({ hard: slice._quotaHard() }) }),
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

  /** Adds the allowance NetworkPolicy of an NF living in the slice's namespace. */
  public addMember(nf: NetworkFunction): void {
    if (nf.namespace !== this.slice.namespace || this.isolated.has(nf)) return;
    this.isolated.add(nf);
    const namespace = this.slice.namespace;
    new ApiObject(this.pkg, `Allow-${nf.node.addr}`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${this.slice.name}-allow-${nf.name}`, namespace },
      spec: Lazy.any({
        produce: () => {
          // Its peers are the NFs of every slice it serves, not only this one.
          const peers = nf._memberships.flatMap(m => m.members());
          return renderAllowancePolicySpec(nf, deriveTraffic(nf, peers), namespace);
        },
      }),
    });
  }
}

/** Quota for the NFs of a namespace: replicas plus rolling-update surge, times requests and limits. */
function deriveQuota(nfs: NetworkFunction[]): SliceQuota {
  // Deployments surge by 25% of their replicas, rounded up, while rolling out.
  const pods = (nf: NetworkFunction) => nf.replicas + (nf._recreatesPods ? 0 : Math.ceil(nf.replicas / 4));
  const total = (list: 'requests' | 'limits', resource: string): number | undefined => {
    let sum = 0;
    for (const nf of nfs) {
      const value = nf.resources?.[list]?.[resource];
      // A quota on a resource rejects pods that do not declare it: limit only what all declare.
      if (value === undefined || checkQuantity(value)) return undefined;
      sum += parseQuantity(value) * pods(nf);
    }
    return nfs.length > 0 ? sum : undefined;
  };
  const cpu = (v: number | undefined) => v === undefined ? undefined : `${Math.ceil(v * 1000)}m`;
  const memory = (v: number | undefined) => v === undefined ? undefined : `${Math.ceil(v / 2 ** 20)}Mi`;
  return {
    pods: nfs.reduce((sum, nf) => sum + pods(nf), 0),
    requestsCpu: cpu(total('requests', 'cpu')),
    requestsMemory: memory(total('requests', 'memory')),
    limitsCpu: cpu(total('limits', 'cpu')),
    limitsMemory: memory(total('limits', 'memory')),
  };
}
