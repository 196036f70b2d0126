import { Construct } from 'constructs';
import { PackageVariantSet, PackageVariantSetSpecTargets, Repository } from '../../apis/porch';
import { DeploymentTarget, IFleetView, InterfaceAddress, WorkloadOverrides } from '../../kpt/blueprint';
import { KptFunction } from '../../kpt/kpt-function';
import { KptPackage } from '../../kpt/kpt-package';
import { toDnsFragment } from '../../kpt/naming';
import { PodSecurityLevel } from '../../policy/pod-security';
import { enforcedLevel } from '../../policy/pod-security-admission';
import { EnforcementScope } from '../../policy/policy-enforcement';
import { podSecurityFindings } from '../../policy/rule-findings';
import { describeObject } from '../../policy/rules/rule';
import { PolicyProfile } from '../../policy/severity';
import { compareStrings } from '../../repo/compare';
import { ProblemSink, RenderedObject, SynthContext } from '../../repo/synth-context';
import type { Cluster } from '../cluster';
import { Environment } from '../environment';
import { CLUSTER_NAME_LABEL, ENVIRONMENT_LABEL, REGION_LABEL } from '../labels';
import { APPROVAL_POLICY_ANNOTATION, PorchDeliveryOptions } from '../layout';
import type { Placement } from '../placement';

/** The folder the management repository's blueprints are in; the blueprint Porch Repository registers it. */
export const BLUEPRINTS_FOLDER = 'packages';
/** Where synth writes the variant of a placement for one override scope: `packages/variants/<placement>/<scope>`. */
export const PORCH_VARIANTS_FOLDER = `${BLUEPRINTS_FOLDER}/variants`;
/** The package holding the Porch Repositories and PackageVariantSets, applied on the management cluster. */
export const PORCH_PACKAGE_PATH = 'porch';
/**
 * The namespace of the Porch objects: PackageVariantSets find their targets and their Repositories
 * in their own namespace, and the WorkloadClusters are in `default`.
 */
export const PORCH_NAMESPACE = 'default';
/**
 * Porch Repository names Nephio R5's management cluster already has (its own management
 * repository and the staging one): a Repository of the fleet with one of these names would replace it.
 */
export const RESERVED_PORCH_REPOSITORY_NAMES: readonly string[] = ['mgmt', 'mgmt-staging'];
/** The default name of the blueprint Porch Repository: `<management repository>-blueprints`. */
export function defaultBlueprintRepositoryName(managementRepositoryName: string): string {
  return `${managementRepositoryName}-blueprints`;
}
/**
 * What a PackageVariantSet's upstream takes from the published revision publish resolves: Porch
 * v1.4's PackageVariant controller finds its upstream by `workspaceName` (it resets `revision`
 * to -1 while validating), and the PackageVariantSet controller by either.
 */
const PVS_REVISION_FIELDS = [
  { field: ['spec', 'upstream', 'revision'], value: 'revision' },
  { field: ['spec', 'upstream', 'workspaceName'], value: 'workspaceName' },
] as const;

/** Keys every downstream package context gets. */
export const PACKAGE_CONTEXT_KEYS = { cluster: 'cluster-name', environment: 'environment', region: 'region' } as const;

const WORKLOAD_CLUSTER = { group: 'infra.nephio.org', version: 'v1alpha1', kind: 'WorkloadCluster' } as const;
const CATALOG_SET_LABELS = KptFunction.setLabels({}).image;

/**
 * One PackageVariantSet: the clusters of one environment that a placement delivers to with the
 * same overrides and the same pipeline, selected by label (the environment's scope) or, for the
 * clusters that differ, by name.
 */
export interface PorchScope {
  readonly placement: Placement;
  /** The scope's name: the environment, or the cluster(s) selected by name. */
  readonly name: string;
  readonly environment: Environment;
  /** The clusters the scope reaches now, by name. */
  readonly clusters: readonly Cluster[];
  /** True when the scope selects its clusters by name rather than by the environment label. */
  readonly byName: boolean;
  /** For the environment's scope: the clusters of the environment other scopes select by name. */
  readonly excludedClusters: readonly string[];
  /** The merged overrides (placement < environment < cluster) of every cluster in the scope. */
  readonly overrides: WorkloadOverrides;
  /** The addresses the package's interfaces got on the scope's cluster (a scope with addresses has one cluster). */
  readonly addresses: Record<string, InterfaceAddress>;
  /** set-labels steps for the Pod Security labels of namespaces the package declares itself. */
  readonly namespaceLabelSteps: readonly KptFunction[];
  /** The namespace labels each namespace of the package gets on these clusters. */
  readonly namespaceLabels: ReadonlyMap<string, Record<string, string>>;
  /** The package Porch clones: the blueprint, or the scope's variant under packages/variants/. */
  readonly upstreamPath: string;
  /** The PackageVariantSet name. */
  readonly variantSetName: string;
}

