import { problemsOf, REPO_URL, TestWorkload, tokenAuth } from './support';
import { Cluster, Environment, Fleet, FleetLayout, Placement, REMAINING_WAVE, Rollout, SiteType } from '../../src/fleet';
import { GitOpsRepository, parseRolloutPlan, ROLLOUT_PLAN_PATH } from '../../src/repo';

function fleetOfFour() {
  const repo = new GitOpsRepository();
  const fleet = new Fleet(repo, 'fleet', { repoUrl: REPO_URL, auth: tokenAuth() });
  const canary = new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
  new Cluster(fleet, 'edge-02', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
  new Cluster(fleet, 'edge-03', { environment: Environment.PRODUCTION, region: 'us-east', siteType: SiteType.EDGE });
  new Cluster(fleet, 'lab-01', { environment: Environment.STAGING, region: 'eu-west', siteType: SiteType.EDGE });
  const upf = new TestWorkload(repo, 'upf', { namespace: 'upf' });
  new Placement(fleet, 'upf', { blueprint: upf });
  return { repo, fleet, canary };
}

describe('Rollout', () => {
  test('writes the plan: waves in order, clusters by name and by labels, their folders, soak; unselected clusters form the last wave', () => {
    const { repo, fleet, canary } = fleetOfFour();
    const rollout = new Rollout(fleet, 'Rollout');
    rollout.addWave('canary', { clusters: [canary], soak: '30m' });
    rollout.addWave('eu-west', { matchLabels: { 'nephio.org/region': 'eu-west' }, environments: [Environment.PRODUCTION] });
    const { tree } = repo.synthTree();
    const text = tree.getText(ROLLOUT_PLAN_PATH)!;
    expect(text.startsWith('# Written by nephoran-gitops')).toBe(true);
    const plan = parseRolloutPlan(text);
    expect(plan.waves.map(w => [w.name, w.soak, w.clusters.map(c => c.name)])).toEqual([
      ['canary', '30m', ['edge-01']],
      ['eu-west', undefined, ['edge-02']],
      [REMAINING_WAVE, undefined, ['edge-03', 'lab-01']],
    ]);
    expect(plan.waves[0].clusters[0].paths).toEqual(['clusters/edge-01/', 'deployments/production/edge-01/', 'management/workload-clusters/edge-01/']);
    // Deterministic: the same fleet writes the same bytes.
    expect(fleetPlanText()).toBe(fleetPlanText());
    // No extension: ConfigSync never parses it.
    expect(ROLLOUT_PLAN_PATH).not.toMatch(/\.(ya?ml|json)$/);
  });

  test('labels select two waves\' cluster: a problem naming both', () => {
    const { repo, fleet } = fleetOfFour();
    const rollout = new Rollout(fleet, 'Rollout');
    rollout.addWave('eu', { matchLabels: { 'nephio.org/region': 'eu-west' } });
    rollout.addWave('production', { environments: [Environment.PRODUCTION] });
    expect(problemsOf(repo)).toEqual([
      '[fleet/Rollout/production] matchLabels: cluster "edge-01" is already in wave "eu" (fleet/Rollout/eu); a cluster belongs to one wave: narrow one of the selectors',
      '[fleet/Rollout/production] matchLabels: cluster "edge-02" is already in wave "eu" (fleet/Rollout/eu); a cluster belongs to one wave: narrow one of the selectors',
    ]);
  });

  test('every declaration problem is reported at once, with the construct path and field', () => {
    const { repo, fleet, canary } = fleetOfFour();
    const rollout = new Rollout(fleet, 'Rollout');
    rollout.addWave('canary', { clusters: [canary, 'edge-09'], soak: 'soon' });
    rollout.addWave('eu', { matchLabels: { 'nephio.org/region': 'eu-west' } });
    rollout.addWave('mars', { matchLabels: { 'nephio.org/region': 'mars' } });
    rollout.addWave('Bad_Name', { clusters: ['edge-03'] });
    rollout.addWave('empty');
    rollout.addWave('again', { name: 'eu', clusters: ['lab-01'] });
    const problems = problemsOf(repo);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\[fleet\/Rollout\/canary\] soak: soak "soon" must be a duration/),
      expect.stringMatching(/^\[fleet\/Rollout\/canary\] clusters: no cluster named "edge-09" in the fleet; clusters: edge-01, edge-02, edge-03, lab-01/),
      expect.stringMatching(/^\[fleet\/Rollout\/again\] clusters: cluster "lab-01" is already in wave "eu" \(fleet\/Rollout\/eu\); a cluster belongs to one wave/),
      expect.stringMatching(/^\[fleet\/Rollout\/mars\] clusters: the wave selects no cluster \(labels nephio.org\/region=mars\)/),
      expect.stringMatching(/^\[fleet\/Rollout\/Bad_Name\] name: wave name/),
      expect.stringMatching(/^\[fleet\/Rollout\/empty\] clusters: a wave needs clusters/),
      expect.stringMatching(/^\[fleet\/Rollout\/again\] name: wave name "eu" is taken by fleet\/Rollout\/eu/),
    ]));
    expect(problems).toHaveLength(7);
  });

  test('a rollout with no wave, a wave named like the last one while clusters remain, and the repository-per-cluster layout are problems', () => {
    const { repo, fleet } = fleetOfFour();
    new Rollout(fleet, 'Rollout');
    expect(problemsOf(repo)).toEqual(['[fleet/Rollout] waves: a rollout needs at least one wave: rollout.addWave("canary", { clusters: [...] })']);

    const second = fleetOfFour();
    new Rollout(second.fleet, 'Rollout', { waves: [{ name: REMAINING_WAVE, clusters: [second.canary] }] });
    expect(problemsOf(second.repo)).toEqual([expect.stringMatching(/^\[fleet\/Rollout\/remaining\] name: "remaining" names the last wave, which takes the clusters no wave selects \(edge-02, edge-03, lab-01\)/)]);

    const repo3 = new GitOpsRepository();
    const fleet3 = new Fleet(repo3, 'fleet', { repoUrl: REPO_URL, auth: tokenAuth(), layout: FleetLayout.repositoryPerCluster({ repoUrlTemplate: 'https://git.example.com/nephio/{cluster}.git' }) });
    const c = new Cluster(fleet3, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
    new Placement(fleet3, 'upf', { blueprint: new TestWorkload(repo3, 'upf', { namespace: 'upf' }) });
    new Rollout(fleet3, 'Rollout').addWave('canary', { clusters: [c] });
    expect(problemsOf(repo3)).toEqual([expect.stringMatching(/^\[fleet\/Rollout\] waves: rollout waves need FleetLayout.SINGLE_REPOSITORY/)]);
  });
});

function fleetPlanText(): string {
  const { repo, fleet, canary } = fleetOfFour();
  new Rollout(fleet, 'Rollout', { waves: [{ name: 'canary', clusters: [canary] }] });
  return repo.synthTree().tree.getText(ROLLOUT_PLAN_PATH)!;
}
