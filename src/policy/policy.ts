import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { NetworkIsolation } from './network-isolation';
import { INamespaceLabelProvider, PodSecurityLevel } from './pod-security';
import { IPackageBlueprint, VariantOptions, WorkloadOverrides } from '../kpt/blueprint';
import { KptPackage } from '../kpt/kpt-package';
import { checkDnsLabel, toDnsFragment } from '../kpt/naming';
import { fallbackLabel, PropProblems } from '../network/validation';
import { shapeFieldsSet } from '../network/workload-shape';
import { POLICIES_FOLDER } from '../repo/layout-paths';
import { SynthContext } from '../repo/synth-context';
import { IRepoValidator, markRepoValidator } from '../repo/synthesizer';
import { blueprintValidators } from './enforcer/package-validators';

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
export class Policy extends Construct implements IPackageBlueprint, INamespaceLabelProvider, IRepoValidator {
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
  /** Invalid props, reported at synth with every other problem of the program. */
  private readonly problems = new PropProblems();

  constructor(scope: Construct, id: string, props: PolicyProps = {}) {
    super(scope, id);
    markRepoValidator(this);
    const name = props.name ?? toDnsFragment(id);
    const nameError = checkDnsLabel(name);
    if (nameError) this.problems.add('props.name', `${nameError}${props.name === undefined ? ` (derived from the construct id "${id}"; set props.name)` : ''}`);
    this.policyName = nameError ? fallbackLabel(name) : name;
    this.podSecurity = props.podSecurity ?? PodSecurityLevel.BASELINE;
    if (!(this.podSecurity instanceof PodSecurityLevel)) {
      this.problems.add('props.podSecurity', `${JSON.stringify(props.podSecurity)} must be PodSecurityLevel.PRIVILEGED, BASELINE or RESTRICTED`);
      this.podSecurity = PodSecurityLevel.BASELINE;
    }
    this.isolation = props.isolation ?? NetworkIsolation.SAME_NAMESPACE;
    if (!(this.isolation instanceof NetworkIsolation)) {
      this.problems.add('props.isolation', `${JSON.stringify(props.isolation)} must be NetworkIsolation.NONE, SAME_NAMESPACE or DENY_ALL`);
      this.isolation = NetworkIsolation.SAME_NAMESPACE;
    }
    const allowed = Array.isArray(props.allowIngressFromNamespaces) ? props.allowIngressFromNamespaces : [];
    if (props.allowIngressFromNamespaces !== undefined && !Array.isArray(props.allowIngressFromNamespaces)) {
      this.problems.add('props.allowIngressFromNamespaces', `must be a list of namespace names; got ${JSON.stringify(props.allowIngressFromNamespaces)}`);
    }
    this.allowedIngress = [];
    allowed.forEach((ns, i) => {
      const error = checkDnsLabel(ns);
      if (error) this.problems.add(`props.allowIngressFromNamespaces[${i}]`, `namespace ${error}`);
      else this.allowedIngress.push(ns);
    });
    const quotaErrors = props.quota ? quotaProblems(props.quota) : [];
    for (const [field, message] of quotaErrors) this.problems.add(`props.${field}`, message);
    const defaultsErrors = props.containerDefaults ? containerDefaultsProblems(props.containerDefaults) : [];
    for (const [field, message] of defaultsErrors) this.problems.add(`props.${field}`, message);
    // An invalid quota or limit range is left out of the rendering: its problems fail synth anyway.
    this.quota = quotaErrors.length === 0 ? props.quota : undefined;
    this.containerDefaults = defaultsErrors.length === 0 ? props.containerDefaults : undefined;
    this.description = props.description ?? this.describe();

    this.blueprint = new KptPackage(this, 'Package', {
      path: `${POLICIES_FOLDER}/${this.policyName}`,
      info: { description: this.description },
      validators: blueprintValidators(this),
    });
    if (props.namespaces !== undefined && !Array.isArray(props.namespaces)) {
      this.problems.add('props.namespaces', `must be a list of namespace names; got ${JSON.stringify(props.namespaces)}`);
    } else {
      (props.namespaces ?? []).forEach((ns, i) => this.governNamespace(ns, `props.namespaces[${i}]`));
    }

    this.node.addValidation({
      validate: () => this.namespaceList.length === 0 && this.problems.isEmpty
        ? [`policy "${this.policyName}" governs no namespace; pass props.namespaces or call addNamespace()`]
        : [],
    });
  }

  /** @internal */
  public _validateRepo(context: SynthContext): void {
    this.problems.report(this.node.path, context);
  }

  /** The namespaces the policy governs. */
  public get namespaces(): string[] {
    return [...this.namespaceList];
  }

  /** Governs one more namespace. */
  public addNamespace(namespace: string): void {
    this.governNamespace(namespace, `addNamespace(${JSON.stringify(namespace)})`);
  }

  private governNamespace(namespace: string, field: string): void {
    const error = checkDnsLabel(namespace);
    if (error) {
      this.problems.add(field, `namespace ${error}`);
      return;
    }
    if (this.namespaceList.includes(namespace)) {
      this.problems.add(field, `the policy already governs namespace "${namespace}"; list each namespace once`);
      return;
    }
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

type FieldProblem = [field: string, message: string];

function quantityProblem(field: string, value: unknown): FieldProblem[] {
  return typeof value === 'string' && QUANTITY.test(value)
    ? []
    : [[field, `must be a Kubernetes quantity such as "500m", "2" or "4Gi"; got ${JSON.stringify(value)}`]];
}

function quotaProblems(quota: NamespaceQuota): FieldProblem[] {
  if (typeof quota !== 'object' || quota === null) return [['quota', `must be an object such as { requestsCpu: '8', pods: 100 }; got ${JSON.stringify(quota)}`]];
  const problems: FieldProblem[] = [];
  for (const field of ['requestsCpu', 'requestsMemory', 'limitsCpu', 'limitsMemory'] as const) {
    if (quota[field] !== undefined) problems.push(...quantityProblem(`quota.${field}`, quota[field]));
  }
  if (quota.pods !== undefined && (!Number.isInteger(quota.pods) || quota.pods < 0)) {
    problems.push(['quota.pods', `must be a whole number of pods (0 or more); got ${JSON.stringify(quota.pods)}`]);
  }
  if (Object.values(quota).every(v => v === undefined)) {
    problems.push(['quota', 'sets no limit; set requestsCpu, requestsMemory, limitsCpu, limitsMemory or pods, or leave quota out']);
  }
  return problems;
}

function containerDefaultsProblems(defaults: ContainerDefaults): FieldProblem[] {
  if (typeof defaults !== 'object' || defaults === null) return [['containerDefaults', `must be an object such as { defaultRequests: { cpu: '100m' } }; got ${JSON.stringify(defaults)}`]];
  const problems: FieldProblem[] = [];
  for (const field of ['defaultRequests', 'defaultLimits', 'max'] as const) {
    const values = defaults[field];
    if (values === undefined) continue;
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      problems.push([`containerDefaults.${field}`, `must map resource names to quantities, e.g. { cpu: '100m', memory: '128Mi' }; got ${JSON.stringify(values)}`]);
      continue;
    }
    for (const [resource, value] of Object.entries(values)) problems.push(...quantityProblem(`containerDefaults.${field}.${resource}`, value));
  }
  if (!defaults.defaultRequests && !defaults.defaultLimits && !defaults.max) {
    problems.push(['containerDefaults', 'sets nothing; set defaultRequests, defaultLimits or max, or leave containerDefaults out']);
  }
  return problems;
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
