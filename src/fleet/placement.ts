import { Construct } from 'constructs';
import { IPackageBlueprint, WorkloadOverrides } from '../kpt/blueprint';
import { checkDnsLabel } from '../kpt/naming';
import type { Cluster } from './cluster';
import { Environment } from './environment';
import { fleetOf } from './fleet-membership';
import { checkLabelKey, checkLabelValue } from './labels';
import { checkOverrides, mergeOverrides } from './overrides';

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
 * A selector that matches no cluster, and one package placed twice on one cluster, fail synth.
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
export class Placement extends Construct {
  public readonly blueprint: IPackageBlueprint;
  /** The package folder name in each cluster's deployments folder. */
  public readonly packageName: string;
  private readonly labelSelector: Record<string, string>;
  private readonly environmentList: Environment[];
  private readonly placementOverrides: WorkloadOverrides;
  private readonly byEnvironment = new Map<string, WorkloadOverrides>();
  private readonly byCluster = new Map<Cluster, WorkloadOverrides>();

  constructor(scope: Construct, id: string, props: PlacementProps) {
    super(scope, id);
    const fleet = fleetOf(this, 'Placement');
    if (!props.blueprint || !props.blueprint.blueprint || typeof props.blueprint.renderVariant !== 'function') {
      throw new Error(`Placement ${this.node.path}: blueprint must be a placeable package (a NetworkFunction, NetworkSlice, Policy or another IPackageBlueprint)`);
    }
    this.blueprint = props.blueprint;
    this.packageName = props.packageName ?? props.blueprint.blueprint.packageName;
    const nameError = checkDnsLabel(this.packageName);
    if (nameError) throw new Error(`Placement ${this.node.path}: packageName ${nameError}`);
    if (this.packageName === NAMESPACES_PACKAGE) {
      throw new Error(`Placement ${this.node.path}: packageName "${NAMESPACES_PACKAGE}" is where each cluster's Namespace objects go; set props.packageName to another name`);
    }
    for (const [key, value] of Object.entries(props.matchLabels ?? {})) {
      const error = checkLabelKey(key) ?? checkLabelValue(value);
      if (error) throw new Error(`Placement ${this.node.path}: matchLabels: ${error}`);
    }
    this.labelSelector = { ...props.matchLabels };
    this.environmentList = [...(props.environments ?? [])];
    for (const env of this.environmentList) {
      if (!(env instanceof Environment)) throw new Error(`Placement ${this.node.path}: environments must be Environment values (Environment.PRODUCTION, Environment.custom(...))`);
    }
    checkOverrides(props.overrides ?? {}, `Placement ${this.node.path}: overrides`);
    this.placementOverrides = props.overrides ?? {};
    fleet._registerPlacement(this);
  }

  /** The labels a cluster must carry. */
  public get matchLabels(): Record<string, string> {
    return { ...this.labelSelector };
  }

  /** The environments placed into (empty: every environment). */
  public get environments(): Environment[] {
    return [...this.environmentList];
  }

  /** Overrides for clusters in one environment; calling again merges key by key. */
  public addEnvironmentOverrides(environment: Environment, overrides: WorkloadOverrides): void {
    checkOverrides(overrides, `Placement ${this.node.path}: overrides for environment ${environment.name}`);
    if (this.environmentList.length > 0 && !this.environmentList.some(e => e.name === environment.name)) {
      throw new Error(`Placement ${this.node.path} places only into ${this.environmentList.map(e => e.name).join(', ')}; overrides for environment "${environment.name}" would never apply`);
    }
    this.byEnvironment.set(environment.name, mergeOverrides(this.byEnvironment.get(environment.name), overrides));
  }

  /** Overrides for one cluster (which the placement must select); calling again merges key by key. */
  public addClusterOverrides(cluster: Cluster, overrides: WorkloadOverrides): void {
    checkOverrides(overrides, `Placement ${this.node.path}: overrides for cluster ${cluster.clusterName}`);
    this.byCluster.set(cluster, mergeOverrides(this.byCluster.get(cluster), overrides));
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

  /** Describes the selector for messages. @internal */
  public _describeSelector(): string {
    const labels = Object.entries(this.labelSelector).map(([k, v]) => `${k}=${v}`);
    const parts = [labels.length > 0 ? `labels ${labels.join(', ')}` : 'any labels'];
    parts.push(this.environmentList.length > 0 ? `environments ${this.environmentList.map(e => e.name).join(', ')}` : 'any environment');
    return parts.join(' in ');
  }
}
