import { checkDnsLabel, checkDnsSubdomain } from '../kpt/naming';
import { credentialInUrl, GIT_URL, redactUrl, URL_CREDENTIAL_ADVICE } from '../repo/git-url';
import { deploymentsFolder } from '../repo/layout-paths';

/**
 * In the repository-per-cluster layout, the folder of the synthesized tree that holds each
 * cluster's repository (`repositories/<cluster>/`). Synth splits it off into a repository of its
 * own; the folder never appears in any repository.
 */
export const CLUSTER_REPOSITORIES_FOLDER = 'repositories';

/** The placeholder a cluster repository URL template must hold. */
export const CLUSTER_PLACEHOLDER = '{cluster}';

/** Stands in for an invalid repoUrlTemplate, so that synth goes on to report every problem. */
const PLACEHOLDER_TEMPLATE = 'https://git.invalid/{cluster}.git';

/** Options of the repository-per-cluster layout. */
export interface RepositoryPerClusterOptions {
  /**
   * The URL of each workload cluster's repository, with `{cluster}` where the cluster name goes,
   * e.g. `https://git.example.com/nephio/{cluster}.git` (Nephio names each repository after its
   * cluster).
   */
  readonly repoUrlTemplate: string;
  /**
   * The name of the management repository (the Fleet's `repoUrl`, holding `packages/` and
   * `clusters/`): its folder when the repositories are written out and its remote's name.
   * @default - the last segment of the Fleet's repoUrl without `.git`
   */
  readonly managementRepositoryName?: string;
}

/**
 * How a Fleet lays its output out over git repositories.
 *
 * - `SINGLE_REPOSITORY` (the default): one repository with `packages/`, `deployments/<env>/<cluster>/`
 *   and `clusters/<cluster>/`; each RootSync syncs its cluster's deployments folder.
 * - `repositoryPerCluster(...)`: Nephio R5's own model. The management repository keeps
 *   `packages/`, `clusters/<cluster>/` (RootSync, git credentials) and `management/` (WorkloadClusters); each workload
 *   cluster gets a repository named after it holding each deployed package at `/<package>/`,
 *   and its RootSync syncs that repository's root. No RootSync is ever inside the repository it
 *   syncs.
 *
 * `docs/LAYOUTS.md` says when to choose which, with a complete program for each.
 */
export class FleetLayout {
  /** One repository for packages, every cluster's deployments and the cluster folders. */
  public static readonly SINGLE_REPOSITORY = new FleetLayout('single-repository');

  /**
   * One repository per workload cluster, named after it, beside the management repository.
   * Invalid options are not thrown: the layout carries them, and the Fleet reports them at synth.
   */
  public static repositoryPerCluster(options: RepositoryPerClusterOptions): FleetLayout {
    const problems: string[] = [];
    let template = options?.repoUrlTemplate;
    if (typeof template !== 'string' || !template.includes(CLUSTER_PLACEHOLDER)) {
      problems.push(`FleetLayout.repositoryPerCluster: repoUrlTemplate must hold "${CLUSTER_PLACEHOLDER}" where the cluster name goes, e.g. "https://git.example.com/nephio/{cluster}.git"; got ${JSON.stringify(typeof template === 'string' ? redactUrl(template) : template)}`);
    } else {
      const sample = template.split(CLUSTER_PLACEHOLDER).join('edge-01');
      const credential = credentialInUrl(sample);
      if (credential) {
        problems.push(`FleetLayout.repositoryPerCluster: repoUrlTemplate: ${credential}; ${URL_CREDENTIAL_ADVICE}`);
      } else if (!GIT_URL.test(sample)) {
        problems.push(`FleetLayout.repositoryPerCluster: repoUrlTemplate must give a git URL such as "https://git.example.com/nephio/{cluster}.git"; ${JSON.stringify(redactUrl(template))} gives ${JSON.stringify(redactUrl(sample))}`);
      }
    }
    // A placeholder that gives every cluster a repository of its own, so synth reports the rest.
    if (problems.length > 0) template = PLACEHOLDER_TEMPLATE;
    let managementRepositoryName = options?.managementRepositoryName;
    if (managementRepositoryName !== undefined) {
      const error = checkDnsLabel(managementRepositoryName);
      if (error) {
        problems.push(`FleetLayout.repositoryPerCluster: managementRepositoryName ${error}`);
        managementRepositoryName = undefined;
      }
    }
    return new FleetLayout('repository-per-cluster', template, managementRepositoryName, problems);
  }

  private constructor(
    /** `single-repository` or `repository-per-cluster`. */
    public readonly name: string,
    /** The cluster repository URL template (repository-per-cluster only). */
    public readonly repoUrlTemplate?: string,
    /** The management repository name, when given. */
    public readonly managementRepositoryName?: string,
    private readonly problems: readonly string[] = [],
  ) {}

  /** Problems in the options the layout was made with, reported by the Fleet given it. @internal */
  public get _problems(): string[] {
    return [...this.problems];
  }

  /** True for the repository-per-cluster layout. */
  public get isRepositoryPerCluster(): boolean {
    return this.repoUrlTemplate !== undefined;
  }

  /** The repository URL of a cluster (the management repository's in the single layout). */
  public clusterRepoUrl(clusterName: string, managementRepoUrl: string): string {
    return this.repoUrlTemplate ? this.repoUrlTemplate.split(CLUSTER_PLACEHOLDER).join(clusterName) : managementRepoUrl;
  }
}

/** The annotation Nephio's approval controller reads on PackageRevisions. */
export const APPROVAL_POLICY_ANNOTATION = 'approval.nephio.org/policy';

