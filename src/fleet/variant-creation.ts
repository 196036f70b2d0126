import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Cluster, CONFIG_MANAGEMENT_NAMESPACE } from './cluster';
import { Environment } from './environment';
import { CLUSTER_NAME_LABEL } from './labels';
import { NAMESPACES_PACKAGE, Placement } from './placement';
import { byName, namespacesDeclaredBy, PlacedPlan } from './placement-plan';
import { KptFunction } from '../kpt/kpt-function';
import { KptPackage } from '../kpt/kpt-package';
import { ProblemSink } from '../repo/synth-context';

// Variant creation: the hydrated variant of every placed blueprint on every cluster, and each
// cluster's namespaces package, from the placement plan.

const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', CONFIG_MANAGEMENT_NAMESPACE]);

/** What variant creation needs from the fleet. */
export interface VariantCreation {
  readonly plan: Map<Cluster, Placement[]>;
  readonly namespaceLabels: Map<Cluster, Map<string, Record<string, string>>>;
  readonly repoUrl: string;
  readonly upstreamRef: string;
  readonly context: ProblemSink;
  /** Every construct created, so that the next synth can remove it first. */
  readonly created: Array<{ parent: Construct; id: string }>;
  /** Declares the Kptfile validators Porch runs, for the environment the package is deployed in. */
  readonly declareValidators: (pkg: KptPackage, environment: Environment) => void;
}

export function createVariants(input: VariantCreation, placed: PlacedPlan): KptPackage[] {
  const { plan, namespaceLabels: namespaceLabelsByCluster, context, created } = input;
  const variants: KptPackage[] = [];
  const declaredNamespaces = new Map<Placement, Set<string>>();
  for (const [cluster, placements] of [...plan].sort(([a], [b]) => byName(a, b))) {
    const namespaceLabels = namespaceLabelsByCluster.get(cluster)!;
    for (const placement of placements) {
      let declared = declaredNamespaces.get(placement);
      if (!declared) declaredNamespaces.set(placement, declared = namespacesDeclaredBy(placement));
      const mutators = [clusterIdentityLabels(cluster)];
      // A package that declares a Namespace itself gets the namespace labels through its pipeline.
      for (const ns of [...declared].sort()) {
        const labels = namespaceLabels.get(ns);
        if (labels && Object.keys(labels).length > 0) {
          mutators.push(KptFunction.setLabels(labels, { name: `namespace-labels-${ns}`, selectors: [{ kind: 'Namespace', name: ns }] }));
        }
      }
      const path = `${cluster.deploymentsPath}/${placement.packageName}`;
      try {
        created.push({ parent: placement, id: cluster.clusterName });
        const variant = placement.blueprint.renderVariant(placement, cluster.clusterName, {
          path,
          target: placed.targets.get(cluster)!,
          overrides: placed.overrides.get(cluster)!.get(placement)!,
          upstreamRepo: input.repoUrl,
          upstreamRef: input.upstreamRef,
          mutators,
          addresses: placed.addresses.get(cluster)?.get(placement) ?? {},
          fleet: placed.view,
        });
        if (variant.packagePath !== path) {
          context.problems.add(placement.node.path, 'blueprint', `the blueprint rendered its variant for cluster "${cluster.clusterName}" at "${variant.packagePath}" instead of "${path}"; renderVariant must use options.path`);
        }
        input.declareValidators(variant, cluster.environment);
        variants.push(variant);
      } catch (err) {
        context.problems.add(placement.node.path, 'blueprint', `cannot render "${placement.packageName}" for cluster "${cluster.clusterName}": ${(err as Error).message.split('\n')[0]}`);
      }
    }
  }
  return variants;
}

/**
 * One `namespaces` package per cluster, with each namespace the placed packages need and do not
 * declare themselves, exactly once, labelled as the policies placed there ask.
 */
export function createNamespacePackages(input: VariantCreation, declaredInFolder: Set<string>): KptPackage[] {
  const { plan, namespaceLabels: namespaceLabelsByCluster, created } = input;
  const packages: KptPackage[] = [];
  for (const [cluster, placements] of [...plan].sort(([a], [b]) => byName(a, b))) {
    const labels = namespaceLabelsByCluster.get(cluster)!;
    const needed = new Set<string>();
    for (const placement of placements) for (const ns of placement.blueprint.namespaces) needed.add(ns);
    const namespaces = [...needed]
      .filter(ns => !SYSTEM_NAMESPACES.has(ns) && !declaredInFolder.has(`${cluster.deploymentsPath}\n${ns}`))
      .sort();
    if (namespaces.length === 0) continue;
    const pkg = new KptPackage(cluster, NAMESPACES_PACKAGE, {
      path: `${cluster.deploymentsPath}/${NAMESPACES_PACKAGE}`,
      info: { description: `Namespaces of cluster ${cluster.clusterName}, declared once for its RootSync` },
      mutators: [clusterIdentityLabels(cluster)],
    });
    created.push({ parent: cluster, id: NAMESPACES_PACKAGE });
    input.declareValidators(pkg, cluster.environment);
    for (const ns of namespaces) {
      const nsLabels = labels.get(ns);
      // One form for every Namespace written (the slices' too), as kubectl prints it: keys sorted,
      // labels included; the cluster label is written here so that the pipeline leaves it in place.
      new k8s.KubeNamespace(pkg, ns, { metadata: { name: ns, labels: { ...nsLabels, [CLUSTER_NAME_LABEL]: cluster.clusterName } } });
    }
    packages.push(pkg);
  }
  return packages;
}

/**
 * set-labels also writes workload selectors, which Kubernetes does not let change: stamp only the
 * cluster's name, which never changes, rather than labels such as region that may.
 */
export function clusterIdentityLabels(cluster: Cluster): KptFunction {
  return KptFunction.setLabels({ [CLUSTER_NAME_LABEL]: cluster.clusterName }, { name: 'cluster-labels' });
}
