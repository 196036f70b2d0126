import { parse, stringify } from 'yaml';
import { runResourceList } from '../../src/kpt/resource-list';
import { enforcePolicies, enforcerRuleIds, policyEnforcer, readEnforcerConfig, RuleSeverity } from '../../src/policy';

/** The enforcer through the ResourceList protocol, as kpt runs it: output list, results, exit code. */
function run(items: Record<string, any>[], functionConfig?: Record<string, any>): { list: any; exitCode: number } {
  const input = stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items, ...(functionConfig ? { functionConfig } : {}) });
  const { stdout, exitCode } = runResourceList(policyEnforcer, input);
  return { list: parse(stdout), exitCode };
}

function configMap(data: Record<string, string>): Record<string, any> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' }, data };
}

const PATH_ANNOTATIONS = { 'internal.config.kubernetes.io/path': 'deployment_upf.yaml', 'internal.config.kubernetes.io/index': '0' };

function upf(): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'upf', namespace: 'core', annotations: PATH_ANNOTATIONS },
    spec: {
      selector: { matchLabels: { app: 'upf' } },
      template: {
        metadata: { labels: { app: 'upf' } },
        spec: {
          hostNetwork: true,
          containers: [{
            name: 'upf',
            image: 'registry.example.com/upf:1.2',
            securityContext: { privileged: true },
            resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
          }],
        },
      },
    },
  };
}

const namespace = (level: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'core', labels: { 'pod-security.kubernetes.io/enforce': level } } });

