import { ClusterAddresses } from './address-allocation';
import { Cluster } from './cluster';
import { FleetView } from './fleet-view';
import { Placement } from './placement';
import { PlacedFolder } from './quota-check';
import { DeploymentTarget, WorkloadOverrides } from '../kpt/blueprint';
import { isNamespaceLabelProvider } from '../policy/pod-security';
import { compareStrings } from '../repo/compare';
import { ProblemSink } from '../repo/synth-context';
import { PorchScope } from './porch/porch-fan-out';

// Placement planning: which placements land on which cluster, with which overrides and namespace
// labels. The Fleet runs it once per synth; variant creation and the checks read its result.

/** What the fleet derives once per synth from its placement plan. */
export interface PlacedPlan {
  readonly view: FleetView;
  readonly targets: Map<Cluster, DeploymentTarget>;
  readonly overrides: Map<Cluster, Map<Placement, WorkloadOverrides>>;
  readonly addresses: Map<Cluster, ClusterAddresses>;
  readonly folders: PlacedFolder[];
}


/**
 * Matches placements to clusters through a label index built once, so the cost grows with
 * placements x (clusters carrying their rarest label), not placements x clusters x labels.
 */
export function planPlacements(clusters: readonly Cluster[], placements: readonly Placement[], context: ProblemSink): Map<Cluster, Placement[]> {
  const byLabel = new Map<string, Cluster[]>();
  for (const cluster of [...clusters].sort(byName)) {
    for (const [k, v] of Object.entries(cluster.labels)) {
      const key = `${k}=${v}`;
      let list = byLabel.get(key);
      if (!list) byLabel.set(key, list = []);
      list.push(cluster);
    }
  }
  const sortedClusters = [...clusters].sort(byName);
  const plan = new Map<Cluster, Placement[]>();
  const placedBy = new Map<string, Placement>();

  for (const placement of placements) {
    const where = placement.node.path;
    const selector = Object.entries(placement.matchLabels).map(([k, v]) => byLabel.get(`${k}=${v}`) ?? []);
    const candidates = selector.length === 0 ? sortedClusters : selector.reduce((a, b) => (b.length < a.length ? b : a));
    const selected = candidates.filter(c => placement.selects(c));
    // A selector with an invalid label is reported by the placement: it selects nothing because of it.
    if (selected.length === 0 && !placement._hasInvalidSelector) {
      const known = sortedClusters.map(c => `${c.clusterName} (${c.environment.name})`).join(', ') || 'none';
      context.problems.add(where, 'matchLabels', `placement of "${placement.packageName}" selects no cluster: no cluster has ${placement._describeSelector()}; clusters in the fleet: ${known}`);
    }
    for (const cluster of placement._overriddenClusters) {
      if (!selected.includes(cluster)) {
        context.problems.add(where, `clusterOverrides.${cluster.clusterName}`, `overrides for cluster "${cluster.clusterName}", which the placement does not select (${placement._describeSelector()}); remove them or widen the selector`);
      }
    }
    for (const cluster of selected) {
      const key = `${cluster.clusterName}\n${placement.packageName}`;
      const first = placedBy.get(key);
      if (first) {
        context.problems.add(where, 'packageName', `places package "${placement.packageName}" on cluster "${cluster.clusterName}", where placement ${first.node.path} already places it; narrow one of the selectors or give one a different packageName`);
        continue;
      }
      placedBy.set(key, placement);
      let list = plan.get(cluster);
      if (!list) plan.set(cluster, list = []);
      list.push(placement);
    }
  }
  return plan;
}

/**
 * Every cluster's target and each placement's merged overrides and addresses there, computed
 * once: the fleet view variants read their peers from, and what quotas are checked against.
 */
export function placedView(plan: Map<Cluster, Placement[]>, addresses: Map<Cluster, ClusterAddresses>): PlacedPlan {
  const view = new FleetView();
  const targets = new Map<Cluster, DeploymentTarget>();
  const overrides = new Map<Cluster, Map<Placement, WorkloadOverrides>>();
  const folders: PlacedFolder[] = [];
  for (const [cluster, placements] of [...plan].sort(([a], [b]) => byName(a, b))) {
    const target = cluster.target;
    targets.set(cluster, target);
    const byPlacement = new Map<Placement, WorkloadOverrides>();
    overrides.set(cluster, byPlacement);
    const clusterAddresses = addresses.get(cluster);
    const packages: Array<PlacedFolder['packages'][number]> = [];
    for (const placement of placements) {
      const merged = placement.overridesFor(cluster);
      byPlacement.set(placement, merged);
      view.add(placement.blueprint, { target, overrides: merged, addresses: clusterAddresses?.get(placement) ?? {} });
      packages.push({ placement, packagePath: `${cluster.deploymentsPath}/${placement.packageName}`, overrides: merged });
    }
    folders.push({ cluster, packages });
  }
  return { view, targets, overrides, addresses, folders };
}

/**
 * The labels each namespace on a cluster gets from the packages placed there that ask for
 * namespace labels (Pod Security from policies). Two packages asking one label different
 * values is an error naming both.
 */
export function namespaceLabelsFor(cluster: Cluster, placements: Placement[], context: ProblemSink): Map<string, Record<string, string>> {
  const labels = new Map<string, Record<string, string>>();
  const setBy = new Map<string, Placement>();
  for (const placement of placements) {
    const blueprint = placement.blueprint;
    if (!isNamespaceLabelProvider(blueprint)) continue;
    for (const ns of blueprint.namespaces) {
      const wanted = blueprint.namespaceLabels(ns);
      const current = labels.get(ns) ?? {};
      for (const [key, value] of Object.entries(wanted)) {
        const id = `${ns}\n${key}`;
        const first = setBy.get(id);
        if (first && current[key] !== value) {
          context.problems.add(placement.node.path, 'blueprint', `namespace "${ns}" on cluster "${cluster.clusterName}" gets ${key}=${value} from this placement but ${key}=${current[key]} from ${first.node.path}; a namespace has one value per label: make the policies agree or govern different namespaces`);
          continue;
        }
        setBy.set(id, placement);
        current[key] = value;
      }
      labels.set(ns, current);
    }
  }
  return labels;
}

/** The Namespace objects a blueprint package declares itself, by name. */
export function namespacesDeclaredBy(placement: Placement): Set<string> {
  const names = new Set<string>();
  for (const c of placement.blueprint.blueprint.node.findAll()) {
    const obj = c as any;
    if (obj.kind === 'Namespace' && obj.apiVersion === 'v1' && typeof obj.name === 'string') names.add(obj.name);
  }
  return names;
}

/** The packages Porch clones for each cluster: one per scope the cluster is in. */
export function porchPlacedFolders(scopes: readonly PorchScope[]): PlacedFolder[] {
  const byCluster = new Map<Cluster, Array<PlacedFolder['packages'][number]>>();
  for (const scope of scopes) {
    for (const cluster of scope.clusters) {
      let packages = byCluster.get(cluster);
      if (!packages) byCluster.set(cluster, packages = []);
      packages.push({ placement: scope.placement, packagePath: scope.upstreamPath, overrides: scope.overrides });
    }
  }
  return [...byCluster].sort(([a], [b]) => byName(a, b)).map(([cluster, packages]) => ({ cluster, packages }));
}

/** Clusters in name order. */
export function byName(a: Cluster, b: Cluster): number {
  return compareStrings(a.clusterName, b.clusterName);
}
