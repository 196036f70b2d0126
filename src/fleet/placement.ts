import { Construct } from 'constructs';
import { carriedProblems, describeValue, listProp, recordProp } from './carried-problems';
import type { Cluster } from './cluster';
import { Environment, isEnvironment } from './environment';
import { fleetOf } from './fleet-membership';
import { checkLabelKey, checkLabelValue } from './labels';
import { mergeOverrides, overrideProblems } from './overrides';
import { IPackageBlueprint, WorkloadOverrides } from '../kpt/blueprint';
import { checkDnsLabel, toDnsFragment } from '../kpt/naming';
import { PropProblems } from '../network/validation';
import { SynthContext } from '../repo/synth-context';
import { IRepoValidator, markRepoValidator } from '../repo/synthesizer';

/** The package folder name each cluster's Namespace objects are written to. */
export const NAMESPACES_PACKAGE = 'namespaces';

/** Props of a Placement. */
export interface PlacementProps {
  /** The package to place: a NetworkFunction, NetworkSlice, Policy or any IPackageBlueprint. */
  readonly blueprint: IPackageBlueprint;
  /**
   * Place on clusters carrying all these labels, e.g. `{ 'nephio.org/site-type': 'edge' }`.
   * @default - any labels
   */
  readonly matchLabels?: Record<string, string>;
  /**
   * Place only on clusters in these environments.
   * @default - every environment
   */
  readonly environments?: Environment[];
  /**
   * The folder name of the package in each cluster's deployments folder.
   * @default - the blueprint's package name
   */
  readonly packageName?: string;
  /**
   * Overrides for every cluster, above the blueprint's values and below environment and cluster
   * overrides.
   * @default - none
   */
  readonly overrides?: WorkloadOverrides;
}

/**
 * Puts a package on every cluster of the fleet that matches a label selector and/or environments.
 * Synth writes one hydrated variant per matching cluster at
 * `deployments/<environment>/<cluster>/<package>/` (its Kptfile upstream points at the blueprint in
 * packages/), and the Namespace objects the package needs into that cluster's `namespaces`
 * package. Overrides apply key by key, later winning: blueprint < placement < environment < cluster.
 * Matching happens at synth, so clusters and labels added after the placement count.
 *
 * A selector that matches no cluster, and one package placed twice on one cluster, fail synth;
 * so do invalid props and override values, all reported together, each with its field.
 *
 * @example
 * const upfOnEdge = new Placement(fleet, 'upf-edge', {
 *   blueprint: upf,
 *   matchLabels: { 'nephio.org/site-type': 'edge' },
 *   environments: [Environment.STAGING, Environment.PRODUCTION],
 * });
 * upfOnEdge.addEnvironmentOverrides(Environment.PRODUCTION, {
 *   replicas: 3,
 *   image: 'registry.example.com/free5gc/upf@sha256:9b2a6e0c5d1f4e8a7b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a',
 * });
 * upfOnEdge.addClusterOverrides(edge01, { resources: { limits: { memory: '8Gi' } } });
 */
export class Placement extends Construct implements IRepoValidator {
  public readonly blueprint: IPackageBlueprint;
  /** The package folder name in each cluster's deployments folder. */
  public readonly packageName: string;
  private readonly labelSelector: Record<string, string>;
  private readonly environmentList: Environment[];
  private readonly placementOverrides: WorkloadOverrides;
  private readonly byEnvironment = new Map<string, WorkloadOverrides>();
  private readonly byCluster = new Map<Cluster, WorkloadOverrides>();
  /** Problems of the props and of the addXOverrides() calls, reported at synth. */
  private readonly problems = new PropProblems();

  constructor(scope: Construct, id: string, props: PlacementProps) {
    super(scope, id);
    markRepoValidator(this);
    const fleet = fleetOf(this, 'Placement');
    // Invalid props are recorded, not thrown, each with a harmless stand-in so construction goes
    // on: synth reports them with every other problem of the program.
    const problems = this.problems;
    const given = props ?? ({} as PlacementProps);
    const blueprint = given.blueprint;
    const placeable = !!blueprint && !!blueprint.blueprint && typeof blueprint.renderVariant === 'function';
    if (!placeable) {
      problems.add('props.blueprint', `must be a placeable package (a NetworkFunction, NetworkSlice, Policy or another IPackageBlueprint); got ${describeValue(blueprint)}`);
    }
    this.blueprint = blueprint;
    let packageName = given.packageName ?? (placeable ? blueprint.blueprint.packageName : toDnsFragment(id));
    const nameError = checkDnsLabel(packageName);
    if (nameError) {
      problems.add('props.packageName', nameError);
      packageName = this.placeholderName();
    } else if (packageName === NAMESPACES_PACKAGE) {
      problems.add('props.packageName', `"${NAMESPACES_PACKAGE}" is where each cluster's Namespace objects go; set props.packageName to another name`);
      packageName = this.placeholderName();
    }
    this.packageName = packageName;
    const matchLabels = recordProp(problems, 'props.matchLabels', given.matchLabels);
    for (const [key, value] of Object.entries(matchLabels)) {
      const error = checkLabelKey(key) ?? checkLabelValue(value);
      if (error) problems.add(`props.matchLabels[${JSON.stringify(key)}]`, error);
    }
    this.labelSelector = { ...matchLabels };
    this.environmentList = [];
    for (const [i, env] of listProp(problems, 'props.environments', given.environments, 'Environment values').entries()) {
      if (!isEnvironment(env)) {
        problems.add(`props.environments[${i}]`, `must be an Environment value (Environment.PRODUCTION, Environment.custom(...)); got ${describeValue(env)}`);
        continue;
      }
      problems.addAll(`props.environments[${i}]`, carriedProblems(env));
      this.environmentList.push(env);
    }
    this.placementOverrides = this.validOverrides(given.overrides ?? {}, 'props.overrides');
    // A placement without a blueprint has nothing to place: it only reports why.
    if (placeable) fleet._registerPlacement(this);
  }

