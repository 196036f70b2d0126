import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { allocateAddresses, ClusterAddresses } from './address-allocation';
import { carriedProblems, describeValue } from './carried-problems';
import { Cluster, ClusterProps, CONFIG_MANAGEMENT_NAMESPACE } from './cluster';
import { checkClusterRepositories, ClusterEnvironmentRecords, clusterRepositorySyncedFolders } from './cluster-repositories';
import { Environment } from './environment';
import { IFleetMembership, isFleet, markFleet } from './fleet-membership';
import { FleetView } from './fleet-view';
import { GitAuth } from './git-auth';
import { CLUSTER_NAME_LABEL } from './labels';
import { CLUSTER_REPOSITORIES_FOLDER, ClusterSyncSource, DeliveryMode, FleetLayout, IClusterSyncSources, repositoryNameOf, singleRepositorySource } from './layout';
import { NAMESPACES_PACKAGE, Placement, PlacementProps } from './placement';
import { checkResourceQuotas, PlacedFolder } from './quota-check';
import { checkSyncedFolders, SyncedFolder, syncedFolderOf } from './synced-folders';
import { DeploymentTarget, WorkloadOverrides } from '../kpt/blueprint';
import { KptFunction } from '../kpt/kpt-function';
import { KptPackage } from '../kpt/kpt-package';
import { checkDnsLabel, toDnsFragment } from '../kpt/naming';
import { PropProblems } from '../network/validation';
import { packageValidators, policyEnforcerStep } from '../policy/enforcer/package-validators';
import { POLICY_ENFORCER_NAME } from '../policy/enforcer/policy-enforcer-function';
import { isNamespaceLabelProvider, PodSecurityLevel } from '../policy/pod-security';
import { enforcedLevel } from '../policy/pod-security-admission';
import { EnforcementScope, IEnforcementScopeProvider, PolicyEnforcement } from '../policy/policy-enforcement';
import { podSecurityFindings } from '../policy/rule-findings';
import { RuleSet } from '../policy/rule-set';
import { describeObject } from '../policy/rules/rule';
import { compareStrings } from '../repo/compare';
import { credentialInUrl, redactUrl, URL_CREDENTIAL_ADVICE } from '../repo/git-url';
import { declareRepository } from '../repo/repo-set';
import { ProblemSink, RenderedObject, SynthContext } from '../repo/synth-context';
import { ProblemCollector } from '../repo/synth-error';
import { IRepoContributor, IRepoPreparer, IRepoValidator, markRepoContributor, markRepoPreparer, markRepoValidator } from '../repo/synthesizer';
import { checkPorchPodSecurity, planPorchFanOut, porchEnforcementScopes, PorchScope } from './porch/porch-fan-out';

/** Props of a Fleet. */
export interface FleetProps {
  /**
   * The git URL of this repository: what every RootSync syncs and what every deployed variant
   * records as its upstream, e.g. `https://git.example.com/telco/fleet.git`.
   */
  readonly repoUrl: string;
  /**
   * The branch the RootSyncs sync (ConfigSync would default to `master`).
   * @default 'main'
   */
  readonly branch?: string;
  /**
   * The ref deployed variants record for their blueprint (Kptfile `upstream.git.ref`).
   * @default - the branch
   */
  readonly upstreamRef?: string;
  /** How ConfigSync authenticates to the repository; a cluster can set its own. */
  readonly auth: GitAuth;
  /**
   * How often ConfigSync polls the repository (a Go duration).
   * @default '15s'
   */
  readonly syncPeriod?: string;
  /**
   * The policy rules checked over every rendered object, with their severities.
   * @default RuleSet.defaults()
   */
  readonly rules?: RuleSet;
  /**
   * How the output is laid out over repositories: one repository, or one per workload cluster
   * beside the management repository (`repoUrl`).
   * @default FleetLayout.SINGLE_REPOSITORY
   */
  readonly layout?: FleetLayout;
  /**
   * Who fans the placed packages out to the clusters: synth (hydrated variants), or Porch on the
   * management cluster (PackageVariantSets; needs the repository-per-cluster layout).
   * @default DeliveryMode.HYDRATED
   */
  readonly deliveryMode?: DeliveryMode;
}