describe('the policy-enforcer function', () => {
  test('an error finding fails the run: kpt results with severity, message, resource, field path and file; the items go back unchanged', () => {
    const items = [upf()];
    const { list, exitCode } = run(items, configMap({ profile: 'strict' }));
    expect(exitCode).toBe(1);
    expect(list.items).toEqual(items);
    const results = list.results.filter((r: any) => r.severity !== 'info');
    expect(results.map((r: any) => [r.severity, r.field.path])).toEqual([
      ['error', 'spec.template.spec.containers[0].image'],
      ['error', 'spec.template.spec.containers[0].securityContext.privileged'],
      ['error', 'spec.template.spec.hostNetwork'],
    ]);
    expect(results[0]).toEqual({
      message: 'image-digest: image "registry.example.com/upf:1.2" of container "upf" is not pinned by digest; use "registry.example.com/upf@sha256:<digest>" (the digest `crane digest` or `docker buildx imagetools inspect` prints)',
      severity: 'error',
      resourceRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'upf', namespace: 'core' },
      field: { path: 'spec.template.spec.containers[0].image' },
      file: { path: 'deployment_upf.yaml', index: 0 },
    });
    expect(list.results[list.results.length - 1]).toEqual({ message: 'policy-enforcer: 1 object checked, 3 errors, 0 warnings', severity: 'info' });
  });

  test('the profile sets the default severities: relaxed only warns and passes, with no digest rule at all', () => {
    const { list, exitCode } = run([upf()], configMap({ profile: 'relaxed' }));
    expect(exitCode).toBe(0);
    expect(list.results.map((r: any) => `${r.severity} ${r.message.split(':')[0]}`)).toEqual([
      'warning no-privileged', 'warning host-network', 'info policy-enforcer',
    ]);
  });

  test('without a config the standard profile applies', () => {
    const { list, exitCode } = run([upf()]);
    expect(exitCode).toBe(1);
    expect(list.results.map((r: any) => `${r.severity} ${r.message.split(':')[0]}`)).toEqual([
      'warning image-digest', 'error no-privileged', 'error host-network', 'info policy-enforcer',
    ]);
  });

  test('rule severities from a ConfigMap and from a PolicyEnforcer config agree', () => {
    const fromMap = run([upf()], configMap({ 'profile': 'strict', 'image-digest': 'warning', 'no-privileged': 'off', 'host-network': 'warning' }));
    const typed = run([upf()], {
      apiVersion: 'fn.nephoran.io/v1alpha1',
      kind: 'PolicyEnforcer',
      metadata: { name: 'policy-enforcer', annotations: { 'config.kubernetes.io/local-config': 'true' } },
      profile: 'strict',
      rules: { 'image-digest': 'warning', 'no-privileged': 'off', 'host-network': 'warning' },
    });
    expect(fromMap.exitCode).toBe(0);
    expect(fromMap.list.results.map((r: any) => `${r.severity} ${r.message.split(':')[0]}`)).toEqual(['warning image-digest', 'warning host-network', 'info policy-enforcer']);
    expect(typed).toEqual(fromMap);
  });

  test('Pod Security: the enforce level of a Namespace among the items decides; off turns the check off', () => {
    const relaxed = { 'profile': 'relaxed', 'no-privileged': 'off', 'host-network': 'off' };
    const baseline = run([namespace('baseline'), upf()], configMap(relaxed));
    expect(baseline.exitCode).toBe(1);
    expect(baseline.list.results.filter((r: any) => r.severity === 'error')).toEqual([
      {
        message: 'pod-security: its pods would be rejected at admission: uses hostNetwork, which Pod Security "baseline" forbids in namespace core; change the workload or place a policy with a lower podSecurity level on the namespace',
        severity: 'error',
        resourceRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'upf', namespace: 'core' },
        field: { path: 'spec.template.spec.hostNetwork' },
        file: { path: 'deployment_upf.yaml', index: 0 },
      },
      expect.objectContaining({ message: expect.stringContaining('container "upf" runs privileged, which Pod Security "baseline" forbids'), field: { path: 'spec.template.spec.containers[0].securityContext.privileged' } }),
    ]);
    expect(run([namespace('privileged'), upf()], configMap(relaxed)).exitCode).toBe(0);
    // Without the Namespace in the list its level is unknown here (synth checks it across the cluster folder).
    expect(run([upf()], configMap(relaxed)).exitCode).toBe(0);
    expect(run([namespace('baseline'), upf()], configMap({ ...relaxed, 'pod-security': 'off' })).exitCode).toBe(0);
    expect(run([namespace('baseline'), upf()], configMap({ ...relaxed, 'pod-security': 'warning' })).exitCode).toBe(0);
  });

  test('a Secret with data fails in every profile, local-config or not: it is in git either way', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'core', annotations: { 'config.kubernetes.io/local-config': 'true' } }, data: { token: 'c2VjcmV0' } };
    const { list, exitCode } = run([secret], configMap({ profile: 'relaxed' }));
    expect(exitCode).toBe(1);
    expect(list.results[0]).toMatchObject({ severity: 'error', field: { path: 'data' }, message: expect.stringMatching(/^no-secret-data: a Secret with data \(token\)/) });
  });

  test('every problem of a bad config is reported at once, and nothing is checked', () => {
    const { list, exitCode } = run([upf()], configMap({ 'profile': 'paranoid', 'image-digest': 'fatal', 'no-latest-tag': 'error' }));
    expect(exitCode).toBe(1);
    expect(list.results).toEqual([
      { message: `unknown key "no-latest-tag" in the ConfigMap data: expected "profile" or a rule id (${enforcerRuleIds().join(', ')})`, severity: 'error' },
      { message: 'profile must be one of strict, standard, relaxed; found "paranoid"', severity: 'error' },
      { message: 'the severity of image-digest must be one of error, warning, off; found "fatal"', severity: 'error' },
    ]);
    const typed = run([upf()], { apiVersion: 'fn.nephoran.io/v1alpha1', kind: 'PolicyEnforcer', metadata: { name: 'x' }, profiles: 'strict', rules: ['image-digest'] });
    expect(typed.list.results.map((r: any) => r.message)).toEqual([
      'unknown field "profiles" in PolicyEnforcer: expected profile and rules',
      'PolicyEnforcer rules must be a map of rule id to severity, found ["image-digest"]',
    ]);
    expect(run([upf()], { apiVersion: 'fn.kpt.dev/v1alpha1', kind: 'SetLabels', metadata: { name: 'x' } }).list.results[0].message)
      .toBe('unknown functionConfig SetLabels fn.kpt.dev/v1alpha1: expected a v1 ConfigMap or PolicyEnforcer fn.nephoran.io/v1alpha1');
  });

  test('the rule ids are the synth rule set\'s, plus pod-security; an empty ConfigMap is the defaults', () => {
    expect(enforcerRuleIds()).toEqual(['image-digest', 'resource-requirements', 'no-privileged', 'host-network', 'no-secret-data', 'pod-security']);
    const settings = readEnforcerConfig({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' } });
    expect(settings.profile).toBe('standard');
    expect(settings.podSecurity).toBe(RuleSeverity.ERROR);
    expect(enforcePolicies([upf()], undefined).map(f => f.ruleId)).toEqual(['image-digest', 'no-privileged', 'host-network']);
  });
});
