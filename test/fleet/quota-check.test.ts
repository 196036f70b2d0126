import { DIGEST, REPO_URL, TestWorkload, objectAt, objectsIn, problemsOf, tokenAuth } from './support';
import { Cluster, DeliveryMode, Environment, Fleet, FleetLayout, GitAuth, Placement, SiteType } from '../../src/fleet';
import { InterfaceType, NetworkFunction, NetworkSlice, NfDeploymentModel, NfKind, SliceServiceType } from '../../src/network';
import { NetworkIsolation, PodSecurityLevel, Policy, PolicyProps } from '../../src/policy';
import { GitOpsRepository, RepoTree, SynthError } from '../../src/repo';

const RESOURCES = { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } };

function newFleet() {
  const repo = new GitOpsRepository();
  const fleet = new Fleet(repo, 'fleet', { repoUrl: REPO_URL, auth: tokenAuth() });
  const prod = new Cluster(fleet, 'prod-edge', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
  const stg = new Cluster(fleet, 'stg-edge', { environment: Environment.STAGING, region: 'eu-west', siteType: SiteType.EDGE });
  return { repo, fleet, prod, stg };
}

function quantity(q: string): number {
  const m = /^([0-9.]+)(m|Mi|Gi)?$/.exec(q)!;
  return Number(m[1]) * ({ m: 1e-3, Mi: 2 ** 20, Gi: 2 ** 30 } as Record<string, number>)[m[2] ?? ''] || Number(m[1]);
}

/**
 * What the Deployments rendered in one namespace of a cluster folder need, as the quota admission
 * counts them: pods, and requests.cpu at steady state and during the rollout of each Deployment
 * (replicas + maxSurge, 25% rounded up by default, none for Recreate).
 */
function needs(tree: RepoTree, folder: string, namespace: string) {
  const deployments = objectsIn(tree, folder, 'Deployment').filter(d => d.metadata.namespace === namespace);
  const one = (d: any) => ({
    replicas: d.spec.replicas ?? 1,
    surge: d.spec.strategy?.type === 'Recreate' ? 0 : Math.ceil((d.spec.replicas ?? 1) * Number(String(d.spec.strategy?.rollingUpdate?.maxSurge ?? '25%').replace('%', '')) / 100),
    cpu: d.spec.template.spec.containers.reduce((sum: number, c: any) => sum + quantity(String(c.resources.requests.cpu)), 0),
  });
  const all = deployments.map(one);
  const steadyPods = all.reduce((s, d) => s + d.replicas, 0);
  const steadyCpu = all.reduce((s, d) => s + d.replicas * d.cpu, 0);
  return {
    count: all.length,
    pods: steadyPods + Math.max(0, ...all.map(d => d.surge)),
    cpu: steadyCpu + Math.max(0, ...all.map(d => d.surge * d.cpu)),
  };
}

function policy(repo: GitOpsRepository, id: string, props: Partial<PolicyProps>) {
  return new Policy(repo, id, { namespaces: ['core'], podSecurity: PodSecurityLevel.BASELINE, isolation: NetworkIsolation.NONE, ...props });
}

describe('ResourceQuotas and what is placed', () => {
  test('a slice quota is derived per cluster from the members placed there, with their overrides and room for one rollout', () => {
    const { repo, fleet } = newFleet();
    const slice = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB, sd: '000001' });
    // The workload model: their own Deployments, which overrides size.
    const deploymentModel = NfDeploymentModel.WORKLOAD;
    const smf = new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, namespace: slice.namespace, image: `docker.io/free5gc/smf@${DIGEST}`, resources: RESOURCES, deploymentModel });
    const upf = new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, namespace: slice.namespace, image: `docker.io/free5gc/upf@${DIGEST}`, resources: RESOURCES, deploymentModel });
    slice.addNetworkFunction(smf);
    slice.addNetworkFunction(upf);
    const placeSmf = new Placement(fleet, 'smf', { blueprint: smf });
    placeSmf.addEnvironmentOverrides(Environment.PRODUCTION, { replicas: 2 });
    // The UPF runs in production only; staging's quota must not count it.
    new Placement(fleet, 'upf', { blueprint: upf, environments: [Environment.PRODUCTION] });
    new Placement(fleet, 'embb', { blueprint: slice });
    const { tree } = repo.synthTree();

    const prod = objectAt(tree, 'deployments/production/prod-edge/embb/resourcequota_embb.yaml').spec.hard;
    const stg = objectAt(tree, 'deployments/staging/stg-edge/embb/resourcequota_embb.yaml').spec.hard;
    // Production: SMF 2 + UPF 1 at steady state, plus one surge pod of either.
    expect(prod).toEqual({ 'pods': '4', 'requests.cpu': '2000m', 'requests.memory': '2048Mi', 'limits.cpu': '4000m', 'limits.memory': '4096Mi' });
    expect(stg).toEqual({ 'pods': '2', 'requests.cpu': '1000m', 'requests.memory': '1024Mi', 'limits.cpu': '2000m', 'limits.memory': '2048Mi' });
    // Read back against the Deployments rendered there, when there are any.
    for (const [folder, hard] of [['deployments/production/prod-edge', prod], ['deployments/staging/stg-edge', stg]] as const) {
      const need = needs(tree, folder, 'embb');
      if (need.count === 0) continue;
      expect(Number(hard.pods)).toBeGreaterThanOrEqual(need.pods);
      expect(quantity(hard['requests.cpu'])).toBeGreaterThanOrEqual(need.cpu - 1e-9);
    }
  });

  test('operator-model NFs count with the pods their operator creates', () => {
    const { repo, fleet } = newFleet();
    for (const cluster of fleet.node.children.filter(c => c instanceof Cluster) as Cluster[]) {
      cluster.addNetwork({ name: 'vpc-internal', cni: 'macvlan', subnet: '10.0.4.0/24' });
    }
    const slice = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB, sd: '000001' });
    const smf = new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, namespace: slice.namespace, capacity: { maxSessions: 100 }, interfaces: [{ type: InterfaceType.N4, networkInstance: 'vpc-internal' }] });
    const upf = new NetworkFunction(repo, 'upf', {
      kind: NfKind.UPF,
      namespace: slice.namespace,
      capacity: { maxDownlinkThroughput: '1G' },
      interfaces: [InterfaceType.N3, InterfaceType.N4, InterfaceType.N6].map(type => ({ type, networkInstance: 'vpc-internal' })),
    });
    slice.addNetworkFunction(smf);
    slice.addNetworkFunction(upf);
    for (const nf of [smf, upf]) new Placement(fleet, nf.name, { blueprint: nf });
    new Placement(fleet, 'embb', { blueprint: slice });
    const { tree } = repo.synthTree();
    expect(objectsIn(tree, 'deployments/production/prod-edge', 'Deployment')).toEqual([]);
    const hard = objectAt(tree, 'deployments/production/prod-edge/embb/resourcequota_embb.yaml').spec.hard;
    // The operator's footprints (smf.workloadFootprints): one pod each, one surge pod while one rolls out.
    const footprints = [...smf.workloadFootprints({}), ...upf.workloadFootprints({})];
    const steady = footprints.reduce((sum, f) => sum + f.replicas * f.requests.cpu, 0);
    const room = Math.max(...footprints.map(f => f.surge * f.requests.cpu));
    expect(Number(hard.pods)).toBe(footprints.reduce((sum, f) => sum + f.replicas, 0) + Math.max(...footprints.map(f => f.surge)));
    expect(quantity(hard['requests.cpu'])).toBeCloseTo(steady + room, 6);
  });

  test('a quota that admits the steady state but not a rolling update blocks the rollout: an error naming the workload and what fits', () => {
    const { repo, fleet } = newFleet();
    const app = new TestWorkload(repo, 'app', { namespace: 'core', replicas: 4 });
    new Placement(fleet, 'app', { blueprint: app, environments: [Environment.PRODUCTION] });
    // 4 pods x 100m requested: the steady state fits 400m, the surge pod does not.
    new Placement(fleet, 'quota', { blueprint: policy(repo, 'core-quota', { quota: { requestsCpu: '400m', pods: 4 } }), environments: [Environment.PRODUCTION] });
    expect(problemsOf(repo)).toEqual([
      '[fleet/quota/prod-edge/ns-core/Quota] spec.hard.pods: ResourceQuota core/core-quota-quota on cluster prod-edge blocks the rollout of Deployment core/app: pods 4 at steady state plus 1 for its 1 surge pod(s) is 5, over hard 4; set it to at least 5, or make that workload replace its pods rather than surge',
      '[fleet/quota/prod-edge/ns-core/Quota] spec.hard.requests.cpu: ResourceQuota core/core-quota-quota on cluster prod-edge blocks the rollout of Deployment core/app: requests.cpu 400m at steady state plus 100m for its 1 surge pod(s) is 500m, over hard 400m; set it to at least 500m, or make that workload replace its pods rather than surge',
    ]);
  });

  test('a quota below the steady state is an error saying what would fit', () => {
    const { repo, fleet } = newFleet();
    const app = new TestWorkload(repo, 'app', { namespace: 'core', replicas: 3 });
    new Placement(fleet, 'app', { blueprint: app, environments: [Environment.PRODUCTION] });
    new Placement(fleet, 'quota', {
      blueprint: policy(repo, 'core-quota', { quota: { limitsMemory: '1Gi' } }),
      environments: [Environment.PRODUCTION],
    });
    expect(problemsOf(repo)).toEqual([
      '[fleet/quota/prod-edge/ns-core/Quota] spec.hard.limits.memory: ResourceQuota core/core-quota-quota on cluster prod-edge: the workloads placed in namespace "core" need limits.memory 1536Mi at steady state (Deployment core/app 3 x 512Mi), over hard 1Gi; set it to at least 2Gi to admit them and a rolling update',
    ]);
  });

  test('a resource the quota limits and a workload does not declare is an error, unless a LimitRange gives a default', () => {
    const declare = (defaults: boolean) => {
      const { repo, fleet } = newFleet();
      const nrf = new NetworkFunction(repo, 'nrf', { kind: NfKind.NRF, namespace: 'core', image: `docker.io/free5gc/nrf@${DIGEST}` });
      new Placement(fleet, 'nrf', { blueprint: nrf, environments: [Environment.STAGING] });
      new Placement(fleet, 'quota', {
        blueprint: policy(repo, 'core-quota', { quota: { requestsCpu: '1' }, ...(defaults ? { containerDefaults: { defaultRequests: { cpu: '200m' } } } : {}) }),
        environments: [Environment.STAGING],
      });
      return repo;
    };
    // The resource-requirements rule also reports the NF; only the quota's problems are looked at here.
    const quotaProblems = (repo: GitOpsRepository) => {
      try {
        repo.synthTree();
        return [];
      } catch (err) {
        if (!(err instanceof SynthError)) throw err;
        return err.problems.map(p => `[${p.path}] ${p.field}: ${p.message}`).filter(p => p.includes('/Quota]'));
      }
    };
    expect(quotaProblems(declare(false))).toEqual([
      '[fleet/quota/stg-edge/ns-core/Quota] spec.hard.requests.cpu: ResourceQuota core/core-quota-quota on cluster stg-edge limits requests.cpu, but the pods of Deployment core/nrf declare none and no LimitRange in "core" gives a default, so the quota rejects them; set requests.cpu on the workload or add a LimitRange default',
    ]);
    expect(quotaProblems(declare(true))).toEqual([]);
  });

  test('a quota that fits steady state and rollout synthesizes; the check sums every package placed in the namespace', () => {
    const { repo, fleet } = newFleet();
    new Placement(fleet, 'a', { blueprint: new TestWorkload(repo, 'a', { namespace: 'core', replicas: 2 }) });
    new Placement(fleet, 'b', { blueprint: new TestWorkload(repo, 'b', { namespace: 'core', replicas: 1 }) });
    // 3 pods x 100m at steady state, one surge pod of 100m: 400m and 4 pods fit exactly.
    new Placement(fleet, 'quota', { blueprint: policy(repo, 'core-quota', { quota: { requestsCpu: '400m', pods: 4 } }) });
    const { tree } = repo.synthTree();
    const need = needs(tree, 'deployments/production/prod-edge', 'core');
    expect(need).toEqual({ count: 2, pods: 4, cpu: 0.4 });

    const tight = newFleet();
    new Placement(tight.fleet, 'a', { blueprint: new TestWorkload(tight.repo, 'a', { namespace: 'core', replicas: 2 }) });
    new Placement(tight.fleet, 'b', { blueprint: new TestWorkload(tight.repo, 'b', { namespace: 'core', replicas: 1 }) });
    new Placement(tight.fleet, 'quota', { blueprint: policy(tight.repo, 'core-quota', { quota: { pods: 3 } }) });
    expect(problemsOf(tight.repo).map(p => p.split(': ResourceQuota')[0])).toEqual([
      '[fleet/quota/prod-edge/ns-core/Quota] spec.hard.pods',
      '[fleet/quota/stg-edge/ns-core/Quota] spec.hard.pods',
    ]);
  });

  test('with Porch, the packages each cluster gets through its PackageVariantSets are checked the same way', () => {
    const repo = new GitOpsRepository();
    const fleet = new Fleet(repo, 'fleet', {
      repoUrl: 'https://git.example.com/nephio/mgmt.git',
      auth: GitAuth.none(),
      layout: FleetLayout.repositoryPerCluster({ repoUrlTemplate: 'https://git.example.com/nephio/{cluster}.git' }),
      deliveryMode: DeliveryMode.porch(),
    });
    new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
    new Cluster(fleet, 'edge-02', { environment: Environment.STAGING, region: 'eu-west', siteType: SiteType.EDGE });
    const app = new Placement(fleet, 'app', { blueprint: new TestWorkload(repo, 'app', { namespace: 'core', replicas: 1 }) });
    // Production's variant runs 4 pods; the quota Porch delivers everywhere admits 4 but no surge pod.
    app.addEnvironmentOverrides(Environment.PRODUCTION, { replicas: 4 });
    new Placement(fleet, 'quota', { blueprint: policy(repo, 'core-quota', { quota: { pods: 4 } }) });
    const problems = problemsOf(repo);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('spec.hard.pods: ResourceQuota core/core-quota-quota on cluster edge-01 blocks the rollout of Deployment core/app: pods 4 at steady state plus 1 for its 1 surge pod(s) is 5, over hard 4');
  });
});
