import { Construct } from 'constructs';
import { carriedProblems, describeValue, listProp, recordProp } from './carried-problems';
import { checkPodCidr, NetworkProblem, NODE_INTERFACE_NAME, resolveNetwork, ResolvedNetwork } from './cluster-network';
import { Environment, isEnvironment } from './environment';
import { fleetOf, IFleetMembership } from './fleet-membership';
import { GitAuth } from './git-auth';
import { BOOTSTRAP_CLUSTER_ANNOTATION, CLUSTER_NAME_LABEL, checkLabelKey, checkLabelValue, ENVIRONMENT_LABEL, REGION_LABEL, SITE_TYPE_LABEL } from './labels';
import { syncSourceFor } from './layout';
import { SiteType } from './site-type';
import { RootSync, RootSyncSpecGitAuth } from '../apis/configsync';
import { WorkloadCluster } from '../apis/nephio';
import { DeploymentTarget, NetworkDefinition } from '../kpt/blueprint';
import { KptPackage } from '../kpt/kpt-package';
import { checkDnsLabel, toDnsFragment } from '../kpt/naming';
import { PropProblems } from '../network/validation';
import { compareStrings } from '../repo/compare';
import { bootstrapFolder, MANAGEMENT_CLUSTERS_FOLDER, workloadClusterFolder } from '../repo/layout-paths';
import { SynthContext } from '../repo/synth-context';
import { IRepoValidator, markRepoValidator } from '../repo/synthesizer';

/** The namespace ConfigSync requires every RootSync (and its git Secret) to be in. */
export const CONFIG_MANAGEMENT_NAMESPACE = 'config-management-system';

export { MANAGEMENT_CLUSTERS_FOLDER };

/** Props of a Cluster. */
export interface ClusterProps {
  /**
   * The cluster name (DNS-1123 label): the RootSync, WorkloadCluster and folder names.
   * @default - the construct id
   */
  readonly name?: string;
  /** The environment the cluster belongs to. */
  readonly environment: Environment;
  /** The region, written as the `nephio.org/region` label, e.g. `eu-west`. */
  readonly region: string;
  /**
   * The site type, written as the `nephio.org/site-type` label.
   * @default - no site-type label
   */
  readonly siteType?: SiteType;
  /**
   * More cluster labels, used by placements to select clusters.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * The CNIs for secondary networks (WorkloadCluster `spec.cnis`).
   * @default ['macvlan']
   */
  readonly cnis?: string[];
  /**
   * The node interface secondary networks attach to (WorkloadCluster `spec.masterInterface`).
   * @default 'eth1'
   */
  readonly masterInterface?: string;
  /**
   * How this cluster's ConfigSync authenticates to the repository.
   * @default - the fleet's auth
   */
  readonly auth?: GitAuth;
  /**
   * The name of the Secret holding the git credentials.
   * @default - `<cluster>-git-credentials`
   */
  readonly credentialsSecretName?: string;
  /**
   * The secondary networks (Multus) the cluster offers; NF interfaces attach to them by name and
   * get their addresses allocated from their subnets. Add more with `addNetwork()`.
   * @default - none
   */
  readonly networks?: NetworkDefinition[];
  /**
   * The address ranges this cluster's pods have as other clusters see them: the pod CIDR when pods
   * are routed between clusters, the node or egress-gateway range when they are NATed. Slice
   * NetworkPolicies on other clusters allow pod-network flows with this cluster's NFs by them.
   * @default - unknown: a pod-network flow between an NF here and one on another cluster fails synth
   */
  readonly podCidrs?: string[];
}

const INTERFACE_NAME = NODE_INTERFACE_NAME;

/**
 * A workload cluster of the fleet. It writes two packages, one per cluster that applies them:
 *
 * - `clusters/<name>/`, the bootstrap package for the workload cluster: a RootSync (in
 *   config-management-system, `sourceFormat: unstructured`, the fleet's branch) that syncs the
 *   cluster's deployments folder `deployments/<environment>/<name>` (or, in the
 *   repository-per-cluster layout, the root of the cluster's own repository) and the ExternalSecret
 *   or SealedSecret that produces its git credentials, each annotated `nephio.org/cluster-name`
 *   as Nephio's bootstrap controller expects;
 * - `management/workload-clusters/<name>/` for the management cluster: the Nephio WorkloadCluster
 *   carrying the cluster labels, which Porch's PackageVariantSets select.
 *
 * Placements select clusters by these labels and by environment.
 *
 * A cluster declares the secondary networks it offers (`networks`, `addNetwork()`: a Multus CNI
 * among its `cnis`, a subnet and gateway, the node interface) and the range its pods have as other
 * clusters see them (`podCidrs`). The fleet allocates every placed interface an address from its
 * network's subnet, and slice NetworkPolicies of other clusters allow this cluster's pods by
 * `podCidrs`. Network problems (a CNI the cluster lacks, a gateway outside the subnet, two
 * networks overlapping) are reported at synth, like every invalid prop or label: nothing throws
 * before synth, which lists all of them at once.
 *
 * @example
 * const edge01 = new Cluster(fleet, 'edge-01', {
 *   environment: Environment.PRODUCTION,
 *   region: 'eu-west',
 *   siteType: SiteType.EDGE,
 *   labels: { 'nephoran.io/ran': 'oai' },
 * });
 */