/** Namespaces every cluster already has; the fleet never writes Namespace objects for them. */
const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', CONFIG_MANAGEMENT_NAMESPACE]);
/** Stands in for an invalid repoUrl (never a URL with a credential), so construction goes on. */
const PLACEHOLDER_REPO_URL = 'https://git.invalid/fleet.git';
const GIT_URL = /^((https?|ssh|git|file):\/\/\S+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\S+)$/;
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const fleetsByRoot = new WeakMap<IConstruct, Fleet>();

/**
 * The clusters of one GitOps repository and the packages placed on them. At synth it matches
 * every Placement against the clusters (once, through a label index), writes each cluster's
 * package variants and Namespace objects under `deployments/<environment>/<cluster>/`, checks each
 * folder a RootSync syncs (fully rendered, no duplicates, below 5,000 objects), checks that no pod
 * breaks the Pod Security level enforced on its namespace, and checks the policy rules over every
 * object with the severity of the object's environment.
 *
 * Before variants render, it allocates each placed interface an address on its cluster's network
 * (fixed addresses kept; the others hashed from cluster, network, package and interface into the
 * subnet, so adding a package moves no other address unless their hashes collide) and gives every
 * variant a view of where its peers run. After they render, it checks every ResourceQuota that
 * reaches a cluster (in its synced folder, or with Porch in the packages Porch clones for it)
 * against the workloads placed in its namespace on that cluster: the steady state, and the steady
 * state plus the largest single-workload surge of a rolling update.
 *
 * With `layout: FleetLayout.repositoryPerCluster(...)` each cluster's variants go to a repository
 * of its own instead, and with `deliveryMode: DeliveryMode.porch()` synth emits Porch
 * PackageVariantSets that fan the blueprints out (see docs/LAYOUTS.md).
 *
 * Invalid props (of the fleet, its clusters and placements, and of the layout, delivery mode and
 * auth values given to them) never throw: synth reports each with its construct path and field,
 * together with every other problem of the program, and writes nothing.
 *
 * @example
 * const repo = new GitOpsRepository();
 * const fleet = new Fleet(repo, 'fleet', {
 *   repoUrl: 'https://git.example.com/telco/fleet.git',
 *   auth: GitAuth.token(GitCredentials.externalSecret({ secretStoreName: 'vault', remoteKey: 'gitops/fleet-read-token' })),
 * });
 * const edge01 = new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
 * new Placement(fleet, 'upf-edge', { blueprint: upf, matchLabels: { 'nephio.org/site-type': 'edge' } });
 * repo.synth();
 */
