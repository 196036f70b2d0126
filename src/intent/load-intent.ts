import { Protocol } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { INTENT_API_VERSION, isIntentKind, validateIntentDocument } from './intent-schema';
import { FieldSegment, formatLocation, IntentSourceDocument, intentFiles, readIntentSources } from './intent-source';
import { locateSynthProblems } from './problem-locations';
import {
  ClusterDocument, FleetDocument, IntentDocument, IntentGitAuth, IntentKind, IntentOverrides, NetworkFunctionDocument,
  NetworkSliceDocument, PlacementDocument, PolicyDocument,
} from './types';
import { Cluster } from '../fleet/cluster';
import { Environment } from '../fleet/environment';
import { Fleet } from '../fleet/fleet';
import { GitAuth } from '../fleet/git-auth';
import { GitCredentials } from '../fleet/git-credentials';
import { DeliveryMode, FleetLayout } from '../fleet/layout';
import { Placement } from '../fleet/placement';
import { SiteType } from '../fleet/site-type';
import { WorkloadOverrides } from '../kpt/blueprint';
import { NfDeploymentModel } from '../network/deployment-model';
import { InterfaceType, NetworkInterfaceOptions } from '../network/interfaces';
import { NetworkFunction, NetworkFunctionProps } from '../network/network-function';
import { NetworkSlice } from '../network/network-slice';
import { NfKind } from '../network/nf-kind';
import { NfWorkloadOptions } from '../network/nf-workload-options';
import { SliceServiceType } from '../network/snssai';
import { NetworkIsolation } from '../policy/network-isolation';
import { PodSecurityLevel } from '../policy/pod-security';
import { Policy } from '../policy/policy';
import { RuleSet } from '../policy/rule-set';
import { PolicyProfile, RuleSeverity } from '../policy/severity';
import { SynthError, SynthProblem } from '../repo/synth-error';

/** Options of loadIntent(). */
export interface LoadIntentOptions {
  /**
   * The fleet the intent's clusters and placements join, when the program declares it in code.
   * The intent files then hold no Fleet document.
   * @default - the one Fleet document of the intent files
   */
  readonly fleet?: Fleet;
}

/** A document that passed its schema, with where it came from. */
export interface DeclaredDocument<T extends IntentDocument = IntentDocument> {
  readonly document: T;
  readonly source: IntentSourceDocument;
}

/** What loadIntent() declared, by name, and where each construct came from. */
export class LoadedIntent {
  /** Construct path -> the document that declared the construct. */
  private readonly origins = new Map<string, DeclaredDocument>();

  constructor(
    /** The fleet the clusters and placements belong to. */
    public readonly fleet: Fleet,
    public readonly clusters: ReadonlyMap<string, Cluster>,
    public readonly networkFunctions: ReadonlyMap<string, NetworkFunction>,
    public readonly slices: ReadonlyMap<string, NetworkSlice>,
    public readonly policies: ReadonlyMap<string, Policy>,
    public readonly placements: ReadonlyMap<string, Placement>,
    origins: ReadonlyArray<readonly [Construct, DeclaredDocument]>,
  ) {
    for (const [construct, declared] of origins) this.origins.set(construct.node.path, declared);
  }

  /**
   * The problems of a synth with each one that a document's construct reported moved to that
   * document's file, line and column, its field named as the document names it.
   */
  public locateProblems(problems: readonly SynthProblem[]): SynthProblem[] {
    return locateSynthProblems(problems, this.origins);
  }
}

/**
 * Reads NetworkIntent files (one file, or every `.yaml`/`.yml` file of a folder) and declares what
 * they say in `repo`: the same Fleet, Cluster, NetworkFunction, NetworkSlice, Policy and
 * Placement constructs a program creates, with the same ids, so that a program can mix both and
 * everything downstream (validation, hydration, layouts, review, publish) is shared.
 *
 * Every problem of the files (YAML, schema with unknown fields, names that do not resolve) is
 * thrown at once as a SynthError whose problems name `file:line:column` and the field; the
 * repository then holds only part of what the files say, so the program stops there (under
 * `nephoran synth` the problems are printed as those of a failed synth). Problems synth finds
 * later in the constructs carry construct paths; `LoadedIntent.locateProblems()` moves them to
 * the documents.
 */
