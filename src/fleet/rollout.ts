import { Construct } from 'constructs';
import type { Cluster } from './cluster';
import { Environment } from './environment';
import { Fleet } from './fleet';
import { checkLabelKey, checkLabelValue } from './labels';
import { checkDnsLabel } from '../kpt/naming';
import { comparePaths } from '../repo/repo-tree';
import { parseDuration, renderRolloutPlan, ROLLOUT_PLAN_PATH, RolloutPlanWave, singleRepositoryClusterPaths } from '../repo/rollout-plan';
import { SynthContext } from '../repo/synth-context';
import { IRepoContributor, markRepoContributor } from '../repo/synthesizer';

/** The name of the wave that takes the clusters no declared wave selects. */
export const REMAINING_WAVE = 'remaining';

/** Props of one wave. */
export interface WaveProps {
  /**
   * The wave's name (DNS-1123 label), in the plan, the commits and `nephoran promote`.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Clusters of the wave, by construct or by name.
   * @default - none by name: the wave selects by labels and environments
   */
  readonly clusters?: ReadonlyArray<Cluster | string>;
  /**
   * Also every cluster carrying all these labels (as placements select), e.g.
   * `{ 'nephio.org/region': 'eu-west' }`.
   * @default - no label selection
   */
  readonly matchLabels?: Record<string, string>;
  /**
   * With matchLabels, or alone: only clusters in these environments.
   * @default - every environment
   */
  readonly environments?: Environment[];
  /**
   * How long the wave must run a change, synced and healthy, before the next wave may be
   * promoted: `90s`, `30m`, `1h30m`.
   * @default - no soak time: the next wave may follow as soon as this one is verified
   */
  readonly soak?: string;
}

/** Props of a Rollout. */
export interface RolloutProps {
  /**
   * The waves, in order (more with addWave).
   * @default - none yet
   */
  readonly waves?: ReadonlyArray<WaveProps & { readonly name: string }>;
}

/**
 * One wave of a rollout: the clusters a change reaches together, by name and/or by labels and
 * environments. A wave selecting no cluster, or a cluster another wave already has, fails synth.
 */
export class Wave extends Construct {
  public readonly waveName: string;
  public readonly soak?: string;
  private readonly names: string[];
  private readonly labelSelector?: Record<string, string>;
  private readonly environmentList: Environment[];
  /** Problems found in the props, reported at synth with the others. @internal */
  public readonly _problems: Array<{ field: string; message: string }> = [];

  constructor(scope: Rollout, id: string, props: WaveProps = {}) {
    super(scope, id);
    this.waveName = props.name ?? id;
    const nameError = checkDnsLabel(this.waveName);
    if (nameError) this._problems.push({ field: 'name', message: `wave name ${nameError}` });
    if (props.soak !== undefined && parseDuration(props.soak) === undefined) {
      this._problems.push({ field: 'soak', message: `soak ${JSON.stringify(props.soak)} must be a duration such as "90s", "30m" or "1h30m"` });
    }
    this.soak = props.soak;
    this.names = (props.clusters ?? []).map(c => (typeof c === 'string' ? c : c.clusterName));
    if (props.matchLabels !== undefined) {
      for (const [key, value] of Object.entries(props.matchLabels)) {
        const error = checkLabelKey(key) ?? checkLabelValue(value);
        if (error) this._problems.push({ field: 'matchLabels', message: error });
      }
      this.labelSelector = { ...props.matchLabels };
    }
    this.environmentList = [...(props.environments ?? [])];
    if (this.environmentList.some(e => !(e instanceof Environment))) {
      this._problems.push({ field: 'environments', message: 'environments must be Environment values (Environment.PRODUCTION, Environment.custom(...))' });
    }
    if (this.names.length === 0 && this.labelSelector === undefined && this.environmentList.length === 0) {
      this._problems.push({ field: 'clusters', message: 'a wave needs clusters (by name), matchLabels or environments to select its clusters' });
    }
  }

  /** The cluster names given explicitly. */
  public get clusterNames(): string[] {
    return [...this.names];
  }

  /** True when the wave's labels and environments select the cluster (names aside). */
  public selectsByLabels(cluster: Cluster): boolean {
    if (this.labelSelector === undefined && this.environmentList.length === 0) return false;
    if (this.environmentList.length > 0 && !this.environmentList.some(e => e.name === cluster.environment.name)) return false;
    const labels = cluster.labels;
    return Object.entries(this.labelSelector ?? {}).every(([k, v]) => labels[k] === v);
  }

  /** The selector, for messages. @internal */
  public _describe(): string {
    const parts: string[] = [];
    if (this.names.length > 0) parts.push(`clusters ${this.names.join(', ')}`);
    if (this.labelSelector) parts.push(`labels ${Object.entries(this.labelSelector).map(([k, v]) => `${k}=${v}`).join(', ') || '(any)'}`);
    if (this.environmentList.length > 0) parts.push(`environments ${this.environmentList.map(e => e.name).join(', ')}`);
    return parts.join(' and ');
  }
}

/**
 * Rolls every change of the fleet out in waves: for example a canary cluster, then the rest of
 * production in one region, then the other regions. Synth writes the plan into the repository
 * (`.nephoran/rollout`: each wave's name, soak time, clusters and the folders that are theirs),
 * and the publisher reads nothing else: a change publishes the first wave only, and
 * `nephoran promote` publishes the next one once the clusters of the previous one report it synced
 * and healthy and its soak time has passed. Clusters in later waves keep their previous files,
 * whose Kptfiles still lock the previous revision of each blueprint.
 *
 * A cluster belongs to one wave. A wave's labels skip the clusters an earlier wave names
 * explicitly ("a canary, then the rest of production"); any other cluster two waves select fails
 * synth. Clusters no wave selects form a last wave named `remaining`, so that a cluster added
 * later never escapes the rollout. Waves need the single-repository layout.
 *
 * @example
 * const rollout = new Rollout(fleet, 'Rollout');
 * rollout.addWave('canary', { clusters: [edge01], soak: '30m' });
 * rollout.addWave('production', { environments: [Environment.PRODUCTION] });
 */
