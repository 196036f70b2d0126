import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IPackageBlueprint, VariantOptions, WorkloadOverrides } from '../kpt/blueprint';
import { KptPackage } from '../kpt/kpt-package';
import { checkDnsLabel, toDnsFragment } from '../kpt/naming';
import { shapeFieldsSet } from '../network/workload-shape';
import { blueprintValidators } from './enforcer/package-validators';
import { NetworkIsolation } from './network-isolation';
import { INamespaceLabelProvider, PodSecurityLevel } from './pod-security';

/** A ResourceQuota for each governed namespace; quantities are Kubernetes quantity strings. */
export interface NamespaceQuota {
  /** Total CPU requests, e.g. `16`. @default - not limited */
  readonly requestsCpu?: string;
  /** Total memory requests, e.g. `64Gi`. @default - not limited */
  readonly requestsMemory?: string;
  /** Total CPU limits. @default - not limited */
  readonly limitsCpu?: string;
  /** Total memory limits. @default - not limited */
  readonly limitsMemory?: string;
  /** Number of pods. @default - not limited */
  readonly pods?: number;
}

/** A LimitRange for containers in each governed namespace; maps of resource name to quantity. */
export interface ContainerDefaults {
  /** Requests given to containers that set none, e.g. `{ cpu: '100m', memory: '128Mi' }`. @default - none */
  readonly defaultRequests?: Record<string, string>;
  /** Limits given to containers that set none. @default - none */
  readonly defaultLimits?: Record<string, string>;
  /** The most one container may ask for. @default - no maximum */
  readonly max?: Record<string, string>;
}

/** Props of a Policy. */
export interface PolicyProps {
  /**
   * The package name: the folder under `packages/policies/` and in each deployment.
   * @default - the construct id as a DNS-1123 label
   */
  readonly name?: string;
  /**
   * The namespaces the policy governs. More can be added with `addNamespace()`.
   * @default - none yet; at least one is required by synth
   */
  readonly namespaces?: string[];
  /**
   * The Pod Security Standard enforced on the governed namespaces, through namespace labels.
   * @default PodSecurityLevel.BASELINE
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * How pods in the governed namespaces are isolated by NetworkPolicy.
   * @default NetworkIsolation.SAME_NAMESPACE
   */
  readonly isolation?: NetworkIsolation;
  /**
   * Namespaces whose pods may still reach the governed ones (for SAME_NAMESPACE and DENY_ALL).
   * @default - none
   */
  readonly allowIngressFromNamespaces?: string[];
  /**
   * A ResourceQuota per namespace.
   * @default - no ResourceQuota
   */
  readonly quota?: NamespaceQuota;
  /**
   * A LimitRange per namespace, with container defaults and maximums.
   * @default - no LimitRange
   */
  readonly containerDefaults?: ContainerDefaults;
  /**
   * A line for the Kptfile's `info.description`.
   * @default - a description listing what the policy enforces
   */
  readonly description?: string;
}

const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/**
 * A policy package at `packages/policies/<name>/`: for each governed namespace a NetworkPolicy that
 * isolates it, a ResourceQuota and a LimitRange; the Pod Security admission level goes on the
 * namespaces themselves (a Fleet writes each cluster's Namespace objects with the labels
 * `namespaceLabels()` returns). Place it on clusters like any other blueprint.
 *
 * @example
 * const corePolicy = new Policy(repo, 'core-baseline', {
 *   namespaces: ['free5gc'],
 *   podSecurity: PodSecurityLevel.BASELINE,
 *   isolation: NetworkIsolation.SAME_NAMESPACE,
 *   quota: { requestsCpu: '32', requestsMemory: '64Gi', pods: 200 },
 *   containerDefaults: { defaultRequests: { cpu: '100m', memory: '128Mi' }, defaultLimits: { cpu: '1', memory: '1Gi' } },
 * });
 * new Placement(fleet, 'core-baseline-everywhere', { blueprint: corePolicy });
 */
export class Policy extends Construct implements IPackageBlueprint, INamespaceLabelProvider {
  /** The blueprint package under `packages/policies/`. */
  public readonly blueprint: KptPackage;
  /** The package name. */
  public readonly policyName: string;
  public readonly podSecurity: PodSecurityLevel;
  public readonly isolation: NetworkIsolation;
  private readonly namespaceList: string[] = [];
  private readonly allowedIngress: string[];
  private readonly quota?: NamespaceQuota;
  private readonly containerDefaults?: ContainerDefaults;
  private readonly description: string;

