import { Construct } from 'constructs';
import { DIGEST, objectAt, objectsIn, REPO_URL, TestWorkload, tokenAuth } from './support';
import { Cluster, Environment, Fleet, GitAuth, Placement, SiteType } from '../../src/fleet';
import { IPackageBlueprint, KptPackage, VariantOptions } from '../../src/kpt';
import { NetworkIsolation, PodSecurityLevel, Policy } from '../../src/policy';
import { GitOpsRepository, SynthError } from '../../src/repo';

function fleetWithClusters() {
  const repo = new GitOpsRepository();
  const fleet = new Fleet(repo, 'fleet', { repoUrl: REPO_URL, auth: tokenAuth() });
  const edgeProd = new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
  const edgeStaging = new Cluster(fleet, 'edge-stg', { environment: Environment.STAGING, region: 'eu-west', siteType: SiteType.EDGE });
  const regional = new Cluster(fleet, 'regional-01', { environment: Environment.PRODUCTION, region: 'us-east', siteType: SiteType.REGIONAL });
  return { repo, fleet, edgeProd, edgeStaging, regional };
}

function synthError(repo: GitOpsRepository): SynthError {
  try {
    repo.synthTree();
  } catch (err) {
    if (err instanceof SynthError) return err;
    throw err;
  }
  throw new Error('synth succeeded');
}

