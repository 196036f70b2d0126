import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DIGEST, objectAt, objectsIn, TestWorkload } from './support';
import { validateObject } from '../../src/apis/validation';
import {
  BLUEPRINTS_FOLDER, Cluster, DeliveryMode, Environment, Fleet, FleetLayout, GitAuth, Placement, PorchApprovalPolicy, SiteType,
} from '../../src/fleet';
import { IPackageBlueprint, KptPackage, VariantOptions } from '../../src/kpt';
import { PodSecurityLevel, Policy } from '../../src/policy';
import { GitOpsRepository, RepoSet, SynthError } from '../../src/repo';

const MGMT_URL = 'https://git.example.com/nephio/mgmt.git';
const TEMPLATE = 'https://git.example.com/nephio/{cluster}.git';
const perCluster = () => FleetLayout.repositoryPerCluster({ repoUrlTemplate: TEMPLATE });

interface Build {
  readonly repo: GitOpsRepository;
  readonly fleet: Fleet;
  readonly clusters: Map<string, Cluster>;
  readonly upfEdge: Placement;
}

/**
 * Four edge clusters in two environments and a regional one. UPF on the edge with staging
 * overrides and edge-02's own, NRF on production, a baseline policy on edge-03's UPF namespace.
 */
function build(mode: DeliveryMode = DeliveryMode.porch(), layout: FleetLayout = perCluster(), extra: Record<string, any> = {}): Build {
  const repo = new GitOpsRepository();
  const upf = new TestWorkload(repo, 'upf', { namespace: 'upf' });
  const nrf = new TestWorkload(repo, 'nrf', { namespace: 'core', declaresNamespace: true });
  const fleet = new Fleet(repo, 'fleet', { repoUrl: MGMT_URL, auth: GitAuth.none(), layout, deliveryMode: mode, ...extra });
  const clusters = new Map<string, Cluster>();
  const add = (name: string, environment: Environment, siteType: SiteType) => clusters.set(name, new Cluster(fleet, name, { environment, region: 'eu-west', siteType }));
  add('edge-01', Environment.PRODUCTION, SiteType.EDGE);
  add('edge-02', Environment.PRODUCTION, SiteType.EDGE);
  add('edge-03', Environment.PRODUCTION, SiteType.EDGE);
  add('lab-01', Environment.STAGING, SiteType.EDGE);
  add('regional-01', Environment.PRODUCTION, SiteType.REGIONAL);
  const upfEdge = new Placement(fleet, 'upf-edge', { blueprint: upf, matchLabels: { 'nephio.org/site-type': 'edge' } });
  upfEdge.addEnvironmentOverrides(Environment.STAGING, { replicas: 2 });
  upfEdge.addClusterOverrides(clusters.get('edge-02')!, { replicas: 4, configuration: { dnn: 'internet' } });
  new Placement(fleet, 'nrf-prod', { blueprint: nrf, environments: [Environment.PRODUCTION], matchLabels: { 'nephio.org/site-type': 'regional' } });
  new Placement(fleet, 'upf-policy', { blueprint: new Policy(repo, 'upf-policy', { namespaces: ['upf'], podSecurity: PodSecurityLevel.BASELINE }), matchLabels: { 'nephio.org/cluster-name': 'edge-03' } });
  return { repo, fleet, clusters, upfEdge };
}

function synthError(run: () => unknown): SynthError {
  try {
    run();
  } catch (err) {
    if (err instanceof SynthError) return err;
    throw err;
  }
  throw new Error('synth succeeded');
}

function porchObjects(set: RepoSet, kind: string): any[] {
  return objectsIn(set.tree('mgmt'), 'porch', kind);
}

/** Kubernetes label selector semantics (matchLabels and In/NotIn expressions), to check which clusters a target reaches. */
function selects(selector: any, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels && e.values.includes(labels[e.key]);
    if (e.operator === 'In' && !has) return false;
    if (e.operator === 'NotIn' && has) return false;
  }
  return true;
}

