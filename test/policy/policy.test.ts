import { ApiObject } from 'cdk8s';
import { validateObject } from '../../src/apis/validation';
import { Cluster, Environment, Fleet, GitAuth, Placement } from '../../src/fleet';
import { KptPackage } from '../../src/kpt';
import {
  HOST_NETWORK_REASON_ANNOTATION, NetworkIsolation, PodSecurityLevel, Policy, PolicyEnforcement, PolicyProfile, RuleSet, RuleSeverity,
} from '../../src/policy';
import { GitOpsRepository, SynthError } from '../../src/repo';
import { objectAt, objectsIn, REPO_URL, TestWorkload } from '../fleet/support';
import { synthProblems } from '../network/support';

function synthError(repo: GitOpsRepository): SynthError {
  try {
    repo.synthTree();
  } catch (err) {
    if (err instanceof SynthError) return err;
    throw err;
  }
  throw new Error('synth succeeded');
}

describe('Policy package', () => {
  test('writes NetworkPolicy, ResourceQuota and LimitRange per namespace, valid against the Kubernetes schemas', () => {
    const repo = new GitOpsRepository();
    const policy = new Policy(repo, 'core-baseline', {
      namespaces: ['core'],
      allowIngressFromNamespaces: ['monitoring'],
      quota: { requestsCpu: '32', requestsMemory: '64Gi', limitsCpu: '64', limitsMemory: '128Gi', pods: 200 },
      containerDefaults: { defaultRequests: { cpu: '100m', memory: '128Mi' }, defaultLimits: { cpu: '1', memory: '1Gi' }, max: { memory: '16Gi' } },
    });
    policy.addNamespace('ran');
    const { tree } = repo.synthTree();
    const folder = 'packages/policies/core-baseline';
    expect(tree.pathsUnder(folder)).toEqual([
      `${folder}/Kptfile`,
      `${folder}/limitrange_core_core-baseline-limits.yaml`,
      `${folder}/limitrange_ran_core-baseline-limits.yaml`,
      `${folder}/networkpolicy_core_core-baseline-isolation.yaml`,
      `${folder}/networkpolicy_ran_core-baseline-isolation.yaml`,
      `${folder}/package-context.yaml`,
      `${folder}/resourcequota_core_core-baseline-quota.yaml`,
      `${folder}/resourcequota_ran_core-baseline-quota.yaml`,
    ]);
    for (const obj of objectsIn(tree, folder)) expect(validateObject(obj)).toEqual([]);
    expect(objectAt(tree, `${folder}/networkpolicy_core_core-baseline-isolation.yaml`).spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }],
    });
    expect(objectAt(tree, `${folder}/resourcequota_core_core-baseline-quota.yaml`).spec.hard).toEqual({
      'requests.cpu': '32', 'requests.memory': '64Gi', 'limits.cpu': '64', 'limits.memory': '128Gi', 'pods': '200',
    });
    expect(objectAt(tree, `${folder}/limitrange_ran_core-baseline-limits.yaml`).spec.limits).toEqual([
      { type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { cpu: '1', memory: '1Gi' }, max: { memory: '16Gi' } },
    ]);
    expect(objectAt(tree, `${folder}/Kptfile`).info.description).toBe('Policy core-baseline: Pod Security baseline, network isolation same-namespace, resource quota, container limit range');
    expect(policy.namespaceLabels('core')).toEqual({
      'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/audit': 'baseline', 'pod-security.kubernetes.io/warn': 'baseline',
    });
    expect(policy.namespaceLabels('other')).toEqual({});
  });

  test('DENY_ALL denies ingress and all egress but DNS; NONE writes no NetworkPolicy', () => {
    const repo = new GitOpsRepository();
    new Policy(repo, 'lockdown', { namespaces: ['core'], isolation: NetworkIsolation.DENY_ALL });
    new Policy(repo, 'open', { namespaces: ['lab'], isolation: NetworkIsolation.NONE, podSecurity: PodSecurityLevel.PRIVILEGED });
    const { tree } = repo.synthTree();
    const deny = objectAt(tree, 'packages/policies/lockdown/networkpolicy_lockdown-isolation.yaml');
    expect(validateObject(deny)).toEqual([]);
    expect(deny.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
    });
    expect(objectsIn(tree, 'packages/policies/open')).toEqual([expect.objectContaining({ kind: 'ConfigMap', metadata: expect.objectContaining({ name: 'kptfile.kpt.dev' }) })]);
  });

  test.each([
    [{ name: 'Core' }, '[p] props.name: "Core" is not a DNS-1123 label'],
    [{ namespaces: ['Core'] }, '[p] props.namespaces[0]: namespace "Core" is not a DNS-1123 label'],
    [{ namespaces: ['a', 'a'] }, '[p] props.namespaces[1]: the policy already governs namespace "a"; list each namespace once'],
    [{ quota: { requestsCpu: 'lots' } }, '[p] props.quota.requestsCpu: must be a Kubernetes quantity such as "500m", "2" or "4Gi"; got "lots"'],
    [{ quota: {} }, '[p] props.quota: sets no limit'],
    [{ quota: { pods: 1.5 } }, '[p] props.quota.pods: must be a whole number of pods (0 or more); got 1.5'],
    [{ containerDefaults: { max: { memory: '1 GB' } } }, '[p] props.containerDefaults.max.memory: must be a Kubernetes quantity'],
    [{ containerDefaults: {} }, '[p] props.containerDefaults: sets nothing'],
    [{ allowIngressFromNamespaces: ['Bad'] }, '[p] props.allowIngressFromNamespaces[0]: namespace "Bad" is not a DNS-1123 label'],
    [{ podSecurity: 'restricted' }, '[p] props.podSecurity: "restricted" must be PodSecurityLevel.PRIVILEGED, BASELINE or RESTRICTED'],
  ])('invalid props %p are reported at synth, not thrown', (props, message) => {
    const repo = new GitOpsRepository();
    const policy = new Policy(repo, 'p', { namespaces: ['core'], ...props } as any);
    expect(policy.policyName).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    const problems = synthProblems(() => repo.synthTree());
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(message)).toBe(true);
  });

  test('every invalid prop of a policy is reported in one synth', () => {
    const repo = new GitOpsRepository();
    const policy = new Policy(repo, 'Core Policy', {
      namespaces: ['Core'],
      quota: { requestsCpu: 'lots', pods: -1 },
      containerDefaults: { defaultLimits: { cpu: 'one' } },
      allowIngressFromNamespaces: ['Bad'],
    });
    policy.addNamespace('core');
    policy.addNamespace('core');
    expect(policy.policyName).toBe('core-policy'); // the construct id, as a DNS-1123 label
    expect(synthProblems(() => repo.synthTree())).toEqual([
      '[Core Policy] addNamespace("core"): the policy already governs namespace "core"; list each namespace once',
      '[Core Policy] props.allowIngressFromNamespaces[0]: namespace "Bad" is not a DNS-1123 label: use lowercase letters, digits and "-", starting and ending with a letter or digit',
      '[Core Policy] props.containerDefaults.defaultLimits.cpu: must be a Kubernetes quantity such as "500m", "2" or "4Gi"; got "one"',
      '[Core Policy] props.namespaces[0]: namespace "Core" is not a DNS-1123 label: use lowercase letters, digits and "-", starting and ending with a letter or digit',
      '[Core Policy] props.quota.pods: must be a whole number of pods (0 or more); got -1',
      '[Core Policy] props.quota.requestsCpu: must be a Kubernetes quantity such as "500m", "2" or "4Gi"; got "lots"',
    ]);
  });

  test('a policy without namespaces fails synth', () => {
    const repo = new GitOpsRepository();
    new Policy(repo, 'empty');
    expect(synthError(repo).message).toMatch(/\[empty\] policy "empty" governs no namespace; pass props.namespaces or call addNamespace\(\)/);
  });

  test('placed on a cluster, the variant points back at the blueprint', () => {
    const repo = new GitOpsRepository();
    const fleet = new Fleet(repo, 'fleet', { repoUrl: REPO_URL, auth: GitAuth.none(), upstreamRef: 'packages/policies/baseline/v3' });
    new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west' });
    new Placement(fleet, 'baseline', { blueprint: new Policy(repo, 'baseline', { namespaces: ['core'] }) });
    const { tree } = repo.synthTree();
    const kptfile = objectAt(tree, 'deployments/production/edge-01/baseline/Kptfile');
    expect(kptfile.upstream.git).toEqual({ repo: REPO_URL, directory: 'packages/policies/baseline', ref: 'packages/policies/baseline/v3' });
    expect(objectAt(tree, 'deployments/production/edge-01/baseline/networkpolicy_baseline-isolation.yaml').metadata.labels['nephio.org/cluster-name']).toBe('edge-01');
  });
});

