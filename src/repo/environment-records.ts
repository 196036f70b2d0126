/**
 * Records, kept in a repository, of which environment its files belong to, for a review gate that
 * reads nothing but paths. The environment is part of the path and the files have no extension, so
 * ConfigSync, which parses only `.yaml`, `.yml` and `.json` files, never reads them even where it
 * syncs the repository root.
 *
 * - `.nephoran/environment/<env>`: every file of this repository belongs to `<env>` (a workload
 *   cluster's own repository, whose paths name no environment).
 * - `.nephoran/cluster-environments/<cluster>/<env>`: cluster `<cluster>` is in `<env>` (a
 *   management repository with `clusters/<cluster>/` and no `deployments/` to tell).
 */
export const REPOSITORY_ENVIRONMENT_FOLDER = '.nephoran/environment';
export const CLUSTER_ENVIRONMENTS_FOLDER = '.nephoran/cluster-environments';

/** What one environment record says. */
export interface EnvironmentRecord {
  readonly environment: string;
  /** The cluster, for a cluster record; undefined for a record about the whole repository. */
  readonly cluster?: string;
}

/** The path of the record that a whole repository belongs to `environment`. */
export function repositoryEnvironmentPath(environment: string): string {
  return `${REPOSITORY_ENVIRONMENT_FOLDER}/${environment}`;
}

/** The path of the record that `cluster` is in `environment`. */
export function clusterEnvironmentPath(cluster: string, environment: string): string {
  return `${CLUSTER_ENVIRONMENTS_FOLDER}/${cluster}/${environment}`;
}

/** The text of a record: a sentence for whoever opens it. */
export function environmentRecordText(record: EnvironmentRecord): string {
  const what = record.cluster ? `cluster ${record.cluster} is` : 'every file of this repository is';
  return `# Written by nephoran-gitops: ${what} in environment ${record.environment}; the review gate applies that environment's approvals.\n`;
}

/** The record a path is, or undefined when it is none. */
export function environmentRecordOf(path: string): EnvironmentRecord | undefined {
  if (!path.startsWith('.nephoran/')) return undefined;
  const parts = path.split('/');
  if (parts.length === 3 && `${parts[0]}/${parts[1]}` === REPOSITORY_ENVIRONMENT_FOLDER && parts[2] !== '') return { environment: parts[2] };
  if (parts.length === 4 && `${parts[0]}/${parts[1]}` === CLUSTER_ENVIRONMENTS_FOLDER && parts[2] !== '' && parts[3] !== '') {
    return { cluster: parts[2], environment: parts[3] };
  }
  return undefined;
}