export function loadIntent(repo: Construct, target: string, options: LoadIntentOptions = {}): LoadedIntent {
  const { documents: sources, problems } = readIntentSources(intentFiles(target));
  const declared: DeclaredDocument[] = [];
  // Documents already reported as invalid: a name that refers to one is not reported again.
  const invalid = new Set<string>();
  for (const source of sources) {
    const data = source.toJS();
    const kind = (data as { kind?: unknown } | null)?.kind;
    const apiVersion = (data as { apiVersion?: unknown } | null)?.apiVersion;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      problems.push(source.problem([], `a NetworkIntent document is an object with apiVersion ${INTENT_API_VERSION}, kind, metadata and spec`));
      continue;
    }
    if (apiVersion !== INTENT_API_VERSION) {
      problems.push(source.problem(['apiVersion'], `must be ${INTENT_API_VERSION}; got ${JSON.stringify(apiVersion ?? null)}`));
      continue;
    }
    if (!isIntentKind(kind)) {
      problems.push(source.problem(['kind'], `must be one of Fleet, Cluster, NetworkFunction, NetworkSlice, Policy, Placement; got ${JSON.stringify(kind ?? null)}`));
      continue;
    }
    const violations = validateIntentDocument(kind, data);
    for (const v of violations) problems.push(source.problem(v.segments, v.message, { key: v.atKey }));
    if (violations.length === 0) declared.push({ document: data as IntentDocument, source });
    else invalid.add(`${kind}/${String((data as { metadata?: { name?: unknown } }).metadata?.name)}`);
  }
  const builder = new IntentBuilder(repo, declared, options, problems, invalid);
  const loaded = builder.build();
  if (problems.some(p => p.severity !== 'warning')) throw new SynthError(problems);
  return loaded!;
}

/** Creates the constructs, recording every unresolved name as a problem of its document. */
class IntentBuilder {
  private readonly origins: Array<[Construct, DeclaredDocument]> = [];
  private readonly environments = new Map<string, Environment>([
    ['production', Environment.PRODUCTION], ['staging', Environment.STAGING], ['development', Environment.DEVELOPMENT],
  ]);
  private readonly clusters = new Map<string, Cluster>();
  private readonly networkFunctions = new Map<string, NetworkFunction>();
  private readonly slices = new Map<string, NetworkSlice>();
  private readonly policies = new Map<string, Policy>();
  private readonly placements = new Map<string, Placement>();

  constructor(
    private readonly repo: Construct,
    private declared: readonly DeclaredDocument[],
    private readonly options: LoadIntentOptions,
    private readonly problems: SynthProblem[],
    private readonly invalid: ReadonlySet<string>,
  ) {}

  public build(): LoadedIntent | undefined {
    this.checkUniqueNames();
    const fleet = this.buildFleet();
    if (!fleet) return undefined;
    for (const d of this.ofKind<ClusterDocument>('Cluster')) this.buildCluster(fleet, d);
    for (const d of this.ofKind<NetworkFunctionDocument>('NetworkFunction')) this.buildNetworkFunction(d);
    for (const d of this.ofKind<NetworkSliceDocument>('NetworkSlice')) this.buildSlice(d);
    for (const d of this.ofKind<PolicyDocument>('Policy')) this.buildPolicy(d);
    for (const d of this.ofKind<NetworkFunctionDocument>('NetworkFunction')) this.addPeers(d);
    for (const d of this.ofKind<NetworkSliceDocument>('NetworkSlice')) this.addSliceMembers(d);
    for (const d of this.ofKind<PlacementDocument>('Placement')) this.buildPlacement(fleet, d);
    return new LoadedIntent(fleet, this.clusters, this.networkFunctions, this.slices, this.policies, this.placements, this.origins);
  }

  private ofKind<T extends IntentDocument>(kind: IntentKind): Array<DeclaredDocument<T>> {
    return this.declared.filter(d => d.document.kind === kind) as Array<DeclaredDocument<T>>;
  }

  private fail(d: DeclaredDocument, segments: FieldSegment[], message: string, key = false): void {
    this.problems.push(d.source.problem(segments, message, { key }));
  }