/** What the Fleet hands over to plan the fan-out. */
export interface PorchFanOutInput {
  /** The Fleet: the scope of the Porch package and where fleet-level problems go. */
  readonly fleet: Construct;
  readonly repoUrl: string;
  readonly branch: string;
  readonly upstreamRef: string;
  readonly options: PorchDeliveryOptions;
  readonly managementRepositoryName: string;
  /** Every cluster of the fleet, by name. */
  readonly clusters: readonly Cluster[];
  /** Every placement, in the order they were created. */
  readonly placements: readonly Placement[];
  /** The placements on each cluster (matched at synth). */
  readonly plan: ReadonlyMap<Cluster, Placement[]>;
  /** The namespace labels each cluster's namespaces get from the policies placed there. */
  readonly namespaceLabels: ReadonlyMap<Cluster, Map<string, Record<string, string>>>;
  /** The namespaces a placed package declares itself. */
  readonly declaredNamespaces: (placement: Placement) => Set<string>;
  /** The addresses each placed package's interfaces got, by cluster. */
  readonly addresses: (cluster: Cluster, placement: Placement) => Record<string, InterfaceAddress>;
  /** Where the fleet places every package, for variants that depend on their peers. */
  readonly fleetView: IFleetView;
  /**
   * The validator a PackageVariantSet adds when Porch clones a blueprint as is: the policy
   * enforcer with the severities of the scope's environment.
   */
  readonly environmentValidator?: (environment: Environment) => KptFunction | undefined;
  readonly context: ProblemSink;
  /** Constructs created here, removed by the Fleet after synth. */
  readonly created: Array<{ parent: Construct; id: string }>;
}

/** What the fan-out created, for the Fleet to render and check. */
export interface PorchFanOut {
  readonly scopes: readonly PorchScope[];
  /** The variant packages rendered for override scopes. */
  readonly variants: readonly KptPackage[];
  /** The package with the Porch Repositories and PackageVariantSets. */
  readonly porchPackage: KptPackage;
}

/**
 * Plans Porch's fan-out and creates its objects. Each placement becomes one PackageVariantSet per
 * environment it reaches (targets: WorkloadClusters with the placement's labels and the
 * environment's label), plus one per group of clusters whose overrides or namespace labels differ
 * from their environment's (targets: those WorkloadClusters by name). A scope without overrides
 * clones the blueprint itself; a scope with overrides clones a variant synth renders once for the
 * scope, with the blueprint's own renderVariant, under `packages/variants/<placement>/<scope>/`.
 * Per cluster, Porch adds the cluster-name label and the package context. Each set pins its
 * upstream to a published revision (tag `<path>/v<N>`): synth writes revision 1, publish the
 * revision it resolves on the remote, bumped in the same change as the blueprint.
 */