  constructor(scope: Construct, id: string, props: PolicyProps = {}) {
    super(scope, id);
    this.policyName = props.name ?? toDnsFragment(id);
    const nameError = checkDnsLabel(this.policyName);
    if (nameError) throw new Error(`Policy ${this.node.path}: name ${nameError}`);
    this.podSecurity = props.podSecurity ?? PodSecurityLevel.BASELINE;
    this.isolation = props.isolation ?? NetworkIsolation.SAME_NAMESPACE;
    this.allowedIngress = [...(props.allowIngressFromNamespaces ?? [])];
    for (const ns of this.allowedIngress) {
      const error = checkDnsLabel(ns);
      if (error) throw new Error(`Policy "${this.policyName}": allowIngressFromNamespaces: namespace ${error}`);
    }
    if (props.quota) checkQuota(this.policyName, props.quota);
    if (props.containerDefaults) checkContainerDefaults(this.policyName, props.containerDefaults);
    this.quota = props.quota;
    this.containerDefaults = props.containerDefaults;
    this.description = props.description ?? this.describe();

    this.blueprint = new KptPackage(this, 'Package', {
      path: `packages/policies/${this.policyName}`,
      info: { description: this.description },
      validators: blueprintValidators(this),
    });
    for (const ns of props.namespaces ?? []) this.addNamespace(ns);

    this.node.addValidation({
      validate: () => this.namespaceList.length === 0
        ? [`policy "${this.policyName}" governs no namespace; pass props.namespaces or call addNamespace()`]
        : [],
    });
  }

  /** The namespaces the policy governs. */
  public get namespaces(): string[] {
    return [...this.namespaceList];
  }

  /** Governs one more namespace. */
  public addNamespace(namespace: string): void {
    const error = checkDnsLabel(namespace);
    if (error) throw new Error(`Policy "${this.policyName}": namespace ${error}`);
    if (this.namespaceList.includes(namespace)) throw new Error(`Policy "${this.policyName}" already governs namespace "${namespace}"`);
    this.namespaceList.push(namespace);
    this.renderNamespace(this.blueprint, namespace);
  }

  /** The Pod Security admission labels for a governed namespace. */
  public namespaceLabels(namespace: string): Record<string, string> {
    return this.namespaceList.includes(namespace) ? this.podSecurity.labels() : {};
  }

  /** Renders the policy for one cluster; a policy has no workload settings to override. */
  public renderVariant(scope: Construct, id: string, options: VariantOptions): KptPackage {
    const overridden = overriddenFields(options.overrides);
    if (overridden.length > 0) {
      throw new Error(`policy "${this.policyName}" has no ${overridden.join(', ')} to override; remove these overrides from its placement`);
    }
    const variant = new KptPackage(scope, id, {
      path: options.path,
      name: this.blueprint.packageName,
      info: { description: this.description },
      upstream: { repo: options.upstreamRepo, directory: this.blueprint.packagePath, ref: options.upstreamRef },
      mutators: options.mutators,
    });
    this.populate(variant);
    return variant;
  }

  /** Creates the policy's objects for every governed namespace in a package. */
  private populate(pkg: KptPackage): void {
    for (const ns of this.namespaceList) this.renderNamespace(pkg, ns);
  }

