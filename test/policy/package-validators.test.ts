import { Cluster, DeliveryMode, Environment, Fleet, FleetLayout, GitAuth, Placement, SiteType } from '../../src/fleet';
import { NetworkFunction, NfDeploymentModel, NfKind } from '../../src/network';
import {
  DEFAULT_POLICY_ENFORCER_IMAGE, enforcerConfigMap, IPolicyRule, KUBECONFORM_IMAGE, POLICY_ENFORCER_IMAGE_CONTEXT,
  Policy, PolicyProfile, RuleSet, RuleSeverity,
} from '../../src/policy';
import { GitOpsRepository, RepoTree } from '../../src/repo';
import { objectAt, objectsIn, REPO_URL, TestWorkload } from '../fleet/support';

const KUBECONFORM = { image: KUBECONFORM_IMAGE, name: 'kubeconform', configMap: { ignore_missing_schemas: 'true', strict: 'true' } };
const enforcer = (configMap: Record<string, string>, image = DEFAULT_POLICY_ENFORCER_IMAGE, name = 'policy-enforcer') => ({ image, name, configMap });
const validatorsAt = (tree: RepoTree, kptfile: string) => objectAt(tree, kptfile).pipeline?.validators;

function hydratedFleet(options: { rules?: RuleSet; image?: unknown } = {}) {
  const repo = new GitOpsRepository();
  if (options.image !== undefined) repo.node.setContext(POLICY_ENFORCER_IMAGE_CONTEXT, options.image);
  const fleet = new Fleet(repo, 'fleet', { repoUrl: REPO_URL, auth: GitAuth.none(), rules: options.rules });
  new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
  new Cluster(fleet, 'lab-01', { environment: Environment.STAGING, region: 'eu-west', siteType: SiteType.EDGE });
  new Placement(fleet, 'upf', { blueprint: new TestWorkload(repo, 'upf', { namespace: 'upf' }) });
  new NetworkFunction(repo, 'amf', { kind: NfKind.AMF, deploymentModel: NfDeploymentModel.WORKLOAD, namespace: 'core' });
  new Policy(repo, 'baseline', { namespaces: ['upf'] });
  return repo;
}