export class Rollout extends Construct implements IRepoContributor {
  private readonly fleet: Fleet;
  private readonly waveList: Wave[] = [];

  constructor(scope: Fleet, id: string, props: RolloutProps = {}) {
    super(scope, id);
    this.fleet = Fleet.of(this);
    for (const wave of props.waves ?? []) this.addWave(wave.name, wave);
    markRepoContributor(this);
  }

  /** Adds the next wave. */
  public addWave(id: string, props: WaveProps = {}): Wave {
    const wave = new Wave(this, id, props);
    this.waveList.push(wave);
    return wave;
  }

  /** The waves declared, in order. */
  public get waves(): Wave[] {
    return [...this.waveList];
  }

  /** The plan as the fleet is now (clusters resolved), with every problem found. */
  public plan(): { waves: RolloutPlanWave[]; problems: Array<{ path: string; field: string; message: string }> } {
    const problems: Array<{ path: string; field: string; message: string }> = [];
    const add = (construct: Construct, field: string, message: string) => problems.push({ path: construct.node.path, field, message });
    if (this.fleet.layout.isRepositoryPerCluster) {
      add(this, 'waves', 'rollout waves need FleetLayout.SINGLE_REPOSITORY: in the repository-per-cluster layout a change spans several repositories, which promote does not hold back yet; use one repository or drop the rollout');
    }
    if (this.waveList.length === 0) add(this, 'waves', 'a rollout needs at least one wave: rollout.addWave("canary", { clusters: [...] })');
    const clusters = [...this.fleet.clusters].sort((a, b) => comparePaths(a.clusterName, b.clusterName));
    const byName = new Map(clusters.map(c => [c.clusterName, c] as const));
    const waveOf = new Map<Cluster, Wave>();
    const names = new Map<string, Wave>();
    const planned: Array<{ wave: Wave; clusters: Cluster[] }> = [];
    for (const wave of this.waveList) {
      for (const p of wave._problems) add(wave, p.field, p.message);
      const other = names.get(wave.waveName);
      if (other) add(wave, 'name', `wave name "${wave.waveName}" is taken by ${other.node.path}; wave names are unique`);
      names.set(wave.waveName, wave);
      const selected = new Set<Cluster>();
      for (const name of wave.clusterNames) {
        const cluster = byName.get(name);
        if (!cluster) add(wave, 'clusters', `no cluster named "${name}" in the fleet; clusters: ${[...byName.keys()].join(', ') || 'none'}`);
        else selected.add(cluster);
      }
      for (const cluster of clusters) if (wave.selectsByLabels(cluster)) selected.add(cluster);
      const mine: Cluster[] = [];
      for (const cluster of [...selected].sort((a, b) => comparePaths(a.clusterName, b.clusterName))) {
        const first = waveOf.get(cluster);
        // "Then the rest": labels skip a cluster an earlier wave names explicitly.
        if (first && first.clusterNames.includes(cluster.clusterName) && !wave.clusterNames.includes(cluster.clusterName)) continue;
        if (first) {
          add(wave, wave.clusterNames.includes(cluster.clusterName) ? 'clusters' : 'matchLabels', `cluster "${cluster.clusterName}" is already in wave "${first.waveName}" (${first.node.path}); a cluster belongs to one wave: narrow one of the selectors`);
          continue;
        }
        waveOf.set(cluster, wave);
        mine.push(cluster);
      }
      if (selected.size === 0 && wave._problems.length === 0) {
        add(wave, 'clusters', `the wave selects no cluster (${wave._describe()}); clusters in the fleet: ${clusters.map(c => `${c.clusterName} (${c.environment.name})`).join(', ') || 'none'}`);
      }
      planned.push({ wave, clusters: mine });
    }
    const remaining = clusters.filter(c => !waveOf.has(c));
    const waves: RolloutPlanWave[] = planned.filter(p => p.clusters.length > 0).map(({ wave, clusters: cs }) => ({
      name: wave.waveName,
      ...(wave.soak !== undefined ? { soak: wave.soak } : {}),
      clusters: cs.map(c => ({ name: c.clusterName, paths: singleRepositoryClusterPaths(c.clusterName, c.environment.name) })),
    }));
    if (remaining.length > 0 && this.waveList.length > 0) {
      if (names.has(REMAINING_WAVE)) {
        add(names.get(REMAINING_WAVE)!, 'name', `"${REMAINING_WAVE}" names the last wave, which takes the clusters no wave selects (${remaining.map(c => c.clusterName).join(', ')}); rename this wave or select those clusters`);
      }
      waves.push({
        name: REMAINING_WAVE,
        clusters: remaining.map(c => ({ name: c.clusterName, paths: singleRepositoryClusterPaths(c.clusterName, c.environment.name) })),
      });
    }
    return { waves, problems };
  }

  /** @internal */
  public _renderRepoFiles(context: SynthContext): void {
    const { waves, problems } = this.plan();
    for (const p of problems) context.problems.add(p.path, p.field, p.message);
    if (problems.length > 0 || waves.length === 0) return;
    try {
      context.addFile(ROLLOUT_PLAN_PATH, renderRolloutPlan({ waves }), this);
    } catch (err) {
      context.problems.add(this.node.path, 'waves', (err as Error).message);
    }
  }
}