export function planPorchFanOut(input: PorchFanOutInput): PorchFanOut {
  const { context, fleet } = input;
  const porchPackage = new KptPackage(fleet, 'Porch', {
    path: PORCH_PACKAGE_PATH,
    info: { description: `Porch repositories and package variant sets of ${input.managementRepositoryName}, applied on the management cluster` },
  });
  input.created.push({ parent: fleet, id: 'Porch' });

  const blueprintRepository = input.options.blueprintRepositoryName ?? defaultBlueprintRepositoryName(input.managementRepositoryName);
  const clusterNames = new Set(input.clusters.map(c => c.clusterName));
  let clash = clusterNames.has(blueprintRepository);
  if (clash) {
    context.problems.add(fleet.node.path, 'deliveryMode.blueprintRepositoryName', `the Porch Repository of the blueprints is named "${blueprintRepository}", like a cluster, whose deployment repository takes that name; set DeliveryMode.porch({ blueprintRepositoryName }) to another name`);
  }
  if (RESERVED_PORCH_REPOSITORY_NAMES.includes(blueprintRepository)) {
    clash = true;
    context.problems.add(fleet.node.path, 'deliveryMode.blueprintRepositoryName', `the Porch Repository of the blueprints is named "${blueprintRepository}", which Nephio R5's management cluster already uses for its own repository (${RESERVED_PORCH_REPOSITORY_NAMES.join(', ')} are taken); ${input.options.blueprintRepositoryName !== undefined ? 'set DeliveryMode.porch({ blueprintRepositoryName }) to another name' : 'the default is "<management repository>-blueprints"; set DeliveryMode.porch({ blueprintRepositoryName })'}`);
  } else if (blueprintRepository.length > 63) {
    clash = true;
    context.problems.add(fleet.node.path, 'deliveryMode.blueprintRepositoryName', `the Porch Repository of the blueprints would be named "${blueprintRepository}" (${blueprintRepository.length} characters; at most 63); set DeliveryMode.porch({ blueprintRepositoryName })`);
  }
  for (const name of RESERVED_PORCH_REPOSITORY_NAMES) {
    if (clusterNames.has(name)) {
      context.problems.add(fleet.node.path, 'clusters', `cluster "${name}" would get a Porch Repository named "${name}", which Nephio R5's management cluster already uses for its own repository; rename the cluster`);
    }
  }
  if (input.upstreamRef !== input.branch) {
    context.problems.add(fleet.node.path, 'upstreamRef', `Porch clones published revisions of the blueprints (tags <path>/v<N> that publish creates), so upstreamRef "${input.upstreamRef}" cannot be honoured; remove upstreamRef or set it to the branch`);
  }
  const secretFor = (repository: string) => input.options.secretName ?? `${repository}-access-token-porch`;

  if (!clash) {
    new Repository(porchPackage, 'BlueprintRepository', {
      metadata: { name: blueprintRepository, namespace: PORCH_NAMESPACE },
      spec: {
        type: 'git',
        description: `Blueprints: ${BLUEPRINTS_FOLDER}/ of ${input.repoUrl}`,
        deployment: false,
        git: { repo: input.repoUrl, branch: input.branch, directory: BLUEPRINTS_FOLDER, secretRef: { name: secretFor(blueprintRepository) } },
      },
    });
  }
  for (const cluster of input.clusters) {
    new Repository(porchPackage, `repository-${cluster.clusterName}`, {
      metadata: { name: cluster.clusterName, namespace: PORCH_NAMESPACE },
      spec: {
        type: 'git',
        description: `Deployment repository of cluster ${cluster.clusterName} (${cluster.environment.name}, ${cluster.region})`,
        deployment: true,
        git: { repo: cluster.repoUrl, branch: input.branch, directory: '/', secretRef: { name: secretFor(cluster.clusterName) } },
      },
    });
  }

  const scopes = planScopes(input);
  const variants: KptPackage[] = [];
  for (const scope of scopes) {
    let variant: KptPackage | undefined;
    if (scope.upstreamPath !== scope.placement.blueprint.blueprint.packagePath) {
      variant = renderScopeVariant(scope, input);
      if (variant) variants.push(variant);
    } else if (!scope.upstreamPath.startsWith(BLUEPRINTS_FOLDER + '/')) {
      context.problems.add(scope.placement.node.path, 'blueprint', `Porch clones blueprints from ${BLUEPRINTS_FOLDER}/, which the Porch Repository "${blueprintRepository}" registers, but this blueprint is at "${scope.upstreamPath}"; move its package under ${BLUEPRINTS_FOLDER}/`);
      continue;
    }
    const set = new PackageVariantSet(porchPackage, `pvs-${scope.variantSetName}`, {
      metadata: { name: scope.variantSetName, namespace: PORCH_NAMESPACE },
      spec: {
        // Revision 1 until publish pins the revision it resolves: never `main`, which Porch
        // numbers -1 and treats as always up to date.
        upstream: { repo: blueprintRepository, package: scope.upstreamPath.slice(BLUEPRINTS_FOLDER.length + 1), revision: 1, workspaceName: 'v1' },
        targets: [target(scope, input.options, variant ? undefined : input.environmentValidator?.(scope.environment))],
      },
    });
    porchPackage.pinToRevision(set, scope.upstreamPath, PVS_REVISION_FIELDS.map(f => ({ field: [...f.field], value: f.value })));
  }
  return { scopes, variants, porchPackage };
}

/** Clusters of one placement that share their overrides, addresses and pipeline: one Porch scope. */
interface ScopeGroup {
  clusters: Cluster[];
  overrides: WorkloadOverrides;
  addresses: Record<string, InterfaceAddress>;
  steps: KptFunction[];
  labels: Map<string, Record<string, string>>;
  clusterOverrides: boolean;
}

