import * as posix from 'path/posix';
import { Construct } from 'constructs';
import type { Cluster } from './cluster';
import { CLUSTER_REPOSITORIES_FOLDER } from './layout';
import type { FleetLayout } from './layout';
import { normalizeRepoUrl, SyncedFolder } from './synced-folders';
import { clusterEnvironmentPath, environmentRecordText, repositoryEnvironmentPath } from '../repo/environment-records';
import { SynthContext } from '../repo/synth-context';
import { IRepoContributor, markRepoContributor } from '../repo/synthesizer';

/**
 * Checks the cluster repositories of the repository-per-cluster layout: every file under
 * `repositories/` belongs to a cluster of the fleet, and no RootSync sits in a repository it
 * syncs (ConfigSync refuses that, KNV1069).
 */
export function checkClusterRepositories(context: SynthContext, clusters: readonly Cluster[], fleetPath: string): void {
  const byFolder = new Map(clusters.map(c => [c.deploymentsPath, c] as const));
  const strays = new Map<string, string[]>();
  for (const path of context.tree.paths()) {
    if (!path.startsWith(CLUSTER_REPOSITORIES_FOLDER + '/')) continue;
    const folder = path.split('/').slice(0, 2).join('/');
    if (byFolder.has(folder)) continue;
    let list = strays.get(folder);
    if (!list) strays.set(folder, list = []);
    list.push(path);
  }
  for (const [folder, paths] of strays) {
    const known = clusters.map(c => c.clusterName).sort().join(', ') || 'none';
    context.problems.add(fleetPath, 'layout', `"${folder}/" holds ${paths.length} file${paths.length === 1 ? '' : 's'} (${paths[0]}${paths.length > 1 ? ', ...' : ''}), but ${CLUSTER_REPOSITORIES_FOLDER}/ holds only the repositories of the fleet's clusters (${known}); write the files elsewhere or add the cluster`);
  }

  for (const rendered of context.objects) {
    const { object } = rendered;
    if (object?.kind !== 'RootSync' || !String(object.apiVersion).startsWith('configsync.gke.io/')) continue;
    const folder = rendered.filePath.split('/').slice(0, 2).join('/');
    const cluster = byFolder.get(folder);
    if (!cluster) continue;
    const git = object.spec?.git ?? {};
    if (normalizeRepoUrl(String(git.repo ?? '')) !== normalizeRepoUrl(cluster.repoUrl)) continue;
    const dir = posix.normalize(String(git.dir ?? '.')).replace(/^\/+|\/+$/g, '');
    const inRepository = rendered.filePath.slice(folder.length + 1);
    if (dir === '.' || dir === '' || inRepository.startsWith(dir + '/')) {
      context.problems.add(rendered.constructPath, 'spec.git.dir', `RootSync "${object.metadata?.name}" is in the repository of cluster ${cluster.clusterName} (${inRepository}) and syncs ${dir === '.' || dir === '' ? 'its root' : `"${dir}"`}, which holds the RootSync itself; ConfigSync refuses that (KNV1069): keep RootSyncs in the management repository's clusters/<cluster>/`);
    }
  }
}

/**
 * The folders the clusters' RootSyncs sync in the repository-per-cluster layout: each cluster's
 * repository, as a folder of the synthesized tree. With `skipEmpty`, repositories synth writes
 * nothing into are left out (Porch fills them).
 */
export function clusterRepositorySyncedFolders(
  context: SynthContext,
  clusters: readonly Cluster[],
  options: { readonly skipEmpty: boolean },
): SyncedFolder[] {
  const withFiles = new Set<string>();
  if (options.skipEmpty) {
    for (const path of context.tree.paths()) if (path.startsWith(CLUSTER_REPOSITORIES_FOLDER + '/')) withFiles.add(path.split('/').slice(0, 2).join('/'));
  }
  return clusters
    .filter(c => !options.skipEmpty || withFiles.has(c.deploymentsPath))
    .map(c => ({ folder: c.deploymentsPath, rootSyncName: c.clusterName, constructPath: c.rootSync.node.path }));
}

/**
 * Writes, in the repository-per-cluster layout, the records that tell the review gate which
 * environment each repository's files belong to (paths under `.nephoran/`, no file extension, so
 * ConfigSync never reads them): in each cluster's repository the cluster's environment, and in
 * the management repository each cluster's, for its `clusters/<cluster>/` and
 * `management/workload-clusters/<cluster>/`. The single-repository layout needs none: its paths
 * (`deployments/<env>/<cluster>/`) say it.
 */
export class ClusterEnvironmentRecords extends Construct implements IRepoContributor {
  constructor(scope: Construct, id: string, private readonly source: { readonly clusters: readonly Cluster[]; readonly layout: FleetLayout }) {
    super(scope, id);
    markRepoContributor(this);
  }

  /** @internal */
  public _renderRepoFiles(context: SynthContext): void {
    if (!this.source.layout.isRepositoryPerCluster) return;
    const clusters = [...this.source.clusters].sort((a, b) => (a.clusterName < b.clusterName ? -1 : a.clusterName > b.clusterName ? 1 : 0));
    for (const cluster of clusters) {
      const environment = cluster.environment.name;
      context.addFile(`${cluster.deploymentsPath}/${repositoryEnvironmentPath(environment)}`, environmentRecordText({ environment }), this);
      const clusterRecord = environmentRecordText({ environment, cluster: cluster.clusterName });
      context.addFile(clusterEnvironmentPath(cluster.clusterName, environment), clusterRecord, this);
    }
  }
}