describe('policy rules at synth', () => {
  function fleetWithEnvironments(rules?: RuleSet) {
    const repo = new GitOpsRepository();
    const fleet = new Fleet(repo, 'fleet', { repoUrl: REPO_URL, auth: GitAuth.none(), rules });
    new Cluster(fleet, 'prod-01', { environment: Environment.PRODUCTION, region: 'eu-west' });
    new Cluster(fleet, 'stg-01', { environment: Environment.STAGING, region: 'eu-west' });
    new Cluster(fleet, 'dev-01', { environment: Environment.DEVELOPMENT, region: 'eu-west' });
    new Cluster(fleet, 'lab-01', { environment: Environment.custom('lab', { policyProfile: PolicyProfile.STRICT }), region: 'eu-west' });
    return { repo, fleet };
  }

  test('a tag image fails in production, warns in staging, passes in development', () => {
    const { repo, fleet } = fleetWithEnvironments();
    const amf = new TestWorkload(repo, 'amf', { namespace: 'core', image: 'registry.example.com/amf:v1.2.3' });
    new Placement(fleet, 'amf', { blueprint: amf, environments: [Environment.PRODUCTION, Environment.STAGING, Environment.DEVELOPMENT] });
    const error = synthError(repo);
    expect(error.problems).toEqual([{
      path: 'fleet/amf/prod-01/Deployment/Resource',
      field: 'spec.template.spec.containers[0].image',
      message: 'image-digest: Deployment core/amf on cluster prod-01 (production), deployments/production/prod-01/amf/deployment_amf.yaml: image "registry.example.com/amf:v1.2.3" of container "amf" is not pinned by digest; use "registry.example.com/amf@sha256:<digest>" (the digest `crane digest` or `docker buildx imagetools inspect` prints)',
      severity: 'error',
    }]);
  });

  test('warnings name the cluster; rules off in development stay silent', () => {
    const { repo, fleet } = fleetWithEnvironments();
    const amf = new TestWorkload(repo, 'amf', { namespace: 'core', image: 'registry.example.com/amf:v1.2.3' });
    new Placement(fleet, 'amf', { blueprint: amf, environments: [Environment.STAGING, Environment.DEVELOPMENT] });
    const { warnings } = repo.synthTree();
    expect(warnings.map(w => w.message).filter(m => !m.includes('holds no files'))).toEqual([expect.stringMatching(/^image-digest: Deployment core\/amf on cluster stg-01 \(staging\), deployments\/staging\/stg-01\/amf\/deployment_amf.yaml: image/)]);
  });

  test('every violation of every rule at once, each at its construct path', () => {
    const { repo, fleet } = fleetWithEnvironments();
    const upf = new TestWorkload(repo, 'upf', { namespace: 'upf', image: 'upf:1.0', privileged: true, hostNetwork: true });
    new Placement(fleet, 'upf', { blueprint: upf, environments: [Environment.PRODUCTION, Environment.DEVELOPMENT] });
    const secrets = new KptPackage(repo, 'secrets', { path: 'packages/secrets' });
    new ApiObject(secrets, 'creds', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'upf' }, stringData: { password: 'hunter2' } });

    const { problems, message } = synthError(repo);
    expect(problems.map(p => `${p.path} ${p.message.split(':')[0]} ${p.message.match(/on cluster \S+|in no cluster's folder/)?.[0]}`)).toEqual([
      'fleet/upf/prod-01/Deployment/Resource image-digest on cluster prod-01',
      'fleet/upf/prod-01/Deployment/Resource no-privileged on cluster prod-01',
      'fleet/upf/prod-01/Deployment/Resource host-network on cluster prod-01',
      "secrets/creds no-secret-data in no cluster's folder",
    ]);
    expect(message).not.toContain('hunter2');
    // In development the same variant only warns, as does the blueprint (checked with the RELAXED profile).
    const again = fleetWithEnvironments();
    new Placement(again.fleet, 'upf', { blueprint: new TestWorkload(again.repo, 'upf', { namespace: 'upf', image: 'upf:1.0', privileged: true, hostNetwork: true }), environments: [Environment.DEVELOPMENT] });
    const devWarnings = again.repo.synthTree().warnings.filter(w => !w.message.includes('holds no files'));
    expect(devWarnings.map(w => `${w.path} ${w.message.split(':')[0]}`)).toEqual([
      'fleet/upf/dev-01/Deployment/Resource no-privileged',
      'fleet/upf/dev-01/Deployment/Resource host-network',
      'upf/Package/Deployment/Resource no-privileged',
      'upf/Package/Deployment/Resource host-network',
    ]);
  });

  test('hostNetwork passes in production with a reason annotation, and fails without one', () => {
    const justifiedOnly = fleetWithEnvironments();
    const upf = new TestWorkload(justifiedOnly.repo, 'upf', { namespace: 'upf', hostNetwork: true, hostNetworkReason: 'N3 and N6 on the node SR-IOV ports' });
    new Placement(justifiedOnly.fleet, 'upf', { blueprint: upf, environments: [Environment.PRODUCTION] });
    const { tree } = justifiedOnly.repo.synthTree();
    const deployment = objectAt(tree, 'deployments/production/prod-01/upf/deployment_upf.yaml');
    expect(deployment.spec.template.spec.hostNetwork).toBe(true);
    expect(deployment.metadata.annotations[HOST_NETWORK_REASON_ANNOTATION]).toBe('N3 and N6 on the node SR-IOV ports');

    const { repo, fleet } = fleetWithEnvironments();
    new Placement(fleet, 'du', { blueprint: new TestWorkload(repo, 'du', { namespace: 'ran', hostNetwork: true }), environments: [Environment.PRODUCTION] });
    const error = synthError(repo);
    expect(error.problems.map(p => [p.path, p.field])).toEqual([['fleet/du/prod-01/Deployment/Resource', 'spec.template.spec.hostNetwork']]);
    expect(error.problems[0].message).toContain(`annotate the workload with ${HOST_NETWORK_REASON_ANNOTATION}`);
  });

  test('severities follow the environment, its profile, and per-environment overrides', () => {
    const rules = RuleSet.defaults();
    rules.setSeverity('image-digest', RuleSeverity.WARNING, { environment: 'production' });
    rules.setSeverity('image-digest', RuleSeverity.ERROR, { environment: 'staging' });
    const { repo, fleet } = fleetWithEnvironments(rules);
    const amf = new TestWorkload(repo, 'amf', { namespace: 'core', image: 'amf:1' });
    new Placement(fleet, 'amf', { blueprint: amf });
    const error = synthError(repo);
    // staging fails by override; the custom "lab" environment fails by its STRICT profile; production only warns now.
    expect(error.problems.map(p => p.path)).toEqual(['fleet/amf/lab-01/Deployment/Resource', 'fleet/amf/stg-01/Deployment/Resource']);
  });

  test('a repository without a fleet can enforce the rules on its own', () => {
    const repo = new GitOpsRepository();
    new PolicyEnforcement(repo, 'rules', { rules: new RuleSet({ rules: RuleSet.defaults().rules, unplacedProfile: PolicyProfile.STRICT }) });
    new TestWorkload(repo, 'amf', { namespace: 'core', image: 'amf:1' });
    expect(synthError(repo).problems.map(p => p.message)).toEqual([expect.stringMatching(/^image-digest: Deployment core\/amf \(in no cluster's folder\), packages\/network-functions\/amf\/deployment_amf.yaml/)]);
  });
});