/** The scopes of every placement, in placement order, then environment, then name. */
function planScopes(input: PorchFanOutInput): PorchScope[] {
  const { context } = input;
  const scopes: PorchScope[] = [];
  const placementNames = new Map<string, Placement>();
  const placed = new Set<Placement>();
  for (const list of input.plan.values()) for (const p of list) placed.add(p);

  for (const placement of input.placements.filter(p => placed.has(p))) {
    const placementName = toDnsFragment(placement.node.id);
    const other = placementNames.get(placementName);
    if (other) {
      context.problems.add(placement.node.path, 'id', `its PackageVariantSets and variants are named after the placement id ("${placementName}"), like those of ${other.node.path}; give one of them another id`);
      continue;
    }
    placementNames.set(placementName, placement);
    const declared = [...input.declaredNamespaces(placement)].sort();
    const byEnvironment = new Map<string, Cluster[]>();
    for (const cluster of input.clusters) {
      if (!(input.plan.get(cluster) ?? []).includes(placement)) continue;
      let list = byEnvironment.get(cluster.environment.name);
      if (!list) byEnvironment.set(cluster.environment.name, list = []);
      list.push(cluster);
    }
    const usedNames = new Set<string>();
    for (const environmentName of [...byEnvironment.keys()].sort()) {
      const clusters = byEnvironment.get(environmentName)!;
      const groups = new Map<string, ScopeGroup>();
      // A package with addresses, or whose content depends on where its peers run, differs per
      // cluster: each cluster gets its own variant, selected by name, so that a cluster joining
      // the environment later never receives another cluster's addresses.
      const perCluster = placement.blueprint.variesByCluster === true || clusters.some(c => Object.keys(input.addresses(c, placement)).length > 0);
      for (const cluster of clusters) {
        const overrides = placement.overridesFor(cluster);
        const addresses = input.addresses(cluster, placement);
        const labels = new Map<string, Record<string, string>>();
        const steps: KptFunction[] = [];
        for (const ns of declared) {
          const nsLabels = input.namespaceLabels.get(cluster)?.get(ns);
          if (nsLabels && Object.keys(nsLabels).length > 0) {
            labels.set(ns, nsLabels);
            steps.push(KptFunction.setLabels(nsLabels, { name: `namespace-labels-${ns}`, selectors: [{ kind: 'Namespace', name: ns }] }));
          }
        }
        const key = JSON.stringify([overrides, steps.map(s => s.toKptfile()), perCluster ? cluster.clusterName : '']);
        let group = groups.get(key);
        if (!group) groups.set(key, group = { clusters: [], overrides, addresses, steps, labels, clusterOverrides: false });
        group.clusters.push(cluster);
        if (perCluster || placement._overriddenClusters.includes(cluster)) group.clusterOverrides = true;
      }
      // The environment's label selects the largest group without cluster overrides, so that a
      // cluster's own overrides never reach another cluster; the rest are selected by name.
      const ordered = [...groups.values()].sort((a, b) => b.clusters.length - a.clusters.length || compareNames(a.clusters[0], b.clusters[0]));
      const labelled = ordered.find(g => !g.clusterOverrides);
      const namedClusters = ordered.filter(g => g !== labelled).flatMap(g => g.clusters.map(c => c.clusterName)).sort();
      for (const group of ordered) {
        const byName = group !== labelled;
        const base = byName ? (group.clusters.length === 1 ? group.clusters[0].clusterName : `${environmentName}-${group.clusters[0].clusterName}-and-${group.clusters.length - 1}-more`) : environmentName;
        let name = base;
        for (let n = 2; usedNames.has(name); n++) name = `${base}-${n}`;
        usedNames.add(name);
        const hasOverrides = perCluster || Object.keys(group.overrides).length > 0;
        scopes.push({
          placement,
          name,
          environment: group.clusters[0].environment,
          clusters: group.clusters,
          byName,
          excludedClusters: byName ? [] : namedClusters,
          overrides: group.overrides,
          addresses: group.addresses,
          namespaceLabelSteps: group.steps,
          namespaceLabels: group.labels,
          upstreamPath: hasOverrides ? `${PORCH_VARIANTS_FOLDER}/${placementName}/${name}` : placement.blueprint.blueprint.packagePath,
          variantSetName: `${placementName}-${name}`,
        });
      }
    }
  }
  return scopes;
}