export class Fleet extends Construct
  implements IFleetMembership, IRepoPreparer, IRepoContributor, IRepoValidator, IEnforcementScopeProvider, IClusterSyncSources {
  /** The Fleet above a construct. */
  public static of(construct: IConstruct): Fleet {
    for (let scope: IConstruct | undefined = construct; scope; scope = scope.node.scope) {
      if (isFleet(scope)) return scope as Fleet;
    }
    throw new Error(`${construct.node.path || '(the root)'} is not inside a Fleet: call Fleet.of() with a construct created under the Fleet, e.g. a Cluster or Placement (new Cluster(fleet, 'edge-01', {...}))`);
  }

  public readonly repoUrl: string;
  public readonly branch: string;
  public readonly upstreamRef: string;
  public readonly auth: GitAuth;
  public readonly syncPeriod: string;
  /** The policy rules this fleet enforces. */
  public readonly enforcement: PolicyEnforcement;
  /** How the output is laid out over repositories. */
  public readonly layout: FleetLayout;
  /** Who fans the placed packages out to the clusters. */
  public readonly deliveryMode: DeliveryMode;
  /**
   * The name of the repository at `repoUrl` when the output spans several repositories: its
   * folder when they are written out and its remote's name.
   */
  public readonly managementRepositoryName: string;
  private readonly clusterList: Cluster[] = [];
  private readonly placementList: Placement[] = [];
  /** Problems of the props and of cluster registration, reported at synth. */
  private readonly problems = new PropProblems();
  /** True for a second Fleet in one repository: it only reports that. */
  private readonly inert: boolean = false;
  private readonly clustersByName = new Map<string, Cluster>();
  private readonly environments = new Map<string, Cluster>();
  /** Package folders this fleet rendered in the current synth. */
  /** Constructs the last synth created (variants, namespaces packages), removed before the next. */
  private created: Array<{ parent: Construct; id: string }> = [];
  /** Porch's fan-out planned in the current synth (Porch mode). */
  private porchScopes: readonly PorchScope[] = [];
  private placedFolders: PlacedFolder[] = [];

  constructor(scope: Construct, id: string, props: FleetProps) {
    super(scope, id);
    // Invalid props are recorded, not thrown, each with a harmless stand-in so construction goes
    // on: synth reports them with every other problem of the program.
    const problems = this.problems;
    const root = this.node.root;
    const existing = fleetsByRoot.get(root);
    if (existing) {
      problems.add('', `a repository holds one Fleet, and ${existing.node.path} is already there; add the clusters to it (new Cluster(${existing.node.id}, ...)) and remove this one`);
      this.inert = true;
    } else {
      fleetsByRoot.set(root, this);
    }

    const repoUrl: unknown = props?.repoUrl;
    const credential = typeof repoUrl === 'string' ? credentialInUrl(repoUrl) : undefined;
    if (credential) {
      problems.add('props.repoUrl', `${credential}; ${URL_CREDENTIAL_ADVICE}`);
      this.repoUrl = PLACEHOLDER_REPO_URL;
    } else if (typeof repoUrl !== 'string' || !GIT_URL.test(repoUrl)) {
      problems.add('props.repoUrl', `must be a git URL such as "https://git.example.com/telco/fleet.git" or "git@git.example.com:telco/fleet.git"; got ${JSON.stringify(typeof repoUrl === 'string' ? redactUrl(repoUrl) : repoUrl)}`);
      this.repoUrl = PLACEHOLDER_REPO_URL;
    } else {
      this.repoUrl = repoUrl;
    }
    this.branch = validRef(problems, 'props.branch', props?.branch ?? 'main', 'main');
    this.upstreamRef = validRef(problems, 'props.upstreamRef', props?.upstreamRef ?? this.branch, this.branch);
    if (!props?.auth || typeof props.auth.type !== 'string') {
      problems.add('props.auth', `is required, e.g. GitAuth.token(GitCredentials.externalSecret({...})) or GitAuth.none() for a public repository; got ${describeValue(props?.auth)}`);
      this.auth = GitAuth.none();
    } else {
      this.auth = props.auth;
      problems.addAll('props.auth', carriedProblems(this.auth));
    }
    this.syncPeriod = props?.syncPeriod ?? '15s';
    if (typeof this.syncPeriod !== 'string' || !GO_DURATION.test(this.syncPeriod)) {
      problems.add('props.syncPeriod', `must be a Go duration such as "15s" or "1m"; got ${JSON.stringify(this.syncPeriod)}`);
      this.syncPeriod = '15s';
    }
    let layout = props?.layout ?? FleetLayout.SINGLE_REPOSITORY;
    if (!(layout instanceof FleetLayout)) {
      problems.add('props.layout', `must be FleetLayout.SINGLE_REPOSITORY or FleetLayout.repositoryPerCluster({...}); got ${describeValue(layout)}`);
      layout = FleetLayout.SINGLE_REPOSITORY;
    }
    problems.addAll('props.layout', carriedProblems(layout));
    let deliveryMode = props?.deliveryMode ?? DeliveryMode.HYDRATED;
    if (!(deliveryMode instanceof DeliveryMode)) {
      problems.add('props.deliveryMode', `must be DeliveryMode.HYDRATED or DeliveryMode.porch({...}); got ${describeValue(deliveryMode)}`);
      deliveryMode = DeliveryMode.HYDRATED;
    }
    problems.addAll('props.deliveryMode', carriedProblems(deliveryMode));
    if (deliveryMode.isPorch && !layout.isRepositoryPerCluster) {
      problems.add('props.deliveryMode', 'DeliveryMode.porch() delivers into one Porch deployment repository per cluster: set layout: FleetLayout.repositoryPerCluster({ repoUrlTemplate: "https://git.example.com/nephio/{cluster}.git" })');
      deliveryMode = DeliveryMode.HYDRATED;
    }
    this.layout = layout;
    this.deliveryMode = deliveryMode;
    this.managementRepositoryName = this.layout.managementRepositoryName ?? repositoryNameOf(this.repoUrl);
    const managementNameError = this.layout.isRepositoryPerCluster ? checkDnsLabel(this.managementRepositoryName) : undefined;
    if (managementNameError) {
      problems.add('props.repoUrl', `the management repository takes its name from repoUrl, and "${this.managementRepositoryName}" ${managementNameError}; set FleetLayout.repositoryPerCluster({ managementRepositoryName })`);
      this.managementRepositoryName = toDnsFragment(this.managementRepositoryName).slice(0, 63).replace(/-+$/, '') || 'management';
    }

    markFleet(this);
    markRepoPreparer(this);
    markRepoContributor(this);
    markRepoValidator(this);
    this.enforcement = new PolicyEnforcement(this, 'PolicyRules', { rules: props?.rules ?? RuleSet.defaults(), scopes: this });
    // A second fleet only reports that it is one too many: its records would clash with the first's.
    if (!this.inert) new ClusterEnvironmentRecords(this, 'EnvironmentRecords', { clusters: this.clusterList, layout: this.layout });
  }

  /** The clusters, in the order they were created. */
  public get clusters(): Cluster[] {
    return [...this.clusterList];
  }

  /** The placements, in the order they were created. */
  public get placements(): Placement[] {
    return [...this.placementList];
  }

  /** Creates a cluster in this fleet. */
  public addCluster(id: string, props: ClusterProps): Cluster {
    return new Cluster(this, id, props);
  }

  /** Places a package on the clusters the props select. */
  public addPlacement(id: string, props: PlacementProps): Placement {
    return new Placement(this, id, props);
  }

  /** The clusters a placement selects now, by name. */
  public clustersSelectedBy(placement: Placement): Cluster[] {
    return this.clusterList.filter(c => placement.selects(c)).sort(byName);
  }

  /** The cluster folders and their environments, for the policy rules (and, with Porch, what Porch delivers). */
  public enforcementScopes(): EnforcementScope[] {
    return [...this.clusterList.flatMap(c => {
      const scope = { cluster: c.clusterName, environment: c.environment.name, profile: c.environment.policyProfile };
      return [c.deploymentsPath, c.package.packagePath, c.managementPackage.packagePath].map(folder => ({ ...scope, folder }));
    }), ...porchEnforcementScopes(this.porchScopes)];
  }

  /** @internal */
  public _syncSourceFor(clusterName: string, environmentName: string): ClusterSyncSource {
    if (!this.layout.isRepositoryPerCluster) return singleRepositorySource(this.repoUrl, clusterName, environmentName);
    // The RootSync syncs the root of the cluster's own repository (no dir).
    return { repoUrl: this.layout.clusterRepoUrl(clusterName, this.repoUrl), folder: `${CLUSTER_REPOSITORIES_FOLDER}/${clusterName}` };
  }

  /** The cluster registered under `name`, if any. @internal */
  public _clusterNamed(name: string): Cluster | undefined {
    return this.clustersByName.get(name);
  }

  /** @internal */
  public _registerCluster(cluster: Cluster): void {
    const where = cluster.node.path;
    const previous = this.clustersByName.get(cluster.clusterName);
    if (previous) {
      this.problems.add('props.name', `two clusters named "${cluster.clusterName}": ${previous.node.path} and ${cluster.node.path}; cluster names are unique in a fleet`, where);
      return;
    }
    if (this.layout.isRepositoryPerCluster && cluster.clusterName === this.managementRepositoryName) {
      this.problems.add('props.name', `cluster "${cluster.clusterName}" (${cluster.node.path}) would get a repository named like the management repository "${this.managementRepositoryName}"; rename the cluster or set FleetLayout.repositoryPerCluster({ managementRepositoryName })`, where);
    }
    const sameEnv = this.environments.get(cluster.environment.name);
    if (sameEnv && !sameEnv.environment.equals(cluster.environment)) {
      this.problems.add('props.environment', `cluster "${cluster.clusterName}" is in environment "${cluster.environment.name}" with policy profile ${cluster.environment.policyProfile}, but cluster "${sameEnv.clusterName}" is in an environment of that name with profile ${sameEnv.environment.policyProfile}; define the environment once and share it`, where);
    }
    if (!sameEnv) this.environments.set(cluster.environment.name, cluster);
    this.clustersByName.set(cluster.clusterName, cluster);
    this.clusterList.push(cluster);
  }

  /** @internal */
  public _registerPlacement(placement: Placement): void {
    this.placementList.push(placement);
  }

  /**
   * Creates, from the fleet as it is at synth, the variants of every placement on every cluster
   * it selects (or Porch's fan-out) and each cluster's namespaces package. They are ordinary
   * constructs from here on: synth renders and checks them with everything else.
   * @internal
   */
  public _prepareRepo(problems: ProblemCollector): void {
    if (this.inert) return;
    const sink = { problems };
    // Created afresh on every synth: clusters and placements may have changed since the last.
    for (const { parent, id } of this.created) parent.node.tryRemoveChild(id);
    const created: Array<{ parent: Construct; id: string }> = this.created = [];
    this.porchScopes = [];
    const plan = this.planPlacements(sink);
    // Addresses are allocated in both delivery modes, so that a missing network fails either.
    const addresses = allocateAddresses(plan, sink);
    const placed = this.placedView(plan, addresses);
    this.placedFolders = placed.folders;
    const namespaceLabels = new Map<Cluster, Map<string, Record<string, string>>>();
    for (const [cluster, placements] of plan) namespaceLabels.set(cluster, this.namespaceLabelsFor(cluster, placements, sink));
    if (this.deliveryMode.isPorch) {
      const fanOut = planPorchFanOut({
        fleet: this,
        repoUrl: this.repoUrl,
        branch: this.branch,
        upstreamRef: this.upstreamRef,
        options: this.deliveryMode.porchOptions!,
        managementRepositoryName: this.managementRepositoryName,
        clusters: [...this.clusterList].sort(byName),
        placements: this.placementList,
        plan,
        namespaceLabels,
        declaredNamespaces: namespacesDeclaredBy,
        context: sink,
        created,
        addresses: (cluster, placement) => addresses.get(cluster)?.get(placement) ?? {},
        fleetView: placed.view,
        environmentValidator: environment => policyEnforcerStep(this, {
          rules: this.enforcement.rules, profile: environment.policyProfile, environment: environment.name, name: `policy-enforcer-${environment.name}`,
        }),
      });
      this.porchScopes = fanOut.scopes;
      const variantAt = new Map(fanOut.variants.map(v => [v.packagePath, v] as const));
      for (const scope of fanOut.scopes) {
        const variant = variantAt.get(scope.upstreamPath);
        variantAt.delete(scope.upstreamPath);
        if (variant) this.declareValidators(variant, scope.environment);
      }
    } else {
      this.createVariants(plan, namespaceLabels, placed, sink, created);
    }
    this.alignEnforcerSteps();
    // A package that declares a Namespace itself (a slice) is delivered with it: no second copy.
    const declaredInFolder = new Set([...plan].flatMap(([cluster, placements]) =>
      placements.flatMap(p => [...namespacesDeclaredBy(p)].map(ns => `${cluster.deploymentsPath}\n${ns}`))));
    this.createNamespacePackages(plan, namespaceLabels, declaredInFolder, created);
  }

  /** @internal */
  public _renderRepoFiles(context: SynthContext): void {
    if (this.inert) return;
    this.declareRepositories(context);
  }

  /** @internal */
  public _validateRepo(context: SynthContext): void {
    this.problems.report(this.node.path, context);
    if (this.inert) return;
    if (this.layout.isRepositoryPerCluster) {
      checkClusterRepositories(context, this.clusterList, this.node.path);
      // With Porch, the packages of a cluster repository come from Porch: only synth's own files are checked.
      checkSyncedFolders(context, clusterRepositorySyncedFolders(context, this.clusterList, { skipEmpty: this.deliveryMode.isPorch }), this.repoUrl);
    } else {
      const folders: SyncedFolder[] = [];
      for (const rendered of context.objects) {
        const folder = syncedFolderOf(rendered.object, this.repoUrl);
        if (folder === undefined) continue;
        folders.push({ folder, rootSyncName: String(rendered.object.metadata?.name), constructPath: rendered.constructPath });
      }
      checkSyncedFolders(context, folders, this.repoUrl);
    }
    this.checkPodSecurity(context);
    checkPorchPodSecurity(context, this.porchScopes);
    // With Porch each cluster gets the package of each scope it is in, as Porch clones it.
    checkResourceQuotas(context, this.deliveryMode.isPorch ? porchPlacedFolders(this.porchScopes) : this.placedFolders);
  }

  /**
   * In the repository-per-cluster layout: the management repository takes everything but
   * `repositories/<cluster>/`, which becomes the cluster's repository.
   */
  private declareRepositories(context: SynthContext): void {
    if (!this.layout.isRepositoryPerCluster) return;
    declareRepository(context, { name: this.managementRepositoryName, folder: '' }, this);
    for (const cluster of [...this.clusterList].sort(byName)) {
      declareRepository(context, { name: cluster.clusterName, folder: cluster.deploymentsPath }, cluster);
    }
  }

  /**
   * Pods the Pod Security admission controller would reject, given the enforce level on their
   * namespace in the same cluster folder: their workload is applied but its pods never start.
   */
  private checkPodSecurity(context: SynthContext): void {
    const clusterByFolder = new Map(this.clusterList.map(c => [c.deploymentsPath, c] as const));
    const inCluster = (path: string): Cluster | undefined => {
      for (let end = path.lastIndexOf('/'); end > 0; end = path.lastIndexOf('/', end - 1)) {
        const cluster = clusterByFolder.get(path.slice(0, end));
        if (cluster) return cluster;
      }
      return undefined;
    };
    const levels = new Map<string, PodSecurityLevel>();
    const workloads: Array<{ rendered: RenderedObject; cluster: Cluster }> = [];
    for (const rendered of context.objects) {
      const cluster = inCluster(rendered.filePath);
      if (!cluster) continue;
      const { kind, apiVersion, metadata } = rendered.object;
      if (kind === 'Namespace' && apiVersion === 'v1') {
        const level = enforcedLevel(rendered.object);
        if (level) levels.set(`${cluster.clusterName}\n${metadata?.name}`, level);
      } else if (metadata?.namespace) {
        workloads.push({ rendered, cluster });
      }
    }
    for (const { rendered, cluster } of workloads) {
      const namespace = rendered.object.metadata.namespace;
      const level = levels.get(`${cluster.clusterName}\n${namespace}`);
      if (!level) continue;
      for (const finding of podSecurityFindings(rendered.object, level)) {
        context.problems.add(rendered.constructPath, finding.field, `pod-security: ${describeObject(rendered.object)} on cluster ${cluster.clusterName}: ${finding.message}`);
      }
    }
  }

  /**
   * Matches placements to clusters through a label index built once, so the cost grows with
   * placements x (clusters carrying their rarest label), not placements x clusters x labels.
   */
  private planPlacements(context: ProblemSink): Map<Cluster, Placement[]> {
    const byLabel = new Map<string, Cluster[]>();
    for (const cluster of [...this.clusterList].sort(byName)) {
      for (const [k, v] of Object.entries(cluster.labels)) {
        const key = `${k}=${v}`;
        let list = byLabel.get(key);
        if (!list) byLabel.set(key, list = []);
        list.push(cluster);
      }
    }
    const sortedClusters = [...this.clusterList].sort(byName);
    const plan = new Map<Cluster, Placement[]>();
    const placedBy = new Map<string, Placement>();

    for (const placement of this.placementList) {
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
  private placedView(plan: Map<Cluster, Placement[]>, addresses: Map<Cluster, ClusterAddresses>): PlacedPlan {
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

  private createVariants(
    plan: Map<Cluster, Placement[]>,
    namespaceLabelsByCluster: Map<Cluster, Map<string, Record<string, string>>>,
    placed: PlacedPlan,
    context: ProblemSink,
    created: Array<{ parent: Construct; id: string }>,
  ): KptPackage[] {
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
            upstreamRepo: this.repoUrl,
            upstreamRef: this.upstreamRef,
            mutators,
            addresses: placed.addresses.get(cluster)?.get(placement) ?? {},
            fleet: placed.view,
          });
          if (variant.packagePath !== path) {
            context.problems.add(placement.node.path, 'blueprint', `the blueprint rendered its variant for cluster "${cluster.clusterName}" at "${variant.packagePath}" instead of "${path}"; renderVariant must use options.path`);
          }
          this.declareValidators(variant, cluster.environment);
          variants.push(variant);
        } catch (err) {
          context.problems.add(placement.node.path, 'blueprint', `cannot render "${placement.packageName}" for cluster "${cluster.clusterName}": ${(err as Error).message.split('\n')[0]}`);
        }
      }
    }
    return variants;
  }

  /**
   * The enforcer step of every package of the app states what synth checks the package with:
   * this fleet's rule set at the environment of the cluster folder it is in, at the strictest
   * environment Porch clones it to, or at the profile for objects outside clusters. (A package
   * declares the built-in defaults until then.)
   */
  private alignEnforcerSteps(): void {
    const rules = this.enforcement.rules;
    const scopeByFolder = new Map(this.enforcementScopes().map(s => [s.folder, s] as const));
    for (const construct of this.node.root.node.findAll()) {
      if (!KptPackage.isKptPackage(construct)) continue;
      const scope = closestScope(construct.packagePath, scopeByFolder);
      const step = policyEnforcerStep(construct, { rules, profile: scope?.profile ?? rules.unplacedProfile, environment: scope?.environment });
      if (step) construct.replaceValidator(POLICY_ENFORCER_NAME, step);
    }
  }

  /**
   * Declares the policy enforcer, with the severities synth applied to the variant's
   * environment, and kubeconform: Porch runs them when it renders the package.
   */
  private declareValidators(variant: KptPackage, environment: Environment): void {
    const options = { rules: this.enforcement.rules, profile: environment.policyProfile, environment: environment.name };
    for (const validator of packageValidators(variant, options)) variant.addValidator(validator);
  }

  /**
   * The labels each namespace on a cluster gets from the packages placed there that ask for
   * namespace labels (Pod Security from policies). Two packages asking one label different
   * values is an error naming both.
   */
  private namespaceLabelsFor(cluster: Cluster, placements: Placement[], context: ProblemSink): Map<string, Record<string, string>> {
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

  /**
   * One `namespaces` package per cluster, with each namespace the placed packages need and do not
   * declare themselves, exactly once, labelled as the policies placed there ask.
   */
  private createNamespacePackages(
    plan: Map<Cluster, Placement[]>,
    namespaceLabelsByCluster: Map<Cluster, Map<string, Record<string, string>>>,
    declaredInFolder: Set<string>,
    created: Array<{ parent: Construct; id: string }>,
  ): KptPackage[] {
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
      this.declareValidators(pkg, cluster.environment);
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
}

/** The scope of a package folder or its closest enclosing folder, as the policy rules find it for the package's files. */
function closestScope(folder: string, scopes: ReadonlyMap<string, EnforcementScope>): EnforcementScope | undefined {
  for (let end = folder.length; end > 0; end = folder.lastIndexOf('/', end - 1)) {
    const scope = scopes.get(folder.slice(0, end));
    if (scope) return scope;
  }
  return undefined;
}

/** The packages Porch clones for each cluster: one per scope the cluster is in. */
function porchPlacedFolders(scopes: readonly PorchScope[]): PlacedFolder[] {
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

/** What the fleet derives once per synth from its placement plan. */
interface PlacedPlan {
  readonly view: FleetView;
  readonly targets: Map<Cluster, DeploymentTarget>;
  readonly overrides: Map<Cluster, Map<Placement, WorkloadOverrides>>;
  readonly addresses: Map<Cluster, ClusterAddresses>;
  readonly folders: PlacedFolder[];
}

function byName(a: Cluster, b: Cluster): number {
  return compareStrings(a.clusterName, b.clusterName);
}


/** The Namespace objects a blueprint package declares itself, by name. */
function namespacesDeclaredBy(placement: Placement): Set<string> {
  const names = new Set<string>();
  for (const c of placement.blueprint.blueprint.node.findAll()) {
    const obj = c as any;
    if (obj.kind === 'Namespace' && obj.apiVersion === 'v1' && typeof obj.name === 'string') names.add(obj.name);
  }
  return names;
}

/** The ref when it is a git branch or tag name; else records why and gives the fallback. */
function validRef(problems: PropProblems, field: string, ref: unknown, fallback: string): string {
  if (typeof ref !== 'string' || ref === '' || /[\s~^:?*[\\]|\.\.|@\{|^[-/]|\/$|\.lock$|\.$/.test(ref)) {
    problems.add(field, `must be a git branch or tag name such as "main"; got ${JSON.stringify(ref)}`);
    return fallback;
  }
  return ref;
}

/**
 * set-labels also writes workload selectors, which Kubernetes does not let change: stamp only the
 * cluster's name, which never changes, rather than labels such as region that may.
 */
function clusterIdentityLabels(cluster: Cluster): KptFunction {
  return KptFunction.setLabels({ [CLUSTER_NAME_LABEL]: cluster.clusterName }, { name: 'cluster-labels' });
}
