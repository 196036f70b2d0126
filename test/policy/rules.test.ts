import { RuleSet } from '../../src/policy/rule-set';
import {
  containersOf, HOST_NETWORK_REASON_ANNOTATION, HostNetworkRule, ImageDigestRule, IPolicyRule, NoPrivilegedContainersRule,
  NoSecretDataRule, podSpecOf, ResourceRequirementsRule,
} from '../../src/policy/rules';
import { PolicyProfile, RuleSeverity } from '../../src/policy/severity';

const DIGEST = 'sha256:' + 'a'.repeat(64);

function deployment(podSpec: Record<string, any>, annotations?: Record<string, string>, podAnnotations?: Record<string, string>) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'amf', namespace: 'free5gc', ...(annotations ? { annotations } : {}) },
    spec: { template: { metadata: { ...(podAnnotations ? { annotations: podAnnotations } : {}) }, spec: podSpec } },
  };
}

const fullResources = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } };

describe('pod spec lookup', () => {
  test('finds the pod spec of every workload kind and of a CronJob', () => {
    expect(podSpecOf({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [] } })?.path).toBe('spec');
    expect(podSpecOf(deployment({ containers: [] }))?.path).toBe('spec.template.spec');
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c' }] } } } } } };
    expect(containersOf(cron).map(c => c.path)).toEqual(['spec.jobTemplate.spec.template.spec.containers[0]']);
  });

  test('ignores custom resources that share a workload kind name', () => {
    expect(podSpecOf({ apiVersion: 'example.com/v1', kind: 'Deployment', spec: { template: { spec: { containers: [] } } } })).toBeUndefined();
  });

  test('lists init, regular and ephemeral containers with their paths', () => {
    const obj = deployment({ initContainers: [{ name: 'i' }], containers: [{ name: 'a' }, { name: 'b' }], ephemeralContainers: [{ name: 'e' }] });
    expect(containersOf(obj).map(c => c.path)).toEqual([
      'spec.template.spec.initContainers[0]',
      'spec.template.spec.containers[0]',
      'spec.template.spec.containers[1]',
      'spec.template.spec.ephemeralContainers[0]',
    ]);
  });
});

describe('ImageDigestRule', () => {
  const rule = new ImageDigestRule();
  test('accepts digests, with or without a tag', () => {
    expect(rule.check(deployment({ containers: [{ name: 'a', image: `registry.example.com/free5gc/amf@${DIGEST}` }, { name: 'b', image: `amf:v3.4.2@${DIGEST}` }] }))).toEqual([]);
  });
  test('reports a tag with the field and a digest suggestion', () => {
    expect(rule.check(deployment({ initContainers: [{ name: 'init', image: 'busybox:1.36' }], containers: [{ name: 'amf', image: 'free5gc/amf:v3.4.2' }] }))).toEqual([
      { field: 'spec.template.spec.initContainers[0].image', message: expect.stringContaining('"busybox@sha256:<digest>"') },
      { field: 'spec.template.spec.containers[0].image', message: expect.stringMatching(/image "free5gc\/amf:v3.4.2" of container "amf" is not pinned by digest/) },
    ]);
  });
  test('a short or malformed digest does not count', () => {
    expect(rule.check(deployment({ containers: [{ name: 'a', image: 'amf@sha256:abc' }] }))).toHaveLength(1);
  });
  test('severity: error in strict, warning in standard, off in relaxed', () => {
    expect([PolicyProfile.STRICT, PolicyProfile.STANDARD, PolicyProfile.RELAXED].map(p => rule.defaultSeverity(p)))
      .toEqual([RuleSeverity.ERROR, RuleSeverity.WARNING, RuleSeverity.OFF]);
  });
});

describe('ResourceRequirementsRule', () => {
  test('accepts containers with cpu and memory requests and limits', () => {
    expect(new ResourceRequirementsRule().check(deployment({ containers: [{ name: 'a', resources: fullResources }] }))).toEqual([]);
  });
  test('names each missing resource, for init containers too, but not for ephemeral ones', () => {
    const obj = deployment({
      initContainers: [{ name: 'init' }],
      containers: [{ name: 'amf', resources: { requests: { cpu: '1' }, limits: { cpu: '1', memory: '1Gi' } } }],
      ephemeralContainers: [{ name: 'debug' }],
    });
    expect(new ResourceRequirementsRule().check(obj)).toEqual([
      { field: 'spec.template.spec.initContainers[0].resources.requests', message: expect.stringContaining('sets no requests for cpu, memory') },
      { field: 'spec.template.spec.initContainers[0].resources.limits', message: expect.stringContaining('sets no limits for cpu, memory') },
      { field: 'spec.template.spec.containers[0].resources.requests', message: expect.stringContaining('container "amf" sets no requests for memory') },
    ]);
  });
  test('checks the resources it is configured with', () => {
    const rule = new ResourceRequirementsRule({ resources: ['hugepages-1Gi'] });
    expect(rule.check(deployment({ containers: [{ name: 'upf', resources: fullResources }] })).map(v => v.message))
      .toEqual([expect.stringContaining('no requests for hugepages-1Gi'), expect.stringContaining('no limits for hugepages-1Gi')]);
    expect(() => new ResourceRequirementsRule({ resources: [] })).toThrow(/at least one resource/);
  });
});

describe('NoPrivilegedContainersRule', () => {
  const rule = new NoPrivilegedContainersRule();
  test('reports privileged containers only', () => {
    const obj = deployment({ containers: [{ name: 'ok', securityContext: { privileged: false } }, { name: 'upf', securityContext: { privileged: true } }] });
    expect(rule.check(obj)).toEqual([{ field: 'spec.template.spec.containers[1].securityContext.privileged', message: expect.stringContaining('container "upf" runs privileged') }]);
  });
});

