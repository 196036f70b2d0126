import { Construct, IConstruct } from 'constructs';
import { allocateAddresses } from './address-allocation';
import { carriedProblems, describeValue } from './carried-problems';
import { Cluster, ClusterProps } from './cluster';
import { checkClusterRepositories, ClusterEnvironmentRecords, clusterRepositorySyncedFolders } from './cluster-repositories';
import { Environment } from './environment';
import { IFleetMembership, isFleet, markFleet } from './fleet-membership';
import { GitAuth } from './git-auth';
import { CLUSTER_REPOSITORIES_FOLDER, ClusterSyncSource, DeliveryMode, FleetLayout, IClusterSyncSources, repositoryNameOf, singleRepositorySource } from './layout';
import { Placement, PlacementProps } from './placement';
import { byName, namespaceLabelsFor, namespacesDeclaredBy, placedView, planPlacements, porchPlacedFolders } from './placement-plan';
import { checkResourceQuotas, PlacedFolder } from './quota-check';
import { checkSyncedFolders, SyncedFolder, syncedFolderOf } from './synced-folders';
import { KptPackage } from '../kpt/kpt-package';
import { checkDnsLabel, toDnsFragment } from '../kpt/naming';
import { PropProblems } from '../network/validation';
import { packageValidators, policyEnforcerStep } from '../policy/enforcer/package-validators';
import { POLICY_ENFORCER_NAME } from '../policy/enforcer/policy-enforcer-function';
import { PodSecurityLevel } from '../policy/pod-security';
import { enforcedLevel } from '../policy/pod-security-admission';
import { EnforcementScope, IEnforcementScopeProvider, PolicyEnforcement } from '../policy/policy-enforcement';
import { podSecurityFindings } from '../policy/rule-findings';
import { RuleSet } from '../policy/rule-set';
import { describeObject } from '../policy/rules/rule';
import { credentialInUrl, GIT_URL, GO_DURATION, redactUrl, URL_CREDENTIAL_ADVICE } from '../repo/git-url';
import { declareRepository } from '../repo/repo-set';
import { RenderedObject, SynthContext } from '../repo/synth-context';
import { ProblemCollector } from '../repo/synth-error';
import { IRepoContributor, IRepoPreparer, IRepoValidator, markRepoContributor, markRepoPreparer, markRepoValidator } from '../repo/synthesizer';
import { checkPorchPodSecurity, planPorchFanOut, porchEnforcementScopes, PorchScope } from './porch/porch-fan-out';
import { createNamespacePackages, createVariants, VariantCreation } from './variant-creation';

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
/** Stands in for an invalid repoUrl (never a URL with a credential), so construction goes on. */
const PLACEHOLDER_REPO_URL = 'https://git.invalid/fleet.git';
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
    const plan = planPlacements(this.clusterList, this.placementList, sink);
    // Addresses are allocated in both delivery modes, so that a missing network fails either.
    const addresses = allocateAddresses(plan, sink);
    const placed = placedView(plan, addresses);
    this.placedFolders = placed.folders;
    const namespaceLabels = new Map<Cluster, Map<string, Record<string, string>>>();
    for (const [cluster, placements] of plan) namespaceLabels.set(cluster, namespaceLabelsFor(cluster, placements, sink));
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
    }
    const creation: VariantCreation = {
      plan,
      namespaceLabels,
      repoUrl: this.repoUrl,
      upstreamRef: this.upstreamRef,
      context: sink,
      created,
      declareValidators: (pkg, environment) => this.declareValidators(pkg, environment),
    };
    if (!this.deliveryMode.isPorch) createVariants(creation, placed);
    this.alignEnforcerSteps();
    // A package that declares a Namespace itself (a slice) is delivered with it: no second copy.
    const declaredInFolder = new Set([...plan].flatMap(([cluster, placements]) =>
      placements.flatMap(p => [...namespacesDeclaredBy(p)].map(ns => `${cluster.deploymentsPath}\n${ns}`))));
    createNamespacePackages(creation, declaredInFolder);
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

}

/** The scope of a package folder or its closest enclosing folder, as the policy rules find it for the package's files. */
function closestScope(folder: string, scopes: ReadonlyMap<string, EnforcementScope>): EnforcementScope | undefined {
  for (let end = folder.length; end > 0; end = folder.lastIndexOf('/', end - 1)) {
    const scope = scopes.get(folder.slice(0, end));
    if (scope) return scope;
  }
  return undefined;
}

/** The ref when it is a git branch or tag name; else records why and gives the fallback. */
function validRef(problems: PropProblems, field: string, ref: unknown, fallback: string): string {
  if (typeof ref !== 'string' || ref === '' || /[\s~^:?*[\\]|\.\.|@\{|^[-/]|\/$|\.lock$|\.$/.test(ref)) {
    problems.add(field, `must be a git branch or tag name such as "main"; got ${JSON.stringify(ref)}`);
    return fallback;
  }
  return ref;
}