/** When Nephio's approval controller publishes the package revisions Porch creates. */
export enum PorchApprovalPolicy {
  /** Approve a package's first revision only; later revisions wait for a person. */
  INITIAL = 'initial',
  /** Approve every revision once it is ready. */
  ALWAYS = 'always',
}

/** Options of the Porch delivery mode. */
export interface PorchDeliveryOptions {
  /**
   * The name of the Porch Repository that registers the management repository's `packages/`
   * folder, where the blueprints are (deployment: false). `mgmt` and `mgmt-staging` are refused:
   * Nephio R5's management cluster has Repositories of those names.
   * @default - `<management repository name>-blueprints`
   */
  readonly blueprintRepositoryName?: string;
  /**
   * The Secret (basic auth: `username` and `password`, in namespace `default`) every Porch
   * Repository authenticates with.
   * @default - `<repository>-access-token-porch` for each repository, Nephio's convention
   */
  readonly secretName?: string;
  /**
   * Have Nephio's approval controller publish the package revisions Porch creates
   * (annotation `approval.nephio.org/policy` on each PackageVariant's revisions).
   * @default - none: every revision waits for `porchctl rpkg approve`
   */
  readonly approvalPolicy?: PorchApprovalPolicy;
}

/**
 * Who fans the placed packages out to the clusters.
 *
 * - `HYDRATED` (the default): synth renders one hydrated variant per cluster and placement.
 * - `porch(...)`: synth emits the blueprints (plus one variant per override scope), one Porch
 *   Repository per cluster repository, and PackageVariantSets that select WorkloadClusters by
 *   label; Porch on the management cluster clones the packages into the cluster repositories.
 *   Needs the repository-per-cluster layout. `docs/LAYOUTS.md` says how overrides map to
 *   Porch and when to choose it.
 */
export class DeliveryMode {
  /** Synth writes every cluster's hydrated packages. */
  public static readonly HYDRATED = new DeliveryMode('hydrated');

  /**
   * Porch on the management cluster fans the packages out, selecting clusters by label. Invalid
   * options are not thrown: the mode carries them, and the Fleet reports them at synth.
   */
  public static porch(given: PorchDeliveryOptions = {}): DeliveryMode {
    const options = given ?? {};
    const problems: string[] = [];
    const valid: { -readonly [K in keyof PorchDeliveryOptions]: PorchDeliveryOptions[K] } = { ...options };
    if (options.blueprintRepositoryName !== undefined) {
      const error = checkDnsLabel(options.blueprintRepositoryName);
      if (error) {
        problems.push(`DeliveryMode.porch: blueprintRepositoryName ${error}`);
        delete valid.blueprintRepositoryName;
      }
    }
    if (options.secretName !== undefined) {
      const error = checkDnsSubdomain(options.secretName);
      if (error) {
        problems.push(`DeliveryMode.porch: secretName ${error}`);
        delete valid.secretName;
      }
    }
    if (options.approvalPolicy !== undefined && !Object.values(PorchApprovalPolicy).includes(options.approvalPolicy)) {
      problems.push(`DeliveryMode.porch: approvalPolicy must be one of ${Object.values(PorchApprovalPolicy).join(', ')}; got ${JSON.stringify(options.approvalPolicy)}`);
      delete valid.approvalPolicy;
    }
    return new DeliveryMode('porch', valid, problems);
  }

  private constructor(
    /** `hydrated` or `porch`. */
    public readonly name: string,
    /** The Porch options (Porch mode only). */
    public readonly porchOptions?: PorchDeliveryOptions,
    private readonly problems: readonly string[] = [],
  ) {}

  /** Problems in the options the mode was made with, reported by the Fleet given it. @internal */
  public get _problems(): string[] {
    return [...this.problems];
  }

  /** True for the Porch mode. */
  public get isPorch(): boolean {
    return this.porchOptions !== undefined;
  }
}

/** Where a cluster's RootSync reads from, and which folder of the synthesized tree that is. */
export interface ClusterSyncSource {
  /** The repository URL the RootSync syncs. */
  readonly repoUrl: string;
  /** `spec.git.dir`; undefined to sync the repository root. */
  readonly dir?: string;
  /** The folder of the synthesized tree the RootSync reads. */
  readonly folder: string;
}

/** A fleet that decides where each cluster's RootSync syncs from (its layout). */
export interface IClusterSyncSources {
  /** @internal */
  _syncSourceFor(clusterName: string, environmentName: string): ClusterSyncSource;
}

/** Where a cluster syncs from: the fleet's layout decides, else the single-repository layout. */
export function syncSourceFor(fleet: { readonly repoUrl: string }, clusterName: string, environmentName: string): ClusterSyncSource {
  const resolver = fleet as Partial<IClusterSyncSources>;
  if (typeof resolver._syncSourceFor === 'function') return resolver._syncSourceFor(clusterName, environmentName);
  return singleRepositorySource(fleet.repoUrl, clusterName, environmentName);
}

/** The single-repository layout: `deployments/<environment>/<cluster>` of the fleet's repository. */
export function singleRepositorySource(repoUrl: string, clusterName: string, environmentName: string): ClusterSyncSource {
  const folder = deploymentsFolder(environmentName, clusterName);
  return { repoUrl, dir: folder, folder };
}

/** The repository name a git URL suggests: its last path segment without `.git`. */
export function repositoryNameOf(repoUrl: string): string {
  const trimmed = repoUrl.trim().replace(/\/+$/, '').replace(/\.git$/, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf(':'));
  return trimmed.slice(cut + 1);
}