  /** The labels a cluster must carry. */
  public get matchLabels(): Record<string, string> {
    return { ...this.labelSelector };
  }

  /** The environments placed into (empty: every environment). */
  public get environments(): Environment[] {
    return [...this.environmentList];
  }

  /**
   * Overrides for clusters in one environment; calling again merges key by key. Invalid values,
   * and overrides for an environment the placement does not place into, are reported at synth.
   */
  public addEnvironmentOverrides(environment: Environment, overrides: WorkloadOverrides): void {
    if (!isEnvironment(environment)) {
      this.problems.add('addEnvironmentOverrides', `the environment must be an Environment value (Environment.PRODUCTION, Environment.custom(...)); got ${describeValue(environment)}`);
      return;
    }
    const field = `overrides.${environment.name}`;
    if (this.environmentList.length > 0 && !this.environmentList.some(e => e.name === environment.name)) {
      this.problems.add(field, `places only into ${this.environmentList.map(e => e.name).join(', ')}; overrides for environment "${environment.name}" would never apply`);
    }
    const valid = this.validOverrides(overrides, field);
    this.byEnvironment.set(environment.name, mergeOverrides(this.byEnvironment.get(environment.name), valid));
  }

  /**
   * Overrides for one cluster (which the placement must select); calling again merges key by key.
   * Invalid values are reported at synth.
   */
  public addClusterOverrides(cluster: Cluster, overrides: WorkloadOverrides): void {
    if (!cluster || typeof (cluster as Partial<Cluster>).clusterName !== 'string') {
      this.problems.add('addClusterOverrides', `the cluster must be a Cluster of the fleet; got ${describeValue(cluster)}`);
      return;
    }
    const valid = this.validOverrides(overrides, `clusterOverrides.${cluster.clusterName}`);
    this.byCluster.set(cluster, mergeOverrides(this.byCluster.get(cluster), valid));
  }

  /** True when the placement selects the cluster (by its current labels and environment). */
  public selects(cluster: Cluster): boolean {
    if (this.environmentList.length > 0 && !this.environmentList.some(e => e.name === cluster.environment.name)) return false;
    const labels = cluster.labels;
    return Object.entries(this.labelSelector).every(([k, v]) => labels[k] === v);
  }

  /** The merged overrides for one cluster: placement < environment < cluster. */
  public overridesFor(cluster: Cluster): WorkloadOverrides {
    return mergeOverrides(this.placementOverrides, this.byEnvironment.get(cluster.environment.name), this.byCluster.get(cluster));
  }

  /** The clusters that have cluster overrides. @internal */
  public get _overriddenClusters(): Cluster[] {
    return [...this.byCluster.keys()];
  }

  /** True when the label selector holds an invalid label (already reported): it can select nothing. @internal */
  public get _hasInvalidSelector(): boolean {
    return Object.entries(this.labelSelector).some(([k, v]) => (checkLabelKey(k) ?? checkLabelValue(v)) !== undefined);
  }

  /** @internal */
  public _validateRepo(context: SynthContext): void {
    this.problems.report(this.node.path, context);
  }

  /**
   * Records every invalid value of `overrides` under `field` and returns the overrides without
   * the keys holding them, so that no variant renders with a value that could never be valid.
   */
  private validOverrides(overrides: WorkloadOverrides, field: string): WorkloadOverrides {
    if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
      this.problems.add(field, `must be an object of overrides such as { replicas: 2 }; got ${describeValue(overrides)}`);
      return {};
    }
    const invalid = overrideProblems(overrides);
    for (const p of invalid) this.problems.add(`${field}.${p.field}`, p.message);
    if (invalid.length === 0) return overrides;
    const dropped = new Set(invalid.map(p => p.field.split(/[.[]/)[0]));
    return Object.fromEntries(Object.entries(overrides).filter(([key]) => !dropped.has(key))) as WorkloadOverrides;
  }

  /** A unique stand-in package name for a placement whose own cannot be used, so synth goes on. */
  private placeholderName(): string {
    return `invalid-${toDnsFragment(this.node.id).slice(0, 24)}`.replace(/-+$/, '');
  }

  /** Describes the selector for messages. @internal */
  public _describeSelector(): string {
    const labels = Object.entries(this.labelSelector).map(([k, v]) => `${k}=${v}`);
    const parts = [labels.length > 0 ? `labels ${labels.join(', ')}` : 'any labels'];
    parts.push(this.environmentList.length > 0 ? `environments ${this.environmentList.map(e => e.name).join(', ')}` : 'any environment');
    return parts.join(' in ');
  }
}