describe('Placement', () => {
  test('places a package on every cluster matching labels and environment', () => {
    const { repo, fleet } = fleetWithClusters();
    const upf = new TestWorkload(repo, 'upf', { namespace: 'upf' });
    const nrf = new TestWorkload(repo, 'nrf', { namespace: 'core' });
    new Placement(fleet, 'upf-edge', { blueprint: upf, matchLabels: { 'nephio.org/site-type': 'edge' } });
    new Placement(fleet, 'nrf-prod', { blueprint: nrf, environments: [Environment.PRODUCTION] });
    const { tree } = repo.synthTree();
    const variants = tree.paths().filter(p => p.startsWith('deployments/') && p.endsWith('/Kptfile'));
    expect(variants).toEqual([
      'deployments/production/edge-01/namespaces/Kptfile',
      'deployments/production/edge-01/nrf/Kptfile',
      'deployments/production/edge-01/upf/Kptfile',
      'deployments/production/regional-01/namespaces/Kptfile',
      'deployments/production/regional-01/nrf/Kptfile',
      'deployments/staging/edge-stg/namespaces/Kptfile',
      'deployments/staging/edge-stg/upf/Kptfile',
    ]);
  });

  test('the variant records its blueprint as upstream and carries the cluster name label through its pipeline (labels that may change would break immutable selectors)', () => {
    const { repo, fleet } = fleetWithClusters();
    const upf = new TestWorkload(repo, 'upf', { namespace: 'upf' });
    new Placement(fleet, 'upf-edge', { blueprint: upf, matchLabels: { 'nephio.org/site-type': 'edge' }, environments: [Environment.PRODUCTION] });
    const { tree } = repo.synthTree();
    const kptfile = objectAt(tree, 'deployments/production/edge-01/upf/Kptfile');
    expect(kptfile.upstream).toEqual({ type: 'git', git: { repo: REPO_URL, directory: 'packages/network-functions/upf', ref: 'main' }, updateStrategy: 'resource-merge' });
    expect(kptfile.pipeline.mutators).toEqual([{
      image: 'gcr.io/kpt-fn/set-labels:v0.2.0',
      name: 'cluster-labels',
      configMap: { 'nephio.org/cluster-name': 'edge-01' },
    }]);
    const deployment = objectAt(tree, 'deployments/production/edge-01/upf/deployment_upf.yaml');
    expect(deployment.metadata.labels['nephio.org/cluster-name']).toBe('edge-01');
    expect(deployment.metadata.labels['nephio.org/site-type']).toBeUndefined();
    // The blueprint itself stays cluster-neutral.
    expect(objectAt(tree, 'packages/network-functions/upf/deployment_upf.yaml').metadata.labels?.['nephio.org/cluster-name']).toBeUndefined();
  });

  test('matches clusters and labels added after the placement', () => {
    const repo = new GitOpsRepository();
    const fleet = new Fleet(repo, 'fleet', { repoUrl: REPO_URL, auth: GitAuth.none() });
    const du = new TestWorkload(repo, 'du', { namespace: 'ran' });
    new Placement(fleet, 'du-oai', { blueprint: du, matchLabels: { 'nephoran.io/ran': 'oai' } });
    const late = new Cluster(fleet, 'edge-09', { environment: Environment.DEVELOPMENT, region: 'eu-west' });
    late.addLabel('nephoran.io/ran', 'oai');
    const { tree } = repo.synthTree();
    expect(tree.has('deployments/development/edge-09/du/Kptfile')).toBe(true);
  });

  test('overrides win key by key: blueprint < placement < environment < cluster', () => {
    const { repo, fleet, edgeProd } = fleetWithClusters();
    const upf = new TestWorkload(repo, 'upf', { namespace: 'upf', replicas: 1, configuration: { dnn: 'internet', mtu: '1500', tac: '1' } });
    const placement = new Placement(fleet, 'upf-edge', {
      blueprint: upf,
      matchLabels: { 'nephio.org/site-type': 'edge' },
      overrides: { configuration: { mtu: '9000' }, resources: { requests: { cpu: '200m' } } },
    });
    placement.addEnvironmentOverrides(Environment.PRODUCTION, { replicas: 3, image: `registry.example.com/upf@${DIGEST}`, configuration: { tac: '100' }, resources: { limits: { memory: '2Gi' } } });
    placement.addEnvironmentOverrides(Environment.PRODUCTION, { configuration: { dnn: 'ims' } });
    placement.addClusterOverrides(edgeProd, { replicas: 5, configuration: { tac: '101' } });

    const { tree } = repo.synthTree();
    const prod = objectAt(tree, 'deployments/production/edge-01/upf/deployment_upf.yaml');
    expect(prod.spec.replicas).toBe(5);
    expect(prod.spec.template.spec.containers[0].image).toBe(`registry.example.com/upf@${DIGEST}`);
    expect(prod.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '200m', memory: '128Mi' }, limits: { cpu: '1', memory: '2048Mi' } });
    expect(objectAt(tree, 'deployments/production/edge-01/upf/configmap_upf-config.yaml').data).toEqual({ dnn: 'ims', mtu: '9000', tac: '101' });

    const staging = objectAt(tree, 'deployments/staging/edge-stg/upf/deployment_upf.yaml');
    expect(staging.spec.replicas).toBe(1);
    expect(objectAt(tree, 'deployments/staging/edge-stg/upf/configmap_upf-config.yaml').data).toEqual({ dnn: 'internet', mtu: '9000', tac: '1' });
  });

  test('writes each namespace once per cluster, with the Pod Security labels of the policies placed there', () => {
    const { repo, fleet } = fleetWithClusters();
    const amf = new TestWorkload(repo, 'amf', { namespace: 'core' });
    const smf = new TestWorkload(repo, 'smf', { namespace: 'core', extraNamespaces: ['default'] });
    const policy = new Policy(repo, 'core-baseline', { namespaces: ['core'], podSecurity: PodSecurityLevel.BASELINE, isolation: NetworkIsolation.SAME_NAMESPACE });
    new Placement(fleet, 'amf', { blueprint: amf, environments: [Environment.PRODUCTION] });
    new Placement(fleet, 'smf', { blueprint: smf, environments: [Environment.PRODUCTION] });
    new Placement(fleet, 'policy', { blueprint: policy, matchLabels: { 'nephio.org/site-type': 'regional' } });
    const { tree } = repo.synthTree();

    const regional = objectsIn(tree, 'deployments/production/regional-01', 'Namespace');
    expect(regional).toHaveLength(1);
    expect(regional[0].metadata).toEqual({
      name: 'core',
      labels: {
        'nephio.org/cluster-name': 'regional-01',
        'pod-security.kubernetes.io/audit': 'baseline',
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/warn': 'baseline',
      },
    });
    // No policy on edge-01: the namespace is there, without Pod Security labels. System namespaces are never written.
    const edge = objectsIn(tree, 'deployments/production/edge-01', 'Namespace');
    expect(edge.map(n => n.metadata.name)).toEqual(['core']);
    expect(Object.keys(edge[0].metadata.labels).filter(k => k.startsWith('pod-security'))).toEqual([]);
    expect(tree.has('deployments/production/regional-01/core-baseline/networkpolicy_core-baseline-isolation.yaml')).toBe(true);
  });

  test('a package that declares its own Namespace gets the Pod Security labels through its pipeline, and no second copy', () => {
    const { repo, fleet } = fleetWithClusters();
    const slice = new TestWorkload(repo, 'slice', { namespace: 'embb', declaresNamespace: true });
    const policy = new Policy(repo, 'slice-policy', { namespaces: ['embb'], podSecurity: PodSecurityLevel.BASELINE });
    new Placement(fleet, 'slice', { blueprint: slice, matchLabels: { 'nephio.org/cluster-name': 'edge-01' } });
    new Placement(fleet, 'policy', { blueprint: policy, matchLabels: { 'nephio.org/cluster-name': 'edge-01' } });
    const { tree } = repo.synthTree();
    const namespaces = objectsIn(tree, 'deployments/production/edge-01', 'Namespace');
    expect(namespaces).toHaveLength(1);
    expect(tree.has('deployments/production/edge-01/namespaces/Kptfile')).toBe(false);
    expect(namespaces[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    const mutators = objectAt(tree, 'deployments/production/edge-01/slice/Kptfile').pipeline.mutators;
    expect(mutators[1]).toEqual({
      image: 'gcr.io/kpt-fn/set-labels:v0.2.0',
      name: 'namespace-labels-embb',
      configMap: { 'pod-security.kubernetes.io/audit': 'baseline', 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'baseline' },
      selectors: [{ kind: 'Namespace', name: 'embb' }],
    });
  });

  test('a pod the namespace\'s Pod Security level would reject fails synth; a privileged namespace admits it', () => {
    const build = (level: PodSecurityLevel) => {
      const { repo, fleet } = fleetWithClusters();
      const upf = new TestWorkload(repo, 'upf', { namespace: 'upf', hostNetwork: true, hostNetworkReason: 'N3 on the node port' });
      new Placement(fleet, 'upf', { blueprint: upf, matchLabels: { 'nephio.org/cluster-name': 'edge-01' } });
      new Placement(fleet, 'policy', { blueprint: new Policy(repo, 'upf-policy', { namespaces: ['upf'], podSecurity: level }), matchLabels: { 'nephio.org/cluster-name': 'edge-01' } });
      return repo;
    };
    expect(synthError(build(PodSecurityLevel.BASELINE)).problems).toEqual([{
      path: 'fleet/upf/edge-01/Deployment/Resource',
      field: 'spec.template.spec.hostNetwork',
      message: 'pod-security: Deployment upf/upf on cluster edge-01: its pods would be rejected at admission: uses hostNetwork, which Pod Security "baseline" forbids in namespace upf; change the workload or place a policy with a lower podSecurity level on the namespace',
      severity: 'error',
    }]);
    expect(() => build(PodSecurityLevel.PRIVILEGED).synthTree()).not.toThrow();
  });

  test('synth is deterministic and a second synth recreates the variants rather than adding more', () => {
    const build = () => {
      const { repo, fleet, edgeProd } = fleetWithClusters();
      const upf = new TestWorkload(repo, 'upf', { namespace: 'upf' });
      const p = new Placement(fleet, 'upf-edge', { blueprint: upf, matchLabels: { 'nephio.org/site-type': 'edge' } });
      p.addClusterOverrides(edgeProd, { replicas: 2 });
      new Placement(fleet, 'policy', { blueprint: new Policy(repo, 'baseline', { namespaces: ['upf'] }) });
      return { repo, p };
    };
    const first = build();
    const a = first.repo.synthTree().tree;
    const constructsAfterFirst = first.repo.node.findAll().length;
    const again = first.repo.synthTree().tree;
    expect(first.repo.node.findAll().length).toBe(constructsAfterFirst);
    const b = build().repo.synthTree().tree;
    expect(again.equals(a)).toBe(true);
    expect(b.equals(a)).toBe(true);
  });

  describe('errors', () => {
    test('every placement problem at once, in one SynthError', () => {
      const { repo, fleet, edgeStaging } = fleetWithClusters();
      const upf = new TestWorkload(repo, 'upf', { namespace: 'upf' });
      new Placement(fleet, 'upf-edge', { blueprint: upf, matchLabels: { 'nephio.org/site-type': 'edge' } });
      new Placement(fleet, 'upf-prod', { blueprint: upf, environments: [Environment.PRODUCTION] });
      new Placement(fleet, 'upf-far-edge', { blueprint: upf, matchLabels: { 'nephio.org/site-type': 'far-edge' } });
      const narrow = new Placement(fleet, 'nrf', { blueprint: new TestWorkload(repo, 'nrf', { namespace: 'core' }), environments: [Environment.PRODUCTION] });
      narrow.addClusterOverrides(edgeStaging, { replicas: 2 });
      const policy = new Policy(repo, 'baseline', { namespaces: ['upf'] });
      new Placement(fleet, 'policy', { blueprint: policy, overrides: { replicas: 2 }, environments: [Environment.STAGING] });

      const error = synthError(repo);
      expect(error.problems.map(p => [p.path, p.field])).toEqual([
        ['fleet/nrf', 'clusterOverrides.edge-stg'],
        ['fleet/policy', 'blueprint'],
        ['fleet/upf-far-edge', 'matchLabels'],
        ['fleet/upf-prod', 'packageName'],
      ]);
      const messages = error.problems.map(p => p.message);
      expect(messages[0]).toMatch(/overrides for cluster "edge-stg", which the placement does not select \(any labels in environments production\)/);
      expect(messages[1]).toMatch(/cannot render "baseline" for cluster "edge-stg": policy "baseline" has no replicas to override/);
      expect(messages[2]).toMatch(/placement of "upf" selects no cluster: no cluster has labels nephio.org\/site-type=far-edge in any environment; clusters in the fleet: edge-01 \(production\), edge-stg \(staging\), regional-01 \(production\)/);
      expect(messages[3]).toMatch(/places package "upf" on cluster "edge-01", where placement fleet\/upf-edge already places it/);
      expect(error.message).toMatch(/^synth failed with 4 problems:/);
    });

    test('a placement in a fleet without clusters matches nothing', () => {
      const repo = new GitOpsRepository();
      const fleet = new Fleet(repo, 'fleet', { repoUrl: REPO_URL, auth: GitAuth.none() });
      new Placement(fleet, 'x', { blueprint: new TestWorkload(repo, 'x', { namespace: 'x' }) });
      expect(synthError(repo).message).toMatch(/selects no cluster: no cluster has any labels in any environment; clusters in the fleet: none/);
    });

    test('two policies asking one namespace for different Pod Security levels', () => {
      const { repo, fleet } = fleetWithClusters();
      new Placement(fleet, 'a', { blueprint: new Policy(repo, 'strict', { namespaces: ['core'], podSecurity: PodSecurityLevel.RESTRICTED }), environments: [Environment.STAGING] });
      new Placement(fleet, 'b', { blueprint: new Policy(repo, 'loose', { namespaces: ['core'], podSecurity: PodSecurityLevel.PRIVILEGED }), environments: [Environment.STAGING] });
      const error = synthError(repo);
      expect(error.problems).toHaveLength(3);
      expect(error.problems[0]).toMatchObject({ path: 'fleet/b', message: expect.stringMatching(/namespace "core" on cluster "edge-stg" gets pod-security.kubernetes.io\/audit=privileged from this placement but pod-security.kubernetes.io\/audit=restricted from fleet\/a/) });
    });

    test('a blueprint that renders its variant elsewhere', () => {
      class Misplaced extends Construct implements IPackageBlueprint {
        public readonly blueprint = new KptPackage(this, 'Package', { path: 'packages/network-functions/misplaced' });
        public readonly namespaces = [];
        public renderVariant(scope: Construct, id: string, _options: VariantOptions): KptPackage {
          return new KptPackage(scope, id, { path: `elsewhere/${id}` });
        }
      }
      const { repo, fleet } = fleetWithClusters();
      new Placement(fleet, 'm', { blueprint: new Misplaced(repo, 'misplaced'), matchLabels: { 'nephio.org/cluster-name': 'edge-01' } });
      expect(synthError(repo).problems.map(p => p.message)).toContainEqual(expect.stringMatching(/rendered its variant for cluster "edge-01" at "elsewhere\/edge-01" instead of "deployments\/production\/edge-01\/misplaced"/));
    });

    test('two packages that declare one Namespace on one cluster', () => {
      const { repo, fleet } = fleetWithClusters();
      new Placement(fleet, 'a', { blueprint: new TestWorkload(repo, 'a', { namespace: 'shared', declaresNamespace: true }), environments: [Environment.STAGING] });
      new Placement(fleet, 'b', { blueprint: new TestWorkload(repo, 'b', { namespace: 'shared', declaresNamespace: true }), environments: [Environment.STAGING] });
      expect(synthError(repo).problems.map(p => p.message)).toEqual([
        expect.stringMatching(/Namespace shared appears twice in the folder "deployments\/staging\/edge-stg" synced by RootSync "edge-stg" \(deployments\/staging\/edge-stg\/a\/namespace_shared.yaml and deployments\/staging\/edge-stg\/b\/namespace_shared.yaml\); ConfigSync rejects duplicate objects/),
      ]);
    });

    test.each([
      [{ packageName: 'namespaces' }, 'props.packageName', /^"namespaces" is where each cluster's Namespace objects go/],
      [{ packageName: 'UPF' }, 'props.packageName', /^"UPF" is not a DNS-1123 label/],
      [{ matchLabels: { 'nephio.org/site-type': 'edge site' } }, 'props.matchLabels["nephio.org/site-type"]', /^label value "edge site"/],
      [{ environments: ['production'] }, 'props.environments[0]', /^must be an Environment value .*; got "production"/],
      [{ blueprint: undefined }, 'props.blueprint', /^must be a placeable package .*; got undefined/],
      [{ overrides: { replicas: -1 } }, 'props.overrides.replicas', /^must be a whole number, 0 or more; got -1/],
      [{ overrides: { image: 'UPF:latest' } }, 'props.overrides.image', /"UPF:latest" is not an image reference/],
      [{ overrides: { resources: { limits: { memory: 'lots' } } } }, 'props.overrides.resources.limits.memory', /"lots".*Kubernetes quantity|Kubernetes quantity.*"lots"/],
    ])('at synth, props %p, with its field', (props, field, message) => {
      const { repo, fleet } = fleetWithClusters();
      const upf = new TestWorkload(repo, 'upf', { namespace: 'upf' });
      new Placement(fleet, 'p', { blueprint: upf, ...props } as any);
      expect(synthError(repo).problems).toEqual([{ path: 'fleet/p', field, message: expect.stringMatching(message), severity: 'error' }]);
    });

    test('bad override values at every level, each with its path, and overrides for an environment never placed into', () => {
      const { repo, fleet, edgeProd: edge01 } = fleetWithClusters();
      const p = new Placement(fleet, 'p', { blueprint: new TestWorkload(repo, 'upf', { namespace: 'upf' }), environments: [Environment.PRODUCTION], overrides: { replicas: 1.5 } });
      p.addEnvironmentOverrides(Environment.PRODUCTION, { replicas: -1, resources: { requests: { cpu: 'two' } } });
      p.addEnvironmentOverrides(Environment.STAGING, { replicas: 2 });
      p.addClusterOverrides(edge01, { replicas: -3, resources: { limits: { cpu: 'two' } } });
      const quantity = /"two".*Kubernetes quantity|Kubernetes quantity.*"two"/;
      expect(synthError(repo).problems.map(q => [`${q.path} ${q.field}`, q.message])).toEqual([
        ['fleet/p clusterOverrides.edge-01.replicas', 'must be a whole number, 0 or more; got -3'],
        ['fleet/p clusterOverrides.edge-01.resources.limits.cpu', expect.stringMatching(quantity)],
        ['fleet/p overrides.production.replicas', 'must be a whole number, 0 or more; got -1'],
        ['fleet/p overrides.production.resources.requests.cpu', expect.stringMatching(quantity)],
        ['fleet/p overrides.staging', 'places only into production; overrides for environment "staging" would never apply'],
        ['fleet/p props.overrides.replicas', 'must be a whole number, 0 or more; got 1.5'],
      ]);

    });

    test('a placement outside a fleet', () => {
      const repo = new GitOpsRepository();
      expect(() => new Placement(repo, 'p', { blueprint: new TestWorkload(repo, 'upf', { namespace: 'upf' }) })).toThrow(/Placement p is not inside a Fleet: create it with the Fleet .* as scope/);
    });
  });
});