  /**
   * Names that would collide as construct ids: the Fleet, NFs, slices and policies are children of
   * the repository, clusters and placements of the fleet. A later document of a taken name is
   * reported and left out.
   */
  private checkUniqueNames(): void {
    const first = new Map<string, DeclaredDocument>();
    const kept: DeclaredDocument[] = [];
    for (const d of this.declared) {
      const scope = d.document.kind === 'Cluster' || d.document.kind === 'Placement' ? 'fleet' : 'repository';
      const key = `${scope}/${d.document.metadata.name}`;
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, d);
        kept.push(d);
        continue;
      }
      const at = formatLocation(earlier.source.locate(['metadata', 'name']));
      const { kind, metadata } = d.document;
      this.fail(d, ['metadata', 'name'], earlier.document.kind === kind
        ? `${kind} "${metadata.name}" is declared twice; the first is at ${at}`
        : `${kind} "${metadata.name}" has the name of ${earlier.document.kind} "${metadata.name}" (${at}): ${scope === 'fleet'
          ? 'Clusters and Placements share one set of names'
          : 'the Fleet, NetworkFunctions, NetworkSlices and Policies share one set of names'}`);
    }
    this.declared = kept;
  }

  /**
   * Creates one construct; a constructor that throws (an id the construct tree refuses, a name
   * taken by the program) is a problem of the document, so that the other documents still count.
   */
  private create<T>(d: DeclaredDocument, make: () => T): T | undefined {
    try {
      return make();
    } catch (err) {
      this.fail(d, ['metadata', 'name'], `cannot declare ${d.document.kind} "${d.document.metadata.name}": ${(err as Error).message}`);
      return undefined;
    }
  }

  private buildFleet(): Fleet | undefined {
    const documents = this.ofKind<FleetDocument>('Fleet');
    if (this.options.fleet) {
      for (const d of documents) this.fail(d, ['kind'], `the program declares the fleet (${this.options.fleet.node.path}); these intent files must not declare another`);
      return this.options.fleet;
    }
    if (documents.length === 0) {
      // A Fleet document that failed its schema is reported already.
      if ([...this.invalid].some(key => key.startsWith('Fleet/'))) return undefined;
      const anywhere = this.declared[0];
      const message = 'the intent files declare no Fleet: add one document of kind Fleet (its repoUrl and auth), or pass the program\'s fleet to loadIntent()';
      if (anywhere) this.fail(anywhere, [], message);
      else this.problems.push({ path: '(intent)', field: '', message, severity: 'error' });
      return undefined;
    }
    for (const d of documents.slice(1)) {
      const at = documents[0].source.start;
      this.fail(d, ['kind'], `one Fleet per set of intent files; another is declared at ${at.file}:${at.line}:${at.column}`);
    }
    const d = documents[0];
    const spec = d.document.spec;
    for (const [i, env] of (spec.environments ?? []).entries()) {
      if (this.environments.has(env.name)) {
        this.fail(d, ['spec', 'environments', i, 'name'], `"${env.name}" is a built-in environment; declare only other environments here`);
        continue;
      }
      this.environments.set(env.name, Environment.custom(env.name, env.policyProfile ? { policyProfile: env.policyProfile as PolicyProfile } : {}));
    }
    const rules = RuleSet.defaults(spec.rules?.unplacedProfile ? { unplacedProfile: spec.rules.unplacedProfile as PolicyProfile } : {});
    for (const [i, severity] of (spec.rules?.severities ?? []).entries()) {
      try {
        const where = defined({ environment: severity.environment, profile: severity.profile as PolicyProfile | undefined });
        rules.setSeverity(severity.rule, severity.severity as RuleSeverity, where);
      } catch (err) {
        this.fail(d, ['spec', 'rules', 'severities', i], (err as Error).message);
      }
    }
    let layout: FleetLayout | undefined;
    if (spec.layout?.type === 'repository-per-cluster') {
      if (spec.layout.repoUrlTemplate === undefined) {
        this.fail(d, ['spec', 'layout', 'repoUrlTemplate'], 'the repository-per-cluster layout needs repoUrlTemplate, e.g. "https://git.example.com/nephio/{cluster}.git"');
      }
      layout = FleetLayout.repositoryPerCluster(defined({ repoUrlTemplate: spec.layout.repoUrlTemplate ?? '', managementRepositoryName: spec.layout.managementRepositoryName }));
    } else if (spec.layout) {
      layout = FleetLayout.SINGLE_REPOSITORY;
    }
    const deliveryMode = spec.deliveryMode?.type === 'porch' ? DeliveryMode.porch(spec.deliveryMode.porch ?? {}) : spec.deliveryMode ? DeliveryMode.HYDRATED : undefined;
    const fleet = this.create(d, () => new Fleet(this.repo, d.document.metadata.name, defined({
      repoUrl: spec.repoUrl,
      branch: spec.branch,
      upstreamRef: spec.upstreamRef,
      syncPeriod: spec.syncPeriod,
      auth: this.gitAuth(d, ['spec', 'auth'], spec.auth),
      rules,
      layout,
      deliveryMode,
    })));
    if (fleet) this.origins.push([fleet, d]);
    return fleet;
  }

  private gitAuth(d: DeclaredDocument, at: FieldSegment[], auth: IntentGitAuth): GitAuth {
    const credentials = (): GitCredentials => {
      const given = auth.credentials;
      const kinds = given ? [given.externalSecret && 'externalSecret', given.sealedSecret && 'sealedSecret'].filter(Boolean) : [];
      if (!given || kinds.length !== 1) {
        this.fail(d, [...at, 'credentials'], `auth type "${auth.type}" needs credentials with exactly one of externalSecret or sealedSecret; got ${kinds.length ? kinds.join(' and ') : 'none'}`);
        return GitCredentials.externalSecret({ secretStoreName: 'invalid', remoteKey: 'invalid' });
      }
      return given.externalSecret ? GitCredentials.externalSecret(given.externalSecret) : GitCredentials.sealedSecret(given.sealedSecret!);
    };
    const noCredentials = () => {
      if (auth.credentials) this.fail(d, [...at, 'credentials'], `auth type "${auth.type}" takes no credentials (ConfigSync refuses a secretRef with it)`, true);
    };
    switch (auth.type) {
      case 'token': return GitAuth.token(credentials());
      case 'ssh': return GitAuth.ssh(credentials());
      case 'cookiefile': return GitAuth.cookieFile(credentials());
      case 'gcenode': noCredentials(); return GitAuth.gceNode();
      case 'gcpserviceaccount':
        noCredentials();
        if (!auth.gcpServiceAccountEmail) this.fail(d, [...at, 'gcpServiceAccountEmail'], 'auth type "gcpserviceaccount" needs gcpServiceAccountEmail, the Google service account ConfigSync impersonates');
        return GitAuth.gcpServiceAccount(auth.gcpServiceAccountEmail ?? '');
      default: noCredentials(); return GitAuth.none();
    }
  }

  private environment(d: DeclaredDocument, at: FieldSegment[], name: string): Environment | undefined {
    const environment = this.environments.get(name);
    if (!environment) {
      this.fail(d, at, `unknown environment "${name}": production, staging, development${[...this.environments.keys()].slice(3).map(n => `, ${n}`).join('')}, or one more the Fleet declares in spec.environments`);
    }
    return environment;
  }

  private buildCluster(fleet: Fleet, d: DeclaredDocument<ClusterDocument>): void {
    const { metadata, spec } = d.document;
    const environment = this.environment(d, ['spec', 'environment'], spec.environment) ?? Environment.DEVELOPMENT;
    const siteType = spec.siteType === undefined ? undefined
      : spec.siteType === SiteType.EDGE.name ? SiteType.EDGE
        : spec.siteType === SiteType.REGIONAL.name ? SiteType.REGIONAL : SiteType.custom(spec.siteType);
    const cluster = this.create(d, () => new Cluster(fleet, metadata.name, defined({
      environment,
      region: spec.region,
      siteType,
      labels: metadata.labels,
      cnis: spec.cnis && [...spec.cnis],
      masterInterface: spec.masterInterface,
      auth: spec.auth && this.gitAuth(d, ['spec', 'auth'], spec.auth),
      credentialsSecretName: spec.credentialsSecretName,
      networks: spec.networks && spec.networks.map(n => ({ ...n })),
      podCidrs: spec.podCidrs && [...spec.podCidrs],
    })));
    if (!cluster) return;
    this.clusters.set(metadata.name, cluster);
    this.origins.push([cluster, d]);
  }

  private buildNetworkFunction(d: DeclaredDocument<NetworkFunctionDocument>): void {
    const { metadata, spec } = d.document;
    const kind = NfKind.catalog.find(k => k.name === spec.type);
    if (!kind) {
      this.fail(d, ['spec', 'type'], `unknown network function type "${spec.type}": one of ${NfKind.catalog.map(k => k.name).join(', ')}`);
      return;
    }
    const interfaces: NetworkInterfaceOptions[] = [];
    for (const [i, given] of (spec.interfaces ?? []).entries()) {
      const type = INTERFACE_TYPES.find(t => t.name === given.type);
      if (!type) {
        this.fail(d, ['spec', 'interfaces', i, 'type'], `unknown interface type "${given.type}": one of ${INTERFACE_TYPES.map(t => t.name).join(', ')}`);
        continue;
      }
      interfaces.push(defined({ ...given, type }));
    }
    const props: NetworkFunctionProps = defined({
      kind,
      deploymentModel: spec.deploymentModel as NfDeploymentModel | undefined,
      ran: spec.ran,
      namespace: spec.namespace,
      image: spec.image,
      replicas: spec.replicas,
      resources: spec.resources,
      ports: spec.ports?.map(p => defined({ name: p.name, port: p.port, protocol: p.protocol as Protocol | undefined })),
      configuration: spec.configuration,
      interfaces: spec.interfaces ? interfaces : undefined,
      capacity: spec.capacity,
      hostNetwork: spec.hostNetwork,
      hostNetworkReason: spec.hostNetworkReason,
      runAsUser: spec.runAsUser,
      readOnlyRootFilesystem: spec.readOnlyRootFilesystem,
      configurationMountPath: spec.configurationMountPath,
      workload: spec.workload as NfWorkloadOptions | undefined,
    });
    const nf = this.create(d, () => new NetworkFunction(this.repo, metadata.name, props));
    if (!nf) return;
    this.networkFunctions.set(metadata.name, nf);
    this.origins.push([nf, d]);
  }

  private buildSlice(d: DeclaredDocument<NetworkSliceDocument>): void {
    const { metadata, spec } = d.document;
    let serviceType: SliceServiceType;
    if (spec.serviceType === 'custom') {
      if (spec.sst === undefined) this.fail(d, ['spec', 'sst'], 'a custom service type needs its sst (0-255; 128-255 are operator-specific)');
      serviceType = SliceServiceType.custom(spec.sst ?? 255);
    } else {
      if (spec.sst !== undefined) this.fail(d, ['spec', 'sst'], `the SST of ${spec.serviceType} is fixed; give sst only with serviceType: custom`, true);
      serviceType = SERVICE_TYPES[spec.serviceType];
    }
    const slice = this.create(d, () => new NetworkSlice(this.repo, metadata.name, defined({
      serviceType,
      sd: spec.sd,
      namespace: spec.namespace,
      qos: spec.qos,
      quota: spec.quota,
    })));
    if (!slice) return;
    this.slices.set(metadata.name, slice);
    this.origins.push([slice, d]);
  }

  private addPeers(d: DeclaredDocument<NetworkFunctionDocument>): void {
    const nf = this.networkFunctions.get(d.document.metadata.name);
    if (!nf) return;
    for (const [i, name] of (d.document.spec.peers ?? []).entries()) {
      const peer = this.networkFunctions.get(name) ?? this.existing(name, NetworkFunction.isNetworkFunction);
      if (!peer) {
        if (!this.invalid.has(`NetworkFunction/${name}`)) this.fail(d, ['spec', 'peers', i], `no NetworkFunction "${name}"; declared: ${[...this.networkFunctions.keys()].join(', ') || 'none'}`);
        continue;
      }
      nf.addPeer(peer);
    }
  }

  private addSliceMembers(d: DeclaredDocument<NetworkSliceDocument>): void {
    const slice = this.slices.get(d.document.metadata.name);
    if (!slice) return;
    for (const [i, name] of (d.document.spec.networkFunctions ?? []).entries()) {
      const nf = this.networkFunctions.get(name) ?? this.existing(name, NetworkFunction.isNetworkFunction);
      if (!nf) {
        if (!this.invalid.has(`NetworkFunction/${name}`)) this.fail(d, ['spec', 'networkFunctions', i], `no NetworkFunction "${name}"; declared: ${[...this.networkFunctions.keys()].join(', ') || 'none'}`);
        continue;
      }
      slice.addNetworkFunction(nf);
    }
  }

  private buildPolicy(d: DeclaredDocument<PolicyDocument>): void {
    const { metadata, spec } = d.document;
    const policy = this.create(d, () => new Policy(this.repo, metadata.name, defined({
      namespaces: spec.namespaces && [...spec.namespaces],
      podSecurity: spec.podSecurity && POD_SECURITY[spec.podSecurity],
      isolation: spec.isolation && ISOLATION[spec.isolation],
      allowIngressFromNamespaces: spec.allowIngressFromNamespaces && [...spec.allowIngressFromNamespaces],
      quota: spec.quota,
      containerDefaults: spec.containerDefaults,
      description: spec.description,
    })));
    if (!policy) return;
    this.policies.set(metadata.name, policy);
    this.origins.push([policy, d]);
  }

  private buildPlacement(fleet: Fleet, d: DeclaredDocument<PlacementDocument>): void {
    const { metadata, spec } = d.document;
    const blueprint = this.blueprint(d);
    if (!blueprint) return;
    const environments: Environment[] = [];
    for (const [i, name] of (spec.environments ?? []).entries()) {
      const environment = this.environment(d, ['spec', 'environments', i], name);
      if (environment) environments.push(environment);
    }
    const placement = this.create(d, () => new Placement(fleet, metadata.name, defined({
      blueprint,
      matchLabels: spec.matchLabels,
      environments: spec.environments ? environments : undefined,
      packageName: spec.packageName,
      overrides: spec.overrides && overridesOf(spec.overrides),
    })));
    if (!placement) return;
    for (const [name, overrides] of Object.entries(spec.environmentOverrides ?? {})) {
      const environment = this.environment(d, ['spec', 'environmentOverrides', name], name);
      if (environment) placement.addEnvironmentOverrides(environment, overridesOf(overrides));
    }
    for (const [name, overrides] of Object.entries(spec.clusterOverrides ?? {})) {
      const cluster = this.clusters.get(name) ?? fleet.clusters.find(c => c.clusterName === name);
      if (!cluster) {
        if (this.invalid.has(`Cluster/${name}`)) continue;
        this.fail(d, ['spec', 'clusterOverrides', name], `no Cluster "${name}" in the fleet; clusters: ${fleet.clusters.map(c => c.clusterName).join(', ') || 'none'}`, true);
        continue;
      }
      placement.addClusterOverrides(cluster, overridesOf(overrides));
    }
    this.placements.set(metadata.name, placement);
    this.origins.push([placement, d]);
  }

  private blueprint(d: DeclaredDocument<PlacementDocument>): NetworkFunction | NetworkSlice | Policy | undefined {
    const { kind, name } = d.document.spec.blueprint;
    const found = kind === 'NetworkFunction' ? this.networkFunctions.get(name) ?? this.existing(name, NetworkFunction.isNetworkFunction)
      : kind === 'NetworkSlice' ? this.slices.get(name) ?? this.existing(name, NetworkSlice.isNetworkSlice)
        : this.policies.get(name) ?? this.existing(name, (c): c is Policy => c instanceof Policy);
    if (!found && !this.invalid.has(`${kind}/${name}`)) {
      const declared = [...(kind === 'NetworkFunction' ? this.networkFunctions : kind === 'NetworkSlice' ? this.slices : this.policies).keys()];
      this.fail(d, ['spec', 'blueprint', 'name'], `no ${kind} "${name}"; declared: ${declared.join(', ') || 'none'}`);
    }
    return found;
  }

  /** A construct the program declared itself directly in the repository, by id. */
  private existing<T>(name: string, is: (c: unknown) => c is T): T | undefined {
    const child = this.repo.node.tryFindChild(name);
    return child && is(child) ? child : undefined;
  }
}

const INTERFACE_TYPES: readonly InterfaceType[] = [
  InterfaceType.N2, InterfaceType.N3, InterfaceType.N4, InterfaceType.N6, InterfaceType.N9,
  InterfaceType.F1, InterfaceType.F1C, InterfaceType.F1U, InterfaceType.E1, InterfaceType.E2,
];
const SERVICE_TYPES: Record<'eMBB' | 'URLLC' | 'mMTC' | 'V2X', SliceServiceType> = {
  eMBB: SliceServiceType.EMBB, URLLC: SliceServiceType.URLLC, mMTC: SliceServiceType.MMTC, V2X: SliceServiceType.V2X,
};
const POD_SECURITY = { privileged: PodSecurityLevel.PRIVILEGED, baseline: PodSecurityLevel.BASELINE, restricted: PodSecurityLevel.RESTRICTED };
const ISOLATION = { 'none': NetworkIsolation.NONE, 'same-namespace': NetworkIsolation.SAME_NAMESPACE, 'deny-all': NetworkIsolation.DENY_ALL };

function overridesOf(overrides: IntentOverrides): WorkloadOverrides {
  return overrides as WorkloadOverrides;
}

/** The object without its undefined entries: a prop left out and a prop set to undefined can differ. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