export class Cluster extends Construct implements IRepoValidator {
  /** The cluster name. */
  public readonly clusterName: string;
  public readonly environment: Environment;
  public readonly region: string;
  public readonly siteType?: SiteType;
  /**
   * The folder of the synthesized tree the cluster's RootSync syncs: `deployments/<environment>/<name>`,
   * or `repositories/<name>` in the repository-per-cluster layout (the root of the cluster's
   * repository once synth splits the repositories).
   */
  public readonly deploymentsPath: string;
  /** The repository the cluster's RootSync syncs. */
  public readonly repoUrl: string;
  /** The workload cluster's bootstrap package at `clusters/<name>/`: RootSync and git credentials. */
  public readonly package: KptPackage;
  /** The management cluster's package at `management/workload-clusters/<name>/`: the WorkloadCluster. */
  public readonly managementPackage: KptPackage;
  public readonly rootSync: RootSync;
  public readonly workloadCluster: WorkloadCluster;
  /** How the cluster's ConfigSync authenticates. */
  public readonly auth: GitAuth;
  /** The CNIs the cluster offers for secondary networks. */
  public readonly cnis: string[];
  /** The node interface secondary networks attach to unless a network names its own. */
  public readonly masterInterface: string;
  private readonly labelMap = new Map<string, string>();
  /** Problems of the props and of addLabel(), reported at synth. */
  private readonly problems = new PropProblems();
  private readonly fleet: IFleetMembership;
  private readonly resolvedNetworks: ResolvedNetwork[] = [];
  private readonly invalidNetworkNames = new Set<string>();
  private readonly networkProblems: NetworkProblem[] = [];
  private networkCount = 0;
  private readonly podCidrList: string[] = [];

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id);
    markRepoValidator(this);
    this.fleet = fleetOf(this, 'Cluster');
    // Invalid props are recorded, not thrown, each with a harmless stand-in so construction goes
    // on: synth reports them with every other problem of the program.
    const problems = this.problems;
    const given = props ?? ({} as ClusterProps);
    let name = given.name ?? id;
    const nameError = checkDnsLabel(name);
    if (nameError) {
      problems.add('props.name', `${nameError}${given.name === undefined ? ` (derived from the construct id "${id}"; set props.name)` : ''}`);
      name = this.placeholderName();
    } else {
      const previous = typeof this.fleet._clusterNamed === 'function' ? this.fleet._clusterNamed(name) : undefined;
      if (previous) {
        problems.add('props.name', `two clusters named "${name}": ${previous.node.path} and ${this.node.path}; cluster names are unique in a fleet`);
        name = this.placeholderName();
      }
    }
    this.clusterName = name;
    if (!isEnvironment(given.environment)) {
      problems.add('props.environment', `is required: Environment.PRODUCTION, STAGING, DEVELOPMENT or Environment.custom(name); got ${describeValue(given.environment)}`);
      this.environment = Environment._placeholder();
    } else {
      this.environment = given.environment;
      problems.addAll('props.environment', carriedProblems(given.environment));
    }
    const regionError = checkLabelValue(given.region);
    if (typeof given.region !== 'string' || given.region === '' || regionError) {
      problems.add('props.region', regionError ?? `is required, e.g. "eu-west"; got ${JSON.stringify(given.region)}`);
      this.region = '';
    } else {
      this.region = given.region;
    }
    this.siteType = given.siteType;
    const siteTypeProblems = carriedProblems(given.siteType);
    problems.addAll('props.siteType', siteTypeProblems);
    if (given.siteType !== undefined && typeof given.siteType?.name !== 'string') {
      problems.add('props.siteType', `must be SiteType.EDGE, SiteType.REGIONAL or SiteType.custom(name); got ${describeValue(given.siteType)}`);
    }
    const source = syncSourceFor(this.fleet, this.clusterName, this.environment.name);
    this.deploymentsPath = source.folder;
    this.repoUrl = source.repoUrl;
    if (given.auth !== undefined && (given.auth === null || typeof given.auth.type !== 'string')) {
      problems.add('props.auth', `must be a GitAuth, e.g. GitAuth.token(GitCredentials.externalSecret({...})); got ${describeValue(given.auth)}`);
      this.auth = this.fleet.auth;
    } else {
      this.auth = given.auth ?? this.fleet.auth;
      if (given.auth) problems.addAll('props.auth', carriedProblems(given.auth));
    }

    const cnis: string[] = [];
    const givenCnis: unknown = given.cnis ?? ['macvlan'];
    if (!Array.isArray(givenCnis)) {
      problems.add('props.cnis', `must be a list of CNI names such as ["macvlan"]; got ${describeValue(givenCnis)}`);
    } else {
      for (const [i, cni] of givenCnis.entries()) {
        if (typeof cni !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(cni)) problems.add(`props.cnis[${i}]`, `must be a CNI name such as "macvlan", "ipvlan" or "sriov"; got ${JSON.stringify(cni)}`);
        else cnis.push(cni);
      }
    }
    let masterInterface = given.masterInterface ?? 'eth1';
    if (typeof masterInterface !== 'string' || !INTERFACE_NAME.test(masterInterface)) {
      problems.add('props.masterInterface', `must be a node interface name of at most 15 characters, e.g. "eth1"; got ${JSON.stringify(masterInterface)}`);
      masterInterface = 'eth1';
    }
    this.cnis = [...cnis];
    this.masterInterface = masterInterface;
    for (const network of listProp(problems, 'props.networks', given.networks, 'network definitions')) this.addNetwork(network);
    for (const [i, cidr] of listProp(problems, 'props.podCidrs', given.podCidrs, 'CIDRs such as "10.244.0.0/16"').entries()) {
      const error = checkPodCidr(cidr);
      if (error) this.networkProblems.push({ field: `props.podCidrs[${i}]`, message: error });
      else this.podCidrList.push(cidr);
    }
    let secretName = given.credentialsSecretName ?? `${this.clusterName}-git-credentials`;
    if (this.auth.usesSecret) {
      const secretError = checkDnsLabel(secretName);
      if (secretError) {
        problems.add('props.credentialsSecretName', secretError);
        secretName = `${this.clusterName}-git-credentials`;
      }
    }

    // No package context: `kubectl apply -f clusters/<name>/` must apply only what the cluster needs.
    this.package = new KptPackage(this, 'Package', {
      path: bootstrapFolder(this.clusterName),
      info: { description: `Bootstrap of workload cluster ${this.clusterName} (${this.environment.name}, ${this.region}): ConfigSync RootSync and git credentials; apply on that cluster` },
      packageContext: false,
    });
    this.managementPackage = new KptPackage(this, 'ManagementPackage', {
      path: workloadClusterFolder(this.clusterName),
      info: { description: `Workload cluster ${this.clusterName} (${this.environment.name}, ${this.region}) as the management cluster knows it: Nephio WorkloadCluster; apply on the management cluster` },
      packageContext: false,
    });
    // Nephio's bootstrap controller applies a staged package to the cluster this annotation names.
    const bootstrap = { [BOOTSTRAP_CLUSTER_ANNOTATION]: this.clusterName };

    this.rootSync = new RootSync(this.package, 'RootSync', {
      metadata: { name: this.clusterName, namespace: CONFIG_MANAGEMENT_NAMESPACE, annotations: bootstrap },
      spec: {
        sourceType: 'git',
        // Without it ConfigSync defaults to the hierarchy format and fails on a package tree.
        sourceFormat: 'unstructured',
        git: {
          repo: source.repoUrl,
          branch: this.fleet.branch,
          // Unset, ConfigSync syncs the repository root.
          ...(source.dir !== undefined ? { dir: source.dir } : {}),
          auth: this.auth.type as RootSyncSpecGitAuth,
          period: this.fleet.syncPeriod,
          ...(this.auth.usesSecret ? { secretRef: { name: secretName } } : {}),
          ...(this.auth.gcpServiceAccountEmail ? { gcpServiceAccountEmail: this.auth.gcpServiceAccountEmail } : {}),
        },
      },
    });
    if (this.auth.usesSecret && this.auth.credentials) {
      this.auth.credentials._render(this.package, 'GitCredentials', secretName, CONFIG_MANAGEMENT_NAMESPACE, this.auth.secretKeys, bootstrap);
    }
    this.workloadCluster = new WorkloadCluster(this.managementPackage, 'WorkloadCluster', {
      metadata: { name: this.clusterName, namespace: 'default' },
      spec: { clusterName: this.clusterName, cnis: [...cnis], masterInterface },
    });

    this.setLabel(CLUSTER_NAME_LABEL, this.clusterName);
    this.setLabel(ENVIRONMENT_LABEL, this.environment.name);
    if (this.region) this.setLabel(REGION_LABEL, this.region);
    // An invalid site type is reported above; its label would only fail later checks again.
    if (typeof this.siteType?.name === 'string' && siteTypeProblems.length === 0) this.setLabel(SITE_TYPE_LABEL, this.siteType.name);
    for (const [key, value] of Object.entries(recordProp(problems, 'props.labels', given.labels))) this.putLabel(key, value, `props.labels[${JSON.stringify(key)}]`);

    this.fleet._registerCluster(this);
  }

  /** All cluster labels (the ones derived from name, environment, region and site type included). */
  public get labels(): Record<string, string> {
    return Object.fromEntries([...this.labelMap].sort(([a], [b]) => compareStrings(a, b)));
  }

  /**
   * Adds a label; placements created before or after see it, since matching happens at synth.
   * An invalid or repeated label is reported at synth.
   */
  public addLabel(key: string, value: string): void {
    this.putLabel(key, value, `addLabel(${JSON.stringify(key)})`);
  }

  /**
   * Adds a secondary network. Problems (name, CNI not among the cluster's, subnet, gateway outside
   * it, overlap with another network of the cluster) are reported at synth.
   */
  public addNetwork(network: NetworkDefinition): void {
    const index = this.networkCount++;
    const field = `networks[${index}]${typeof network?.name === 'string' ? ` (${network.name})` : ''}`;
    const { network: resolved, problems } = resolveNetwork(network, field, this, this.resolvedNetworks);
    this.networkProblems.push(...problems);
    if (resolved) this.resolvedNetworks.push(resolved);
    else if (typeof network?.name === 'string') this.invalidNetworkNames.add(network.name);
  }

  /** The secondary networks, with gateways and master interfaces resolved (valid ones only). */
  public get networks(): NetworkDefinition[] {
    return this.resolvedNetworks.map(n => ({ ...n.definition }));
  }

  /** The pod address ranges as other clusters see them. */
  public get podCidrs(): string[] {
    return [...this.podCidrList];
  }

  /** The cluster as a package variant sees it. */
  public get target(): DeploymentTarget {
    return {
      name: this.clusterName,
      environment: this.environment.name,
      labels: this.labels,
      ...(this.resolvedNetworks.length > 0 ? { networks: this.networks } : {}),
      ...(this.podCidrList.length > 0 ? { podCidrs: this.podCidrs } : {}),
    };
  }

  /** The valid networks with their parsed subnets. @internal */
  public get _resolvedNetworks(): readonly ResolvedNetwork[] {
    return this.resolvedNetworks;
  }

  /** True for a network declared with problems (already reported), so it is not reported again as missing. @internal */
  public _hasInvalidNetwork(name: string): boolean {
    return this.invalidNetworkNames.has(name);
  }

  /** @internal */
  public _validateRepo(context: SynthContext): void {
    this.problems.report(this.node.path, context);
    for (const p of this.networkProblems) context.problems.add(this.node.path, p.field, p.message);
  }

  private putLabel(key: string, value: string, field: string): void {
    const error = checkLabelKey(key) ?? checkLabelValue(value);
    if (error) {
      this.problems.add(field, error);
      return;
    }
    const derived: Record<string, string> = { [CLUSTER_NAME_LABEL]: 'name', [ENVIRONMENT_LABEL]: 'environment', [REGION_LABEL]: 'region', [SITE_TYPE_LABEL]: 'siteType' };
    if (derived[key] && this.labelMap.has(key)) {
      this.problems.add(field, `label "${key}" comes from props.${derived[key]}; set it there instead`);
      return;
    }
    if (this.labelMap.has(key)) {
      this.problems.add(field, `cluster "${this.clusterName}" already has label "${key}" (= "${this.labelMap.get(key)}"); got "${value}"`);
      return;
    }
    this.setLabel(key, value);
  }

  /** A unique stand-in name for a cluster whose own name cannot be used, so synth goes on. */
  private placeholderName(): string {
    const name = `invalid-${toDnsFragment(this.node.id).slice(0, 24)}`.replace(/-+$/, '');
    const taken = typeof this.fleet._clusterNamed === 'function' && this.fleet._clusterNamed(name) !== undefined;
    return taken ? `${name}-${this.node.addr.slice(0, 8)}` : name;
  }

  private setLabel(key: string, value: string): void {
    this.labelMap.set(key, value);
    this.rootSync.metadata.addLabel(key, value);
    this.workloadCluster.metadata.addLabel(key, value);
  }
}