describe('the validators packages declare', () => {
  test('blueprints: the enforcer with the relaxed profile synth applies outside clusters, then kubeconform', () => {
    const { tree } = hydratedFleet().synthTree();
    for (const kptfile of ['packages/network-functions/amf/Kptfile', 'packages/policies/baseline/Kptfile']) {
      expect([kptfile, validatorsAt(tree, kptfile)]).toEqual([kptfile, [enforcer({ profile: 'relaxed' }), KUBECONFORM]]);
    }
  });

  test('variants and the namespaces package: the profile of the cluster\'s environment, and the rule set\'s overrides that differ from it', () => {
    const rules = RuleSet.defaults();
    rules.setSeverity('image-digest', RuleSeverity.ERROR, { environment: 'staging' });
    rules.setSeverity('no-privileged', RuleSeverity.WARNING, { profile: PolicyProfile.STRICT });
    // The default of strict and standard alike: written nowhere.
    rules.setSeverity('host-network', RuleSeverity.ERROR);
    const { tree } = hydratedFleet({ rules }).synthTree();
    expect(validatorsAt(tree, 'deployments/production/edge-01/upf/Kptfile')).toEqual([enforcer({ 'profile': 'strict', 'no-privileged': 'warning' }), KUBECONFORM]);
    expect(validatorsAt(tree, 'deployments/staging/lab-01/upf/Kptfile')).toEqual([enforcer({ 'profile': 'standard', 'image-digest': 'error' }), KUBECONFORM]);
    expect(validatorsAt(tree, 'deployments/staging/lab-01/namespaces/Kptfile')).toEqual([enforcer({ 'profile': 'standard', 'image-digest': 'error' }), KUBECONFORM]);
    // The variant's mutators come first, as the ADR's pipeline orders them.
    expect(objectAt(tree, 'deployments/production/edge-01/upf/Kptfile').pipeline.mutators.length).toBeGreaterThan(0);
  });

  test('a blueprint, placed or not, states the fleet\'s rule set at the profile synth checks it with', () => {
    const rules = RuleSet.defaults({ unplacedProfile: PolicyProfile.STANDARD });
    rules.setSeverity('no-secret-data', RuleSeverity.WARNING);
    rules.setSeverity('resource-requirements', RuleSeverity.WARNING);
    rules.setSeverity('image-digest', RuleSeverity.WARNING);
    const everywhere = { 'resource-requirements': 'warning', 'no-secret-data': 'warning' };
    // The AMF is not placed, the policy is not either; TestWorkload "upf" declares no validators of its own.
    const { tree } = hydratedFleet({ rules }).synthTree();
    expect(validatorsAt(tree, 'packages/network-functions/amf/Kptfile')).toEqual([enforcer({ profile: 'standard', ...everywhere }), KUBECONFORM]);
    expect(validatorsAt(tree, 'packages/policies/baseline/Kptfile')).toEqual([enforcer({ profile: 'standard', ...everywhere }), KUBECONFORM]);
    expect(validatorsAt(tree, 'packages/network-functions/upf/Kptfile')).toBeUndefined();
    expect(validatorsAt(tree, 'deployments/production/edge-01/upf/Kptfile')).toEqual([enforcer({ 'profile': 'strict', 'image-digest': 'warning', ...everywhere }), KUBECONFORM]);
    // Without a fleet, the built-in defaults: relaxed outside clusters.
    const alone = new GitOpsRepository();
    new NetworkFunction(alone, 'amf', { kind: NfKind.AMF, deploymentModel: NfDeploymentModel.WORKLOAD, namespace: 'core' });
    expect(validatorsAt(alone.synthTree().tree, 'packages/network-functions/amf/Kptfile')).toEqual([enforcer({ profile: 'relaxed' }), KUBECONFORM]);
  });

  test('the image comes from the construct context; false declares no enforcer', () => {
    const image = 'registry.example.com/platform/policy-enforcer:v0.1.0';
    const { tree } = hydratedFleet({ image }).synthTree();
    expect(validatorsAt(tree, 'packages/network-functions/amf/Kptfile')[0].image).toBe(image);
    expect(validatorsAt(tree, 'deployments/production/edge-01/upf/Kptfile')[0].image).toBe(image);
    const none = hydratedFleet({ image: false }).synthTree().tree;
    expect(validatorsAt(none, 'packages/network-functions/amf/Kptfile')).toEqual([KUBECONFORM]);
    expect(validatorsAt(none, 'deployments/production/edge-01/upf/Kptfile')).toEqual([KUBECONFORM]);
  });

  test('an image that is no image reference fails synth at the Kptfile that declares it', () => {
    expect(() => hydratedFleet({ image: 'Not An Image!' }).synthTree())
      .toThrow('[amf/Blueprint] Kptfile pipeline.validators[0].image: "Not An Image!" is not a valid image reference');
  });

  test('Porch delivery: each override scope\'s variant declares its environment\'s profile', () => {
    const repo = new GitOpsRepository();
    const layout = FleetLayout.repositoryPerCluster({ repoUrlTemplate: 'https://git.example.com/nephio/{cluster}.git' });
    const fleet = new Fleet(repo, 'fleet', { repoUrl: 'https://git.example.com/nephio/mgmt.git', auth: GitAuth.none(), layout, deliveryMode: DeliveryMode.porch() });
    const edge = new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
    new Cluster(fleet, 'lab-01', { environment: Environment.STAGING, region: 'eu-west', siteType: SiteType.EDGE });
    const placement = new Placement(fleet, 'upf-edge', { blueprint: new TestWorkload(repo, 'upf', { namespace: 'upf' }) });
    placement.addEnvironmentOverrides(Environment.STAGING, { replicas: 2 });
    placement.addClusterOverrides(edge, { replicas: 3 });
    const mgmt = repo.synthTrees().repositories.tree('mgmt');
    expect(validatorsAt(mgmt, 'packages/variants/upf-edge/staging/Kptfile')).toEqual([enforcer({ profile: 'standard' }), KUBECONFORM]);
    expect(validatorsAt(mgmt, 'packages/variants/upf-edge/edge-01/Kptfile')).toEqual([enforcer({ profile: 'strict' }), KUBECONFORM]);
    // Their PackageVariantSets add no validator: the variant carries its environment's.
    for (const set of objectsIn(mgmt, 'porch', 'PackageVariantSet')) expect(set.spec.targets[0].template.pipeline.validators).toBeUndefined();
  });

  test('Porch delivery: a PackageVariantSet that clones a blueprint as is adds the enforcer at its environment\'s severities', () => {
    const repo = new GitOpsRepository();
    const layout = FleetLayout.repositoryPerCluster({ repoUrlTemplate: 'https://git.example.com/nephio/{cluster}.git' });
    const rules = RuleSet.defaults();
    rules.setSeverity('image-digest', RuleSeverity.WARNING, { environment: 'production' });
    rules.setSeverity('resource-requirements', RuleSeverity.WARNING);
    const fleet = new Fleet(repo, 'fleet', { repoUrl: 'https://git.example.com/nephio/mgmt.git', auth: GitAuth.none(), layout, deliveryMode: DeliveryMode.porch(), rules });
    new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
    new Cluster(fleet, 'lab-01', { environment: Environment.STAGING, region: 'eu-west', siteType: SiteType.EDGE });
    const amf = new NetworkFunction(repo, 'amf', { kind: NfKind.AMF, deploymentModel: NfDeploymentModel.WORKLOAD, namespace: 'core' });
    new Placement(fleet, 'amf-edge', { blueprint: amf });
    const mgmt = repo.synthTrees().repositories.tree('mgmt');
    const sets = objectsIn(mgmt, 'porch', 'PackageVariantSet');
    expect(sets.map(s => [s.metadata.name, s.spec.targets[0].template.pipeline.validators])).toEqual([
      ['amf-edge-production', [enforcer({ 'profile': 'strict', 'image-digest': 'warning', 'resource-requirements': 'warning' }, DEFAULT_POLICY_ENFORCER_IMAGE, 'policy-enforcer-production')]],
      ['amf-edge-staging', [enforcer({ 'profile': 'standard', 'resource-requirements': 'warning' }, DEFAULT_POLICY_ENFORCER_IMAGE, 'policy-enforcer-staging')]],
    ]);
    // The blueprint itself is checked at the strictest environment it goes to, and says so.
    expect(validatorsAt(mgmt, 'packages/network-functions/amf/Kptfile')).toEqual([enforcer({ 'profile': 'strict', 'image-digest': 'warning', 'resource-requirements': 'warning' }), KUBECONFORM]);
  });

  test('enforcerConfigMap leaves out rules the enforcer does not implement', () => {
    const rules = RuleSet.defaults();
    const custom: IPolicyRule = { id: 'no-latest-tag', description: 'no :latest', defaultSeverity: () => RuleSeverity.ERROR, check: () => [] };
    rules.addRule(custom);
    rules.setSeverity('no-latest-tag', RuleSeverity.WARNING);
    rules.setSeverity('no-secret-data', RuleSeverity.WARNING);
    expect(enforcerConfigMap(rules, PolicyProfile.RELAXED)).toEqual({ 'profile': 'relaxed', 'no-secret-data': 'warning' });
  });
});