describe('HostNetworkRule', () => {
  const rule = new HostNetworkRule();
  test('reports hostNetwork without a reason', () => {
    expect(rule.check(deployment({ hostNetwork: true, containers: [] }))).toEqual([
      { field: 'spec.template.spec.hostNetwork', message: expect.stringContaining(HOST_NETWORK_REASON_ANNOTATION) },
    ]);
  });
  test('accepts a reason on the workload or on its pod template, not an empty one', () => {
    expect(rule.check(deployment({ hostNetwork: true, containers: [] }, { [HOST_NETWORK_REASON_ANNOTATION]: 'N3 on the node SR-IOV port' }))).toEqual([]);
    expect(rule.check(deployment({ hostNetwork: true, containers: [] }, undefined, { [HOST_NETWORK_REASON_ANNOTATION]: 'N6' }))).toEqual([]);
    expect(rule.check(deployment({ hostNetwork: true, containers: [] }, { [HOST_NETWORK_REASON_ANNOTATION]: '  ' }))).toHaveLength(1);
  });
  test('ignores pods off the host network', () => {
    expect(rule.check(deployment({ hostNetwork: false, containers: [] }))).toEqual([]);
  });
});

describe('NoSecretDataRule', () => {
  const rule = new NoSecretDataRule();
  test('reports data and stringData, naming the keys but not the values', () => {
    const violations = rule.check({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { token: 'c2VjcmV0' }, stringData: { password: 'hunter2' } });
    expect(violations.map(v => v.field)).toEqual(['data', 'stringData']);
    expect(violations[1].message).toContain('(password)');
    expect(JSON.stringify(violations)).not.toContain('hunter2');
  });
  test('accepts a Secret without values and ignores other kinds', () => {
    expect(rule.check({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'kubernetes.io/service-account-token' })).toEqual([]);
    expect(rule.check({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } })).toEqual([]);
  });
  test('fails in every profile', () => {
    const profiles = [PolicyProfile.STRICT, PolicyProfile.STANDARD, PolicyProfile.RELAXED];
    expect(profiles.map(p => rule.defaultSeverity(p))).toEqual([RuleSeverity.ERROR, RuleSeverity.ERROR, RuleSeverity.ERROR]);
  });
});

describe('RuleSet', () => {
  const digest = () => RuleSet.defaults().rules.find(r => r.id === 'image-digest')!;

  test('defaults hold the five built-in rules', () => {
    expect(RuleSet.defaults().rules.map(r => r.id)).toEqual(['image-digest', 'resource-requirements', 'no-privileged', 'host-network', 'no-secret-data']);
  });

  test('environment override beats profile override beats everywhere beats the default', () => {
    const rules = RuleSet.defaults();
    const rule = digest();
    expect(rules.severityOf(rule, PolicyProfile.STANDARD, 'staging')).toBe(RuleSeverity.WARNING);
    rules.setSeverity('image-digest', RuleSeverity.OFF);
    expect(rules.severityOf(rule, PolicyProfile.STRICT, 'production')).toBe(RuleSeverity.OFF);
    rules.setSeverity('image-digest', RuleSeverity.WARNING, { profile: PolicyProfile.STANDARD });
    expect(rules.severityOf(rule, PolicyProfile.STANDARD, 'staging')).toBe(RuleSeverity.WARNING);
    rules.setSeverity('image-digest', RuleSeverity.ERROR, { environment: 'staging' });
    expect(rules.severityOf(rule, PolicyProfile.STANDARD, 'staging')).toBe(RuleSeverity.ERROR);
    expect(rules.severityOf(rule, PolicyProfile.STANDARD, 'qa')).toBe(RuleSeverity.WARNING);
  });

  test('rejects unknown rules, both scopes at once, and duplicate ids', () => {
    const rules = RuleSet.defaults();
    expect(() => rules.setSeverity('nope', RuleSeverity.ERROR)).toThrow(/no rule "nope"; rules: image-digest/);
    expect(() => rules.setSeverity('image-digest', RuleSeverity.ERROR, { environment: 'a', profile: PolicyProfile.STRICT })).toThrow(/not both/);
    expect(() => rules.addRule(new ImageDigestRule())).toThrow(/already has a rule "image-digest"; use replaceRule/);
    expect(() => rules.setSeverity('image-digest', RuleSeverity.ERROR, { environment: 'Prod' })).toThrow(/environment .*DNS-1123/);
  });

  test('replaces and removes rules', () => {
    const rules = RuleSet.defaults();
    const custom = new ResourceRequirementsRule({ resources: ['cpu'] });
    rules.replaceRule(custom);
    expect(rules.rules[1]).toBe(custom);
    rules.removeRule('image-digest');
    expect(rules.rules.map(r => r.id)).not.toContain('image-digest');
    expect(() => rules.removeRule('image-digest')).toThrow(/no rule "image-digest"/);
  });

  test('takes custom rules', () => {
    const noLatest: IPolicyRule = {
      id: 'no-latest-tag',
      description: 'no latest tag',
      defaultSeverity: () => RuleSeverity.ERROR,
      check: obj => containersOf(obj).filter(c => String(c.container.image).endsWith(':latest')).map(c => ({ field: `${c.path}.image`, message: 'pin a version' })),
    };
    const rules = new RuleSet({ rules: [noLatest] });
    expect(rules.rules[0].check(deployment({ containers: [{ name: 'a', image: 'x:latest' }] }))).toHaveLength(1);
    expect(() => new RuleSet({ rules: [{ ...noLatest, id: 'No_Latest' }] })).toThrow(/rule id .*DNS-1123/);
  });
});
