/**
 * The folders of the single-repository layout, in one place: the fleet writes them, the publisher
 * groups changes, history and diff by them, and the rollout plan names them. A layout change made
 * here reaches all of them at once.
 *
 * ```
 * packages/<kind>/<name>/                 blueprints (network-functions, slices, policies)
 * deployments/<env>/<cluster>/<package>/  hydrated variants, synced by the cluster's RootSync
 * clusters/<cluster>/                     the workload cluster's bootstrap (RootSync, credentials)
 * management/workload-clusters/<cluster>/ the management cluster's WorkloadCluster of it
 * ```
 */

/** The folder of every blueprint package. */
export const PACKAGES_FOLDER = 'packages';
/** Network function blueprints. */
export const NETWORK_FUNCTIONS_FOLDER = `${PACKAGES_FOLDER}/network-functions`;
/** Slice blueprints. */
export const SLICES_FOLDER = `${PACKAGES_FOLDER}/slices`;
/** Policy blueprints. */
export const POLICIES_FOLDER = `${PACKAGES_FOLDER}/policies`;
/** The folder of every cluster's hydrated variants. */
export const DEPLOYMENTS_FOLDER = 'deployments';
/** The folder of every workload cluster's bootstrap package. */
export const CLUSTERS_FOLDER = 'clusters';
/**
 * Where each cluster's management-cluster package goes (`<folder>/<cluster>/`): its Nephio
 * WorkloadCluster, which the management cluster reads and the workload cluster must never get.
 */
export const MANAGEMENT_CLUSTERS_FOLDER = 'management/workload-clusters';

/** `deployments/<environment>/<cluster>`: what the cluster's RootSync syncs. */
export function deploymentsFolder(environment: string, cluster: string): string {
  return `${DEPLOYMENTS_FOLDER}/${environment}/${cluster}`;
}

/** `clusters/<cluster>`: the workload cluster's bootstrap package. */
export function bootstrapFolder(cluster: string): string {
  return `${CLUSTERS_FOLDER}/${cluster}`;
}

/** `management/workload-clusters/<cluster>`: the management cluster's package of a workload cluster. */
export function workloadClusterFolder(cluster: string): string {
  return `${MANAGEMENT_CLUSTERS_FOLDER}/${cluster}`;
}

/** What a repository path says of itself in this layout. */
export type LayoutPlace =
  | { readonly kind: 'deployment'; readonly environment: string; readonly cluster: string; readonly packagePath?: string }
  | { readonly kind: 'bootstrap' | 'workload-cluster'; readonly cluster: string }
  | { readonly kind: 'blueprint'; readonly packagePath: string }
  | { readonly kind: 'other' };

/** Reads environment, cluster and package from a file path alone. */
export function placeOf(path: string): LayoutPlace {
  const parts = path.split('/');
  if (parts[0] === DEPLOYMENTS_FOLDER && parts.length >= 4) {
    return { kind: 'deployment', environment: parts[1], cluster: parts[2], ...(parts.length >= 5 ? { packagePath: parts.slice(0, 4).join('/') } : {}) };
  }
  if (parts[0] === CLUSTERS_FOLDER && parts.length >= 3) return { kind: 'bootstrap', cluster: parts[1] };
  const management = MANAGEMENT_CLUSTERS_FOLDER.split('/');
  if (parts[0] === management[0] && parts[1] === management[1] && parts.length >= 4) return { kind: 'workload-cluster', cluster: parts[2] };
  if (parts[0] === PACKAGES_FOLDER && parts.length >= 4) return { kind: 'blueprint', packagePath: parts.slice(0, 3).join('/') };
  return { kind: 'other' };
}

/** The folders of one cluster in the single-repository layout, sorted. */
export function clusterFolders(cluster: string, environment: string): string[] {
  return [`${bootstrapFolder(cluster)}/`, `${deploymentsFolder(environment, cluster)}/`, `${workloadClusterFolder(cluster)}/`].sort();
}