describe('Porch delivery mode', () => {
  test('synth writes blueprints, the Porch objects and each cluster\'s namespaces, and no deployment: Porch fans out', () => {
    const { repo } = build();
    const { repositories, warnings } = repo.synthTrees();
    expect(warnings).toEqual([]);
    expect(repositories.names).toEqual(['mgmt', 'edge-01', 'edge-02', 'edge-03', 'lab-01', 'regional-01']);
    const mgmt = repositories.tree('mgmt');
    const kptfiles = mgmt.paths().filter(p => p.endsWith('/Kptfile') && !p.startsWith('clusters/') && !p.startsWith('management/workload-clusters/'));
    expect(kptfiles).toEqual([
      'packages/network-functions/nrf/Kptfile',
      'packages/network-functions/upf/Kptfile',
      'packages/policies/upf-policy/Kptfile',
      // One variant per override scope: staging, and edge-02's own.
      'packages/variants/upf-edge/edge-02/Kptfile',
      'packages/variants/upf-edge/staging/Kptfile',
      'porch/Kptfile',
    ]);
    expect(mgmt.paths().some(p => p.startsWith('deployments/'))).toBe(false);
    // Cluster repositories hold only what Porch does not deliver: the Namespaces the packages need and do not declare.
    // And the record of the environment the review gate applies to the repository.
    expect(repositories.tree('edge-01').paths()).toEqual(['.nephoran/environment/production', 'namespaces/Kptfile', 'namespaces/namespace_upf.yaml', 'namespaces/package-context.yaml']);
    // edge-03's namespace carries the Pod Security labels of the policy placed there.
    expect(objectAt(repositories.tree('edge-03'), 'namespaces/namespace_upf.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    // NRF declares its namespace itself: Porch delivers it with the package.
    expect(repositories.tree('regional-01').paths()).toEqual(['.nephoran/environment/production']);
  });

  test('one Porch Repository per cluster repository (deployment) and one for the blueprints, all valid against the Porch CRDs', () => {
    const { repositories } = build(DeliveryMode.porch({ secretName: 'porch-git' })).repo.synthTrees();
    const repos = porchObjects(repositories, 'Repository');
    for (const r of repos) expect(validateObject(r)).toEqual([]);
    // The blueprints' Repository is never R5's own `mgmt`: `<management repository>-blueprints`.
    expect(repos.map(r => r.metadata.name)).toEqual(['edge-01', 'edge-02', 'edge-03', 'lab-01', 'mgmt-blueprints', 'regional-01']);
    expect(repos.find(r => r.metadata.name === 'mgmt-blueprints')).toEqual({
      apiVersion: 'config.porch.kpt.dev/v1alpha1',
      kind: 'Repository',
      metadata: { name: 'mgmt-blueprints', namespace: 'default' },
      spec: {
        deployment: false,
        description: 'Blueprints: packages/ of https://git.example.com/nephio/mgmt.git',
        git: { branch: 'main', directory: BLUEPRINTS_FOLDER, repo: MGMT_URL, secretRef: { name: 'porch-git' } },
        type: 'git',
      },
    });
    expect(repos.find(r => r.metadata.name === 'edge-01').spec).toEqual({
      deployment: true,
      description: 'Deployment repository of cluster edge-01 (production, eu-west)',
      git: { branch: 'main', directory: '/', repo: 'https://git.example.com/nephio/edge-01.git', secretRef: { name: 'porch-git' } },
      type: 'git',
    });
    // Without a secret name, Nephio's convention.
    const defaults = porchObjects(build().repo.synthTrees().repositories, 'Repository');
    expect(defaults.map(r => r.spec.git.secretRef.name)).toEqual(['edge-01', 'edge-02', 'edge-03', 'lab-01', 'mgmt-blueprints', 'regional-01'].map(n => `${n}-access-token-porch`));
  });

  test('PackageVariantSets (v1alpha2) target WorkloadClusters by label, pin a numbered revision, with package context and the cluster-name label', () => {
    const { repositories } = build(DeliveryMode.porch({ approvalPolicy: PorchApprovalPolicy.INITIAL })).repo.synthTrees();
    const sets = porchObjects(repositories, 'PackageVariantSet');
    for (const s of sets) expect(validateObject(s)).toEqual([]);
    expect(sets.map(s => s.metadata.name)).toEqual([
      'nrf-prod-production', 'upf-edge-edge-02', 'upf-edge-production', 'upf-edge-staging', 'upf-policy-production',
    ]);
    const production = sets.find(s => s.metadata.name === 'upf-edge-production');
    expect(production).toEqual({
      apiVersion: 'config.porch.kpt.dev/v1alpha2',
      kind: 'PackageVariantSet',
      metadata: { name: 'upf-edge-production', namespace: 'default' },
      spec: {
        // No overrides in production: Porch clones the blueprint itself, at a published revision
        // (revision 1 in the folder output; publish pins the one it resolves on the remote).
        upstream: { package: 'network-functions/upf', repo: 'mgmt-blueprints', revision: 1, workspaceName: 'v1' },
        targets: [{
          objectSelector: {
            apiVersion: 'infra.nephio.org/v1alpha1',
            kind: 'WorkloadCluster',
            matchExpressions: [{ key: 'nephio.org/cluster-name', operator: 'NotIn', values: ['edge-02'] }],
            matchLabels: { 'nephio.org/site-type': 'edge', 'nephoran.io/environment': 'production' },
          },
          template: {
            annotations: { 'approval.nephio.org/policy': 'initial' },
            downstream: { package: 'upf', repoExpr: 'target.name' },
            packageContext: {
              data: { environment: 'production' },
              dataExprs: [{ key: 'cluster-name', valueExpr: 'target.name' }, { key: 'region', valueExpr: "target.labels['nephio.org/region']" }],
            },
            pipeline: {
              mutators: [
                { configMapExprs: [{ key: 'nephio.org/cluster-name', valueExpr: 'target.name' }], image: 'gcr.io/kpt-fn/set-labels:v0.2.0', name: 'cluster-labels' },
              ],
              // The blueprint is cloned as is: the set adds the enforcer at production's severities.
              validators: [{ image: 'ghcr.io/nephoran/policy-enforcer:v0.1.0', name: 'policy-enforcer-production', configMap: { profile: 'strict' } }],
            },
          },
        }],
      },
    });
    const edge02 = sets.find(s => s.metadata.name === 'upf-edge-edge-02');
    expect(edge02.spec.upstream).toEqual({ package: 'variants/upf-edge/edge-02', repo: 'mgmt-blueprints', revision: 1, workspaceName: 'v1' });
    // No injector: no blueprint carries a kpt.dev/config-injection point, so Porch would inject nothing.
    for (const s of sets) expect(s.spec.targets[0].template.injectors).toBeUndefined();
    // Publish pins each set to its upstream's revision, the package the set clones.
    const bindings = repositories.tree('mgmt').revisionBindings().filter(b => b.path.startsWith('porch/'));
    expect(bindings.map(b => [b.path, b.upstream])).toEqual([
      ['porch/packagevariantset_nrf-prod-production.yaml', 'packages/network-functions/nrf'],
      ['porch/packagevariantset_upf-edge-edge-02.yaml', 'packages/variants/upf-edge/edge-02'],
      ['porch/packagevariantset_upf-edge-production.yaml', 'packages/network-functions/upf'],
      ['porch/packagevariantset_upf-edge-staging.yaml', 'packages/variants/upf-edge/staging'],
      ['porch/packagevariantset_upf-policy-production.yaml', 'packages/policies/upf-policy'],
    ]);
    expect(edge02.spec.targets[0].objectSelector.matchExpressions).toEqual([{ key: 'nephio.org/cluster-name', operator: 'In', values: ['edge-02'] }]);
    expect(sets.find(s => s.metadata.name === 'upf-edge-staging').spec.upstream.package).toBe('variants/upf-edge/staging');
  });

  test('the targets reach exactly the clusters each placement selects, each cluster once per placement, through the labels their WorkloadClusters carry', () => {
    const { repo, fleet } = build();
    const { repositories } = repo.synthTrees();
    const workloadClusters = fleet.clusters.map(c => objectAt(repositories.tree('mgmt'), `management/workload-clusters/${c.clusterName}/workloadcluster_${c.clusterName}.yaml`));
    for (const wc of workloadClusters) expect(wc.metadata.namespace).toBe('default');
    const reached = new Map<string, string[]>();
    for (const set of porchObjects(repositories, 'PackageVariantSet')) {
      expect(set.metadata.namespace).toBe('default');
      const placement = set.metadata.name.replace(/-(production|staging|edge-02)$/, '');
      for (const target of set.spec.targets) {
        for (const wc of workloadClusters) {
          if (selects(target.objectSelector, wc.metadata.labels)) reached.set(placement, [...(reached.get(placement) ?? []), wc.metadata.name]);
        }
      }
    }
    for (const placement of fleet.placements) {
      const expected = fleet.clustersSelectedBy(placement).map(c => c.clusterName);
      expect([placement.node.id, [...(reached.get(placement.node.id) ?? [])].sort()]).toEqual([placement.node.id, expected]);
    }
  });

  test('overrides become the variant of their scope, rendered by the blueprint as the hydrated layout renders them', () => {
    const porch = build().repo.synthTrees().repositories.tree('mgmt');
    const hydrated = build(DeliveryMode.HYDRATED).repo.synthTrees().repositories;
    // Porch adds the cluster-name label; the test workload's cdk8s-plus selector is named after its construct path.
    const withoutClusterLabel = (o: any) => {
      const copy = JSON.parse(JSON.stringify(o));
      const selector = copy.spec?.selector?.matchLabels ? { labels: copy.spec.selector.matchLabels } : undefined;
      for (const m of [copy.metadata, copy.spec?.template?.metadata, selector]) {
        if (!m?.labels) continue;
        delete m.labels['nephio.org/cluster-name'];
        delete m.labels['cdk8s.io/metadata.addr'];
        if (Object.keys(m.labels).length === 0) delete m.labels;
      }
      return copy;
    };
    for (const [scope, cluster] of [['staging', 'lab-01'], ['edge-02', 'edge-02']]) {
      for (const file of ['deployment_upf.yaml', 'configmap_upf-config.yaml']) {
        const variant = objectAt(porch, `packages/variants/upf-edge/${scope}/${file}`);
        expect(withoutClusterLabel(variant)).toEqual(withoutClusterLabel(objectAt(hydrated.tree(cluster), `upf/${file}`)));
      }
    }
    expect(objectAt(porch, 'packages/variants/upf-edge/staging/deployment_upf.yaml').spec.replicas).toBe(2);
    expect(objectAt(porch, 'packages/variants/upf-edge/edge-02/deployment_upf.yaml').spec.replicas).toBe(4);
    expect(objectAt(porch, 'packages/variants/upf-edge/edge-02/configmap_upf-config.yaml').data).toEqual({ dnn: 'internet' });
    // A variant records the blueprint it comes from.
    expect(objectAt(porch, 'packages/variants/upf-edge/staging/Kptfile').upstream.git).toEqual({ repo: MGMT_URL, directory: 'packages/network-functions/upf', ref: 'main' });
  });

  test('namespace labels a placed policy asks for reach the namespaces a package declares through its own PackageVariantSet\'s pipeline', () => {
    const repo = new GitOpsRepository();
    const fleet = new Fleet(repo, 'fleet', { repoUrl: MGMT_URL, auth: GitAuth.none(), layout: perCluster(), deliveryMode: DeliveryMode.porch() });
    for (const name of ['edge-01', 'edge-02']) new Cluster(fleet, name, { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
    new Placement(fleet, 'smf', { blueprint: new TestWorkload(repo, 'smf', { namespace: 'core', declaresNamespace: true }) });
    new Placement(fleet, 'baseline', { blueprint: new Policy(repo, 'baseline', { namespaces: ['core'], podSecurity: PodSecurityLevel.BASELINE }), matchLabels: { 'nephio.org/cluster-name': 'edge-01' } });
    const { repositories } = repo.synthTrees();
    const sets = porchObjects(repositories, 'PackageVariantSet');
    // The environment's label selects edge-01 (ties go to the first cluster by name); edge-02 is selected by name.
    expect(sets.map(s => s.metadata.name)).toEqual(['baseline-production', 'smf-edge-02', 'smf-production']);
    const production = sets.find(s => s.metadata.name === 'smf-production').spec;
    const edge02 = sets.find(s => s.metadata.name === 'smf-edge-02').spec;
    // Both clone the blueprint: the labels differ, not the package.
    expect(production.upstream.package).toBe('network-functions/smf');
    expect(edge02.upstream.package).toBe('network-functions/smf');
    expect(production.targets[0].objectSelector.matchExpressions).toEqual([{ key: 'nephio.org/cluster-name', operator: 'NotIn', values: ['edge-02'] }]);
    expect(production.targets[0].template.pipeline.mutators[1]).toEqual({
      image: 'gcr.io/kpt-fn/set-labels:v0.2.0',
      name: 'namespace-labels-core',
      configMap: { 'pod-security.kubernetes.io/audit': 'baseline', 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'baseline' },
      selectors: [{ kind: 'Namespace', name: 'core' }],
    });
    expect(edge02.targets[0].objectSelector.matchExpressions).toEqual([{ key: 'nephio.org/cluster-name', operator: 'In', values: ['edge-02'] }]);
    expect(edge02.targets[0].template.pipeline.mutators).toHaveLength(1);
    // The package declares its namespace, so no cluster gets it a second time from synth.
    expect(repositories.tree('edge-01').paths()).toEqual(['.nephoran/environment/production']);
  });

  test('policy rules check what Porch delivers with the strictest environment it reaches', () => {
    const build2 = (environments: Environment[]) => {
      const repo = new GitOpsRepository();
      const fleet = new Fleet(repo, 'fleet', { repoUrl: MGMT_URL, auth: GitAuth.none(), layout: perCluster(), deliveryMode: DeliveryMode.porch() });
      new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west' });
      new Cluster(fleet, 'lab-01', { environment: Environment.STAGING, region: 'eu-west' });
      new Placement(fleet, 'amf', { blueprint: new TestWorkload(repo, 'amf', { namespace: 'amf', image: 'registry.example.com/amf:v1' }), environments });
      return repo;
    };
    const staging = build2([Environment.STAGING]).synthTrees();
    expect(staging.warnings.map(w => w.message)).toEqual([
      expect.stringMatching(/^image-digest: Deployment amf\/amf on cluster lab-01 \(staging\), packages\/network-functions\/amf\/deployment_amf.yaml: image "registry.example.com\/amf:v1"/),
    ]);
    const error = synthError(() => build2([Environment.STAGING, Environment.PRODUCTION]).synthTrees());
    expect(error.problems.map(p => p.message)).toEqual([
      expect.stringMatching(/^image-digest: Deployment amf\/amf on cluster edge-01, lab-01 \(production\), packages\/network-functions\/amf\/deployment_amf.yaml: image "registry.example.com\/amf:v1" of container "amf" is not pinned by digest/),
    ]);
  });

  test('a pod the Pod Security level of its namespace on a target cluster would reject fails synth, naming the cluster and the PackageVariantSet', () => {
    const buildPrivileged = (level: PodSecurityLevel) => {
      const repo = new GitOpsRepository();
      const fleet = new Fleet(repo, 'fleet', { repoUrl: MGMT_URL, auth: GitAuth.none(), layout: perCluster(), deliveryMode: DeliveryMode.porch() });
      new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
      new Cluster(fleet, 'edge-02', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
      new Placement(fleet, 'upf', { blueprint: new TestWorkload(repo, 'upf', { namespace: 'upf', hostNetwork: true, hostNetworkReason: 'N3 on the node port' }) });
      new Placement(fleet, 'policy', { blueprint: new Policy(repo, 'upf-policy', { namespaces: ['upf'], podSecurity: level }), matchLabels: { 'nephio.org/cluster-name': 'edge-02' } });
      return repo;
    };
    expect(synthError(() => buildPrivileged(PodSecurityLevel.BASELINE).synthTrees()).problems).toEqual([{
      path: 'upf/Package/Deployment/Resource',
      field: 'spec.template.spec.hostNetwork',
      message: 'pod-security: Deployment upf/upf, which Porch delivers to cluster edge-02 (PackageVariantSet upf-production): its pods would be rejected at admission: uses hostNetwork, which Pod Security "baseline" forbids in namespace upf; change the workload or place a policy with a lower podSecurity level on the namespace',
      severity: 'error',
    }]);
    expect(() => buildPrivileged(PodSecurityLevel.PRIVILEGED).synthTrees()).not.toThrow();
  });

  test('synth is deterministic and a second synth recreates the fan-out rather than adding more', () => {
    const first = build();
    const a = first.repo.synthTrees().repositories;
    const after = first.repo.node.findAll().length;
    expect(first.repo.synthTrees().repositories.equals(a)).toBe(true);
    expect(first.repo.node.findAll().length).toBe(after);
    expect(build().repo.synthTrees().repositories.equals(a)).toBe(true);
  });

  test('what Porch cannot be given is a synth error naming the placement or field, all at once', () => {
    const repo = new GitOpsRepository();
    const fleet = new Fleet(repo, 'fleet', {
      repoUrl: MGMT_URL,
      auth: GitAuth.none(),
      layout: perCluster(),
      upstreamRef: 'v1.2.0',
      deliveryMode: DeliveryMode.porch({ blueprintRepositoryName: 'edge-01' }),
    });
    new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west' });
    // A blueprint outside packages/, which the blueprint Repository does not register.
    new Placement(fleet, 'outside', { blueprint: new OutsideBlueprint(repo, 'outside') });
    // Two placements whose PackageVariantSets would share a name.
    const team = new Construct(fleet, 'team-a');
    new Placement(fleet, 'upf', { blueprint: new TestWorkload(repo, 'upf', { namespace: 'upf' }) });
    new Placement(team, 'upf', { blueprint: new TestWorkload(repo, 'smf', { namespace: 'smf' }) });
    // A placement that selects nothing.
    new Placement(fleet, 'nowhere', { blueprint: new TestWorkload(repo, 'amf', { namespace: 'amf' }), matchLabels: { 'nephio.org/site-type': 'edge' } });
    const error = synthError(() => repo.synthTrees());
    expect(error.problems.map(p => [p.path, p.field, p.message])).toEqual([
      ['fleet', 'deliveryMode.blueprintRepositoryName', 'the Porch Repository of the blueprints is named "edge-01", like a cluster, whose deployment repository takes that name; set DeliveryMode.porch({ blueprintRepositoryName }) to another name'],
      ['fleet', 'upstreamRef', 'Porch clones published revisions of the blueprints (tags <path>/v<N> that publish creates), so upstreamRef "v1.2.0" cannot be honoured; remove upstreamRef or set it to the branch'],
      ['fleet/nowhere', 'matchLabels', expect.stringMatching(/^placement of "amf" selects no cluster/)],
      ['fleet/outside', 'blueprint', 'Porch clones blueprints from packages/, which the Porch Repository "edge-01" registers, but this blueprint is at "blueprints/outside"; move its package under packages/'],
      ['fleet/team-a/upf', 'id', 'its PackageVariantSets and variants are named after the placement id ("upf"), like those of fleet/upf; give one of them another id'],
    ]);
  });

  test('R5 management Repositories (mgmt, mgmt-staging) are never replaced: a blueprint Repository or a cluster of that name is a synth error', () => {
    for (const name of ['mgmt', 'mgmt-staging']) {
      const repo = new GitOpsRepository();
      const fleet = new Fleet(repo, 'fleet', {
        repoUrl: 'https://git.example.com/nephio/fleet.git',
        auth: GitAuth.none(),
        layout: perCluster(),
        deliveryMode: DeliveryMode.porch({ blueprintRepositoryName: name }),
      });
      new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west' });
      new Cluster(fleet, name, { environment: Environment.PRODUCTION, region: 'eu-west' });
      new Placement(fleet, 'upf', { blueprint: new TestWorkload(repo, 'upf', { namespace: 'upf' }) });
      const problems = synthError(() => repo.synthTrees()).problems.filter(p => p.field !== 'placement' && p.path === 'fleet');
      expect(problems.map(p => [p.field, p.message])).toEqual(expect.arrayContaining([
        ['deliveryMode.blueprintRepositoryName', expect.stringContaining(`is named "${name}", which Nephio R5's management cluster already uses for its own repository`)],
        ['clusters', `cluster "${name}" would get a Porch Repository named "${name}", which Nephio R5's management cluster already uses for its own repository; rename the cluster`],
      ]));
    }
    // A management repository named mgmt keeps its blueprints out of R5's way by default.
    const { repositories } = build().repo.synthTrees();
    expect(porchObjects(repositories, 'Repository').map(r => r.metadata.name)).not.toContain('mgmt');
  });

  test('Porch options are carried by the mode, for the Fleet to report at synth', () => {
    expect(DeliveryMode.porch({ blueprintRepositoryName: 'Blue_Prints' })._problems).toEqual([expect.stringMatching(/^DeliveryMode.porch: blueprintRepositoryName "Blue_Prints" is not a DNS-1123 label/)]);
    expect(DeliveryMode.porch({ secretName: 'Porch Token' })._problems).toEqual([expect.stringMatching(/^DeliveryMode.porch: secretName "Porch Token" is not a DNS-1123 subdomain/)]);
    expect(DeliveryMode.porch({ approvalPolicy: 'sometimes' as PorchApprovalPolicy })._problems).toEqual(['DeliveryMode.porch: approvalPolicy must be one of initial, always; got "sometimes"']);
    expect(DeliveryMode.porch({ secretName: 'Porch Token' }).porchOptions).toEqual({});
    expect(DeliveryMode.HYDRATED.isPorch).toBe(false);
    expect(DeliveryMode.porch().isPorch).toBe(true);
  });
});

/** A placeable package kept outside packages/. */
class OutsideBlueprint extends Construct implements IPackageBlueprint {
  public readonly blueprint: KptPackage;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.blueprint = new KptPackage(this, 'Package', { path: `blueprints/${id}` });
    new ApiObject(this.blueprint, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id, namespace: 'default' }, data: { image: `registry.example.com/outside@${DIGEST}` } });
  }

  public get namespaces(): string[] {
    return [];
  }

  public renderVariant(scope: Construct, id: string, options: VariantOptions): KptPackage {
    return new KptPackage(scope, id, { path: options.path });
  }
}

describe('Porch fan-out of packages that differ per cluster', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const network = require('../../src/network') as typeof import('../../src/network');

  function buildUserPlane() {
    const repo = new GitOpsRepository();
    const fleet = new Fleet(repo, 'fleet', { repoUrl: MGMT_URL, auth: GitAuth.none(), layout: perCluster(), deliveryMode: DeliveryMode.porch() });
    const site = (i: number) => [
      { name: 'vpc-ran', cni: 'macvlan', subnet: `10.${i}.3.0/24` },
      { name: 'vpc-internal', cni: 'macvlan', subnet: `10.${i}.4.0/24` },
      { name: 'vpc-internet', cni: 'macvlan', subnet: `10.${i}.6.0/24` },
    ];
    for (const [i, name] of ['edge-01', 'edge-02', 'edge-03'].entries()) {
      new Cluster(fleet, name, { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE, networks: site(i + 1), podCidrs: [`10.20${i}.0.0/16`] });
    }
    const slice = new network.NetworkSlice(repo, 'embb', { serviceType: network.SliceServiceType.EMBB, sd: '000001' });
    const upf = new network.NetworkFunction(repo, 'upf', {
      kind: network.NfKind.UPF,
      namespace: slice.namespace,
      interfaces: [
        { type: network.InterfaceType.N3, networkInstance: 'vpc-ran' },
        { type: network.InterfaceType.N4, networkInstance: 'vpc-internal' },
        { type: network.InterfaceType.N6, networkInstance: 'vpc-internet', dataNetworks: [{ name: 'internet', pools: ['10.60.0.0/16'] }] },
      ],
    });
    const smf = new network.NetworkFunction(repo, 'smf', {
      kind: network.NfKind.SMF,
      namespace: slice.namespace,
      deploymentModel: network.NfDeploymentModel.WORKLOAD,
      image: `docker.io/nephio/free5gc-smf@${DIGEST}`,
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    });
    slice.addNetworkFunction(smf);
    slice.addNetworkFunction(upf);
    new Placement(fleet, 'upf', { blueprint: upf });
    new Placement(fleet, 'smf', { blueprint: smf, matchLabels: { 'nephio.org/cluster-name': 'edge-01' } });
    new Placement(fleet, 'slice', { blueprint: slice });
    return repo;
  }

  test('each cluster gets its own variant, selected by name: the UPF with its own addresses, the slice with the members placed there', () => {
    const set = buildUserPlane().synthTrees().repositories;
    const mgmt = set.tree('mgmt');
    const sets = porchObjects(set, 'PackageVariantSet');
    for (const placement of ['upf', 'slice']) {
      const own = sets.filter(s => s.metadata.name.startsWith(`${placement}-`));
      expect(own.map(s => s.metadata.name).sort()).toEqual([`${placement}-edge-01`, `${placement}-edge-02`, `${placement}-edge-03`]);
      for (const pvs of own) {
        const cluster = pvs.metadata.name.slice(placement.length + 1);
        // By name only: a cluster that joins the environment later never gets another's variant.
        expect(pvs.spec.targets[0].objectSelector.matchExpressions).toEqual([{ key: 'nephio.org/cluster-name', operator: 'In', values: [cluster] }]);
        expect(pvs.spec.upstream.package).toBe(`variants/${placement}/${cluster}`);
      }
    }
    const n3 = (cluster: string) => objectAt(mgmt, `packages/variants/upf/${cluster}/nfdeployment_upf.yaml`).spec.interfaces.find((i: any) => i.name === 'n3');
    expect(n3('edge-01').ipv4.address.startsWith('10.1.3.')).toBe(true);
    expect(n3('edge-02').ipv4.address.startsWith('10.2.3.')).toBe(true);
    expect(n3('edge-03').ipv4.gateway).toBe('10.3.3.1');
    const nads = objectsIn(mgmt, 'packages/variants/upf/edge-02', 'NetworkAttachmentDefinition').map(o => o.metadata.name).sort();
    expect(nads).toEqual(['upf-n3', 'upf-n4', 'upf-n6']);
    // The SMF runs on edge-01 only: its allowance is in edge-01's slice variant, not edge-02's.
    const policies = (cluster: string) => objectsIn(mgmt, `packages/variants/slice/${cluster}`, 'NetworkPolicy').map(o => o.metadata.name).sort();
    expect(policies('edge-01')).toContain('embb-allow-smf');
    expect(policies('edge-02')).not.toContain('embb-allow-smf');
  });
});