  private renderNamespace(scope: Construct, namespace: string): void {
    const group = new Construct(scope, `ns-${namespace}`);
    const name = (suffix: string) => `${this.policyName}-${suffix}`;
    if (this.isolation !== NetworkIsolation.NONE) {
      const fromAllowed = this.allowedIngress.map(ns => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } }));
      const denyAll = this.isolation === NetworkIsolation.DENY_ALL;
      const ingressPeers = denyAll ? fromAllowed : [{ podSelector: {} }, ...fromAllowed];
      new k8s.KubeNetworkPolicy(group, 'Isolation', {
        metadata: { name: name('isolation'), namespace },
        spec: {
          podSelector: {},
          policyTypes: denyAll ? ['Ingress', 'Egress'] : ['Ingress'],
          ...(ingressPeers.length > 0 ? { ingress: [{ from: ingressPeers }] } : {}),
          ...(denyAll ? {
            egress: [{
              to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
              ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) }],
            }],
          } : {}),
        },
      });
    }
    if (this.quota) {
      const q = this.quota;
      const hard: Record<string, k8s.Quantity> = {};
      if (q.requestsCpu) hard['requests.cpu'] = k8s.Quantity.fromString(q.requestsCpu);
      if (q.requestsMemory) hard['requests.memory'] = k8s.Quantity.fromString(q.requestsMemory);
      if (q.limitsCpu) hard['limits.cpu'] = k8s.Quantity.fromString(q.limitsCpu);
      if (q.limitsMemory) hard['limits.memory'] = k8s.Quantity.fromString(q.limitsMemory);
      // A string, as Kubernetes returns every quantity (and as the slices write theirs).
      if (q.pods !== undefined) hard.pods = k8s.Quantity.fromString(String(q.pods));
      new k8s.KubeResourceQuota(group, 'Quota', { metadata: { name: name('quota'), namespace }, spec: { hard } });
    }
    if (this.containerDefaults) {
      const d = this.containerDefaults;
      new k8s.KubeLimitRange(group, 'Limits', {
        metadata: { name: name('limits'), namespace },
        spec: {
          limits: [{
            type: 'Container',
            ...(d.defaultRequests ? { defaultRequest: quantities(d.defaultRequests) } : {}),
            ...(d.defaultLimits ? { default: quantities(d.defaultLimits) } : {}),
            ...(d.max ? { max: quantities(d.max) } : {}),
          }],
        },
      });
    }
  }

  private describe(): string {
    const parts = [`Pod Security ${this.podSecurity.level}`];
    if (this.isolation !== NetworkIsolation.NONE) parts.push(`network isolation ${this.isolation.mode}`);
    if (this.quota) parts.push('resource quota');
    if (this.containerDefaults) parts.push('container limit range');
    return `Policy ${this.policyName}: ${parts.join(', ')}`;
  }
}

function quantities(values: Record<string, string>): Record<string, k8s.Quantity> {
  const result: Record<string, k8s.Quantity> = {};
  for (const [resource, value] of Object.entries(values)) result[resource] = k8s.Quantity.fromString(value);
  return result;
}

function checkQuantity(policy: string, field: string, value: unknown): void {
  if (typeof value !== 'string' || !QUANTITY.test(value)) {
    throw new Error(`Policy "${policy}": ${field} must be a Kubernetes quantity such as "500m", "2" or "4Gi"; got ${JSON.stringify(value)}`);
  }
}

function checkQuota(policy: string, quota: NamespaceQuota): void {
  for (const field of ['requestsCpu', 'requestsMemory', 'limitsCpu', 'limitsMemory'] as const) {
    if (quota[field] !== undefined) checkQuantity(policy, `quota.${field}`, quota[field]);
  }
  if (quota.pods !== undefined && (!Number.isInteger(quota.pods) || quota.pods < 0)) {
    throw new Error(`Policy "${policy}": quota.pods must be a whole number of pods (0 or more); got ${quota.pods}`);
  }
  if (Object.values(quota).every(v => v === undefined)) {
    throw new Error(`Policy "${policy}": quota sets no limit; set requestsCpu, requestsMemory, limitsCpu, limitsMemory or pods, or leave quota out`);
  }
}

function checkContainerDefaults(policy: string, defaults: ContainerDefaults): void {
  for (const field of ['defaultRequests', 'defaultLimits', 'max'] as const) {
    for (const [resource, value] of Object.entries(defaults[field] ?? {})) checkQuantity(policy, `containerDefaults.${field}.${resource}`, value);
  }
  if (!defaults.defaultRequests && !defaults.defaultLimits && !defaults.max) {
    throw new Error(`Policy "${policy}": containerDefaults sets nothing; set defaultRequests, defaultLimits or max, or leave containerDefaults out`);
  }
}

/** The override fields that carry a value. */
export function overriddenFields(overrides: WorkloadOverrides): string[] {
  const fields: string[] = [];
  if (overrides.replicas !== undefined) fields.push('replicas');
  if (overrides.image !== undefined) fields.push('image');
  if (overrides.resources && (Object.keys(overrides.resources.requests ?? {}).length > 0 || Object.keys(overrides.resources.limits ?? {}).length > 0)) fields.push('resources');
  if (overrides.configuration && Object.keys(overrides.configuration).length > 0) fields.push('configuration');
  fields.push(...shapeFieldsSet(overrides));
  return fields;
}
