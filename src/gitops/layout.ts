import { environmentRecordOf } from '../repo/environment-records';
import { placeOf } from '../repo/layout-paths';
import { comparePaths } from '../repo/repo-tree';

/** Where a file sits in the deployment repository's layout. */
export interface PathLocation {
  /** `<env>` of `deployments/<env>/...`, or the environment the cluster is deployed in. */
  readonly environment?: string;
  /** `<cluster>` of `deployments/<env>/<cluster>/...` or `clusters/<cluster>/...`. */
  readonly cluster?: string;
  /** The folder of the kpt package holding the file (the nearest folder with a Kptfile). */
  readonly packagePath?: string;
}

/**
 * Reads clusters, environments and packages from paths alone, the way the repository is laid
 * out: `deployments/<env>/<cluster>/<pkg>/...`, `clusters/<cluster>/...`,
 * `packages/<kind>/<name>/...`; a package is a folder holding a `Kptfile`. Knows nothing else
 * about clusters.
 */
export class RepositoryLayout {
  private readonly packageFolders: Set<string>;
  private readonly clusterEnvironments = new Map<string, Set<string>>();
  /** Environments the repository as a whole belongs to, from its environment records. */
  private readonly ownEnvironments = new Set<string>();

  /** @param paths every file path known (both sides of a change), to find packages and clusters */
  constructor(paths: Iterable<string>) {
    this.packageFolders = new Set();
    for (const p of paths) {
      if (p === 'Kptfile') this.packageFolders.add('');
      else if (p.endsWith('/Kptfile')) this.packageFolders.add(p.slice(0, -'/Kptfile'.length));
      const record = environmentRecordOf(p);
      if (record && !record.cluster) this.ownEnvironments.add(record.environment);
      if (record?.cluster) {
        const envs = this.clusterEnvironments.get(record.cluster) ?? new Set<string>();
        envs.add(record.environment);
        this.clusterEnvironments.set(record.cluster, envs);
      }
      const place = placeOf(p);
      if (place.kind === 'deployment') {
        const envs = this.clusterEnvironments.get(place.cluster) ?? new Set<string>();
        envs.add(place.environment);
        this.clusterEnvironments.set(place.cluster, envs);
      }
    }
  }

  /**
   * The environments the whole repository belongs to (a workload cluster's own repository), sorted;
   * empty when it records none. Two while a change moves it from one to another.
   */
  public repositoryEnvironments(): string[] {
    return [...this.ownEnvironments].sort(comparePaths);
  }

  /** The environments a cluster has deployments in, sorted. */
  public environmentsOf(cluster: string): string[] {
    return [...(this.clusterEnvironments.get(cluster) ?? [])].sort(comparePaths);
  }

  public locate(path: string): PathLocation {
    const packagePath = this.packageOf(path.split('/'));
    const place = placeOf(path);
    switch (place.kind) {
      case 'deployment':
        return { environment: place.environment, cluster: place.cluster, packagePath: packagePath ?? place.packagePath };
      case 'bootstrap':
      case 'workload-cluster': {
        // The cluster's bootstrap, or the management cluster's package of it (its WorkloadCluster).
        const envs = this.environmentsOf(place.cluster);
        return { cluster: place.cluster, environment: envs.length === 1 ? envs[0] : undefined, packagePath };
      }
      case 'blueprint':
        return { packagePath: packagePath ?? place.packagePath };
      default:
        return { packagePath };
    }
  }

  private packageOf(parts: string[]): string | undefined {
    for (let i = parts.length - 1; i >= 1; i--) {
      const folder = parts.slice(0, i).join('/');
      if (this.packageFolders.has(folder)) return folder;
    }
    return this.packageFolders.has('') ? '' : undefined;
  }
}