/** Renders the scope's variant with the blueprint's own overrides code; Porch adds the per-cluster parts. */
function renderScopeVariant(scope: PorchScope, input: PorchFanOutInput): KptPackage | undefined {
  const { placement } = scope;
  const id = `porch-${scope.name}`;
  // A scope of one cluster renders for that cluster; a wider scope for what its clusters share.
  const variantTarget: DeploymentTarget = scope.clusters.length === 1 ? scope.clusters[0].target : {
    name: scope.name,
    environment: scope.environment.name,
    labels: sharedLabels(scope.clusters),
  };
  try {
    input.created.push({ parent: placement, id });
    const variant = placement.blueprint.renderVariant(placement, id, {
      path: scope.upstreamPath,
      target: variantTarget,
      overrides: scope.overrides,
      upstreamRepo: input.repoUrl,
      upstreamRef: input.upstreamRef,
      mutators: [],
      addresses: scope.addresses,
      // Only a variant of one cluster knows its cluster: wider scopes render as outside a fleet.
      ...(scope.clusters.length === 1 ? { fleet: input.fleetView } : {}),
    });
    if (variant.packagePath !== scope.upstreamPath) {
      input.context.problems.add(placement.node.path, 'blueprint', `the blueprint rendered its Porch variant for ${describeScope(scope)} at "${variant.packagePath}" instead of "${scope.upstreamPath}"; renderVariant must use options.path`);
    }
    return variant;
  } catch (err) {
    input.context.problems.add(placement.node.path, 'blueprint', `cannot render "${placement.packageName}" for ${describeScope(scope)}: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

/** The PackageVariantSet target of a scope: WorkloadClusters by label, downstream in each cluster's repository. */
function target(scope: PorchScope, options: PorchDeliveryOptions, validator: KptFunction | undefined): PackageVariantSetSpecTargets {
  const matchLabels = { ...scope.placement.matchLabels, [ENVIRONMENT_LABEL]: scope.environment.name };
  const names = scope.clusters.map(c => c.clusterName);
  const matchExpressions = scope.byName
    ? [{ key: CLUSTER_NAME_LABEL, operator: 'In', values: names }]
    : scope.excludedClusters.length > 0 ? [{ key: CLUSTER_NAME_LABEL, operator: 'NotIn', values: [...scope.excludedClusters] }] : undefined;
  return {
    objectSelector: { apiVersion: `${WORKLOAD_CLUSTER.group}/${WORKLOAD_CLUSTER.version}`, kind: WORKLOAD_CLUSTER.kind, matchLabels: sortedRecord(matchLabels), ...(matchExpressions ? { matchExpressions } : {}) },
    template: {
      // The cluster's Porch Repository is named after the cluster, like its WorkloadCluster.
      downstream: { repoExpr: 'target.name', package: scope.placement.packageName },
      ...(options.approvalPolicy ? { annotations: { [APPROVAL_POLICY_ANNOTATION]: options.approvalPolicy } } : {}),
      packageContext: {
        data: { [PACKAGE_CONTEXT_KEYS.environment]: scope.environment.name },
        dataExprs: [
          { key: PACKAGE_CONTEXT_KEYS.cluster, valueExpr: 'target.name' },
          { key: PACKAGE_CONTEXT_KEYS.region, valueExpr: `target.labels['${REGION_LABEL}']` },
        ],
      },
      pipeline: {
        mutators: [
          // Only the cluster's name, which never changes: set-labels also writes immutable selectors.
          { image: CATALOG_SET_LABELS, name: 'cluster-labels', configMapExprs: [{ key: CLUSTER_NAME_LABEL, valueExpr: 'target.name' }] },
          ...scope.namespaceLabelSteps.map(step => step.toKptfile()),
        ],
        // A variant of the scope carries its own; a blueprint cloned as is gets its environment's.
        ...(validator ? { validators: [validator.toKptfile()] } : {}),
      },
    },
  };
}

/**
 * The folders policy rules check with a cluster's environment: each scope's variant, and each
 * blueprint Porch clones as is, with the strictest environment it is delivered to.
 */
export function porchEnforcementScopes(scopes: readonly PorchScope[]): EnforcementScope[] {
  const byFolder = new Map<string, { clusters: Set<string>; environment: Environment }>();
  for (const scope of scopes) {
    const entry = byFolder.get(scope.upstreamPath);
    if (!entry) {
      byFolder.set(scope.upstreamPath, { clusters: new Set(scope.clusters.map(c => c.clusterName)), environment: scope.environment });
      continue;
    }
    for (const c of scope.clusters) entry.clusters.add(c.clusterName);
    if (strictness(scope.environment.policyProfile) > strictness(entry.environment.policyProfile)) entry.environment = scope.environment;
  }
  return [...byFolder].map(([folder, { clusters, environment }]) => ({
    folder,
    cluster: [...clusters].sort().join(', '),
    environment: environment.name,
    profile: environment.policyProfile,
  }));
}

/**
 * Pods of a package Porch delivers that the Pod Security level of their namespace on a target
 * cluster would reject. A cluster's namespaces come from its namespaces package (written by
 * synth) and from the packages Porch delivers there, with the labels each scope's pipeline adds.
 */
export function checkPorchPodSecurity(context: SynthContext, scopes: readonly PorchScope[]): void {
  if (scopes.length === 0) return;
  const objectsByFolder = new Map<string, RenderedObject[]>();
  const folders = new Set([...scopes.map(s => s.upstreamPath), ...scopes.flatMap(s => s.clusters.map(c => c.deploymentsPath))]);
  for (const rendered of context.objects) {
    for (let end = rendered.filePath.lastIndexOf('/'); end > 0; end = rendered.filePath.lastIndexOf('/', end - 1)) {
      const folder = rendered.filePath.slice(0, end);
      if (!folders.has(folder)) continue;
      let list = objectsByFolder.get(folder);
      if (!list) objectsByFolder.set(folder, list = []);
      list.push(rendered);
      break;
    }
  }
  const levels = new Map<string, PodSecurityLevel>();
  const setLevel = (cluster: Cluster, namespace: Record<string, any>) => {
    const level = enforcedLevel(namespace);
    if (level) levels.set(`${cluster.clusterName}\n${namespace.metadata?.name}`, level);
  };
  const isNamespace = (o: Record<string, any>) => o.kind === 'Namespace' && o.apiVersion === 'v1';
  for (const scope of scopes) {
    for (const cluster of scope.clusters) {
      for (const r of objectsByFolder.get(cluster.deploymentsPath) ?? []) if (isNamespace(r.object)) setLevel(cluster, r.object);
      for (const r of objectsByFolder.get(scope.upstreamPath) ?? []) {
        if (!isNamespace(r.object)) continue;
        const extra = scope.namespaceLabels.get(r.object.metadata?.name) ?? {};
        setLevel(cluster, { ...r.object, metadata: { ...r.object.metadata, labels: { ...r.object.metadata?.labels, ...extra } } });
      }
    }
  }
  const reported = new Set<string>();
  for (const scope of scopes) {
    for (const r of objectsByFolder.get(scope.upstreamPath) ?? []) {
      const namespace = r.object.metadata?.namespace;
      if (!namespace) continue;
      for (const cluster of scope.clusters) {
        const level = levels.get(`${cluster.clusterName}\n${namespace}`);
        if (!level) continue;
        for (const finding of podSecurityFindings(r.object, level)) {
          const id = `${r.constructPath}\n${finding.field}\n${cluster.clusterName}\n${finding.message}`;
          if (reported.has(id)) continue;
          reported.add(id);
          context.problems.add(r.constructPath, finding.field, `pod-security: ${describeObject(r.object)}, which Porch delivers to cluster ${cluster.clusterName} (PackageVariantSet ${scope.variantSetName}): ${finding.message}`);
        }
      }
    }
  }
}

/** Human wording of a scope for messages. */
export function describeScope(scope: PorchScope): string {
  return scope.byName
    ? `cluster${scope.clusters.length === 1 ? '' : 's'} ${scope.clusters.map(c => c.clusterName).join(', ')}`
    : `environment ${scope.environment.name}`;
}

function sharedLabels(clusters: readonly Cluster[]): Record<string, string> {
  const [first, ...rest] = clusters.map(c => c.labels);
  return Object.fromEntries(Object.entries(first).filter(([k, v]) => k !== CLUSTER_NAME_LABEL && rest.every(l => l[k] === v)));
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(record).sort().map(k => [k, record[k]]));
}

function compareNames(a: Cluster, b: Cluster): number {
  return compareStrings(a.clusterName, b.clusterName);
}

function strictness(profile: PolicyProfile): number {
  return profile === PolicyProfile.STRICT ? 2 : profile === PolicyProfile.STANDARD ? 1 : 0;
}
