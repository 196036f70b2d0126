import { hasSchemaFor, validateObject } from '../../src/apis';
import { checksUnknownCoreFields } from '../../src/apis/validation';

function rootSync(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'configsync.gke.io/v1beta1', kind: 'RootSync', metadata: { name: 'edge01', namespace: 'config-management-system' }, spec };
}

const GIT = { repo: 'http://gitea.example/nephio/edge01.git', branch: 'main', auth: 'token', secretRef: { name: 'edge01-token' } };

describe('custom resources', () => {
  test('a correct RootSync has no violations', () => {
    expect(validateObject(rootSync({ sourceFormat: 'unstructured', git: GIT }))).toEqual([]);
  });

  test('spec.sync (as written in the ADR) is an unknown field', () => {
    const violations = validateObject(rootSync({ sync: { sourceFormat: 'unstructured', prune: true }, git: GIT }));
    expect(violations).toEqual([{ field: 'spec.sync', message: expect.stringMatching(/^unknown field "sync"; known fields here: .*sourceFormat/) }]);
  });

  test('a bad auth value lists the allowed ones', () => {
    expect(validateObject(rootSync({ git: { ...GIT, auth: 'password' } }))).toEqual([{
      field: 'spec.git.auth',
      message: 'must be one of "ssh", "cookiefile", "gcenode", "gcpserviceaccount", "token", "none"; got "password"',
    }]);
  });

  test('a missing git.repo is reported at its path', () => {
    const { repo: _repo, ...withoutRepo } = GIT;
    expect(validateObject(rootSync({ git: withoutRepo }))).toEqual([{ field: 'spec.git.repo', message: 'required field is missing' }]);
  });

  test('wrong types, nested unknown fields and list-map duplicates are all reported at once', () => {
    const violations = validateObject(rootSync({
      git: { ...GIT, period: 15, secretRef: { name: 'x', key: 'token' } },
      override: { logLevels: [{ containerName: 'reconciler', logLevel: 1 }, { containerName: 'reconciler', logLevel: 2 }] },
    }));
    expect(violations).toEqual(expect.arrayContaining([
      { field: 'spec.git.period', message: 'must be string; got integer' },
      { field: 'spec.git.secretRef.key', message: 'unknown field "key"; known fields here: name' },
      { field: 'spec.override.logLevels', message: expect.stringContaining('items 0 and 1 have the same containerName') },
    ]));
    expect(violations).toHaveLength(3);
  });

  test('metadata is ObjectMeta: unknown fields, name format and label syntax are checked', () => {
    const obj = rootSync({ git: GIT });
    obj.metadata = { name: 'Edge_01', namespace: 'config-management-system', label: {}, labels: { 'nephio.org/site-type': 'edge site' } };
    expect(validateObject(obj)).toEqual([
      { field: 'metadata.label', message: expect.stringMatching(/^unknown field "label"; known fields here: .*labels/) },
      { field: 'metadata.labels["nephio.org/site-type"]', message: expect.stringMatching(/^label values must be .*; got "edge site"$/) },
      { field: 'metadata.name', message: expect.stringMatching(/^must be a lowercase RFC 1123 subdomain.*; got "Edge_01"$/) },
    ]);
  });

  test('metadata.name is required', () => {
    const obj = rootSync({ git: GIT });
    obj.metadata = { namespace: 'config-management-system' };
    expect(validateObject(obj)).toEqual([{ field: 'metadata.name', message: 'required field is missing' }]);
  });

  test('an NFDeployment with an unknown field', () => {
    const nf = {
      apiVersion: 'workload.nephio.org/v1alpha1',
      kind: 'NFDeployment',
      metadata: { name: 'upf-edge01' },
      spec: { provider: 'upf.free5gc.io', replicas: 2, capacity: { maxUplinkThroughput: '1G', maxSessions: 10 } },
    };
    expect(validateObject(nf)).toEqual([
      { field: 'spec.replicas', message: expect.stringMatching(/^unknown field "replicas"; known fields here: capacity, interfaces, networkInstances, parametersRefs, provider$/) },
    ]);
  });

  test('int-or-string quantities take integers and strings but not booleans', () => {
    const nf = (value: unknown) => ({ apiVersion: 'workload.nephio.org/v1alpha1', kind: 'NFDeployment', metadata: { name: 'upf' }, spec: { capacity: { maxUplinkThroughput: value } } });
    expect(validateObject(nf('1G'))).toEqual([]);
    expect(validateObject(nf(1000))).toEqual([]);
    expect(validateObject(nf(true))).toEqual([{ field: 'spec.capacity.maxUplinkThroughput', message: 'must be integer or string; got boolean' }]);
  });

  test('preserve-unknown-fields objects accept any content', () => {
    const config = { apiVersion: 'workload.nephio.org/v1alpha1', kind: 'NFConfig', metadata: { name: 'cucp' }, spec: { configRefs: [{ apiVersion: 'ref.nephio.org/v1alpha1', kind: 'PLMN', anything: { goes: [1, 2] } }] } };
    expect(validateObject(config)).toEqual([]);
  });

  test('CEL rules of the Porch Repository CRD are checked (name is a DNS label, content is Package)', () => {
    const repository = (name: string, content: string) => ({ apiVersion: 'config.porch.kpt.dev/v1alpha1', kind: 'Repository', metadata: { name }, spec: { type: 'git', content, git: { repo: 'https://git.example/r.git' } } });
    expect(validateObject(repository('edge01', 'Package'))).toEqual([]);
    expect(validateObject(repository('edge01.site', 'Function'))).toEqual([
      { field: 'metadata.name', message: 'metadata.name must conform to the RFC1123 DNS label standard; got "edge01.site"' },
      { field: 'spec.content', message: 'The \'content\' field is deprecated, its only valid value is \'Package\'; got "Function"' },
    ]);
    expect(validateObject(repository('a'.repeat(64), 'Package'))).toEqual([
      { field: 'metadata.name', message: 'metadata.name must be no more than 63 characters; got 64' },
    ]);
  });

  test('a version the CRD does not serve is reported with the served one', () => {
    const pvs = { apiVersion: 'config.porch.kpt.dev/v1alpha1', kind: 'PackageVariantSet', metadata: { name: 'x' }, spec: {} };
    expect(validateObject(pvs)).toEqual([{ field: 'apiVersion', message: 'PackageVariantSet is not served as config.porch.kpt.dev/v1alpha1; use config.porch.kpt.dev/v1alpha2' }]);
  });

  test('PackageVariant upstream.revision is an integer since Porch v1.4.0', () => {
    const pv = { apiVersion: 'config.porch.kpt.dev/v1alpha1', kind: 'PackageVariant', metadata: { name: 'x' }, spec: { upstream: { repo: 'catalog', package: 'upf', revision: 'v1' } } };
    expect(validateObject(pv)).toEqual([{ field: 'spec.upstream.revision', message: 'must be integer; got string' }]);
  });
});

describe('core kinds (kubernetes-models)', () => {
  const deployment = (spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'amf', namespace: 'free5gc' }, spec });
  const podTemplate = { metadata: { labels: { app: 'amf' } }, spec: { containers: [{ name: 'amf', image: 'free5gc/amf:v3.3.0', ports: [{ containerPort: 8080 }] }] } };

  test('a correct Deployment has no violations', () => {
    expect(validateObject(deployment({ replicas: 2, selector: { matchLabels: { app: 'amf' } }, template: podTemplate }))).toEqual([]);
  });

  test('a Deployment with a wrong field type', () => {
    expect(validateObject(deployment({ replicas: '2', selector: { matchLabels: { app: 'amf' } }, template: podTemplate }))).toEqual([
      { field: 'spec.replicas', message: 'must be integer; got string' },
    ]);
  });

  test('missing required fields and bad enum values', () => {
    const template = { spec: { containers: [{ image: 'x', ports: [{ containerPort: 80, protocol: 'HTTP' }] }] } };
    expect(validateObject(deployment({ template }))).toEqual(expect.arrayContaining([
      { field: 'spec.selector', message: 'required field is missing' },
      { field: 'spec.template.spec.containers[0].name', message: 'required field is missing' },
      { field: 'spec.template.spec.containers[0].ports[0].protocol', message: 'must be one of "SCTP", "TCP", "UDP"; got "HTTP"' },
    ]));
  });

  test('unknown fields are reported, in metadata and deep in the pod spec', () => {
    const template = { spec: { containers: [{ name: 'amf', image: 'x', port: 80 }] } };
    const obj = { ...deployment({ selector: { matchLabels: { app: 'amf' } }, template }), metadata: { name: 'amf', labelz: {} } };
    expect(validateObject(obj)).toEqual([
      { field: 'metadata.labelz', message: expect.stringMatching(/^unknown field "labelz"; known fields here: annotations, .*labels/) },
      { field: 'spec.template.spec.containers[0].port', message: expect.stringMatching(/^unknown field "port"; known fields here: .*ports/) },
    ]);
  });

  test('map keys (labels, ConfigMap data) are not mistaken for fields', () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nssf', labels: { 'nephio.org/anything': 'x' } }, data: { 'nssfcfg.yaml': 'x', 'other': 'y' } };
    expect(validateObject(configMap)).toEqual([]);
    expect(validateObject({ ...configMap, date: {} })).toEqual([{ field: 'date', message: expect.stringMatching(/^unknown field "date"; known fields here: .*data/) }]);
  });

  test.each([
    ['v1', 'Namespace'], ['v1', 'ServiceAccount'], ['v1', 'Service'], ['v1', 'Secret'], ['v1', 'ResourceQuota'], ['v1', 'LimitRange'],
    ['networking.k8s.io/v1', 'NetworkPolicy'], ['rbac.authorization.k8s.io/v1', 'Role'], ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ])('%s %s is validated, unknown fields included', (apiVersion, kind) => {
    expect(hasSchemaFor(apiVersion, kind)).toBe(true);
    expect(checksUnknownCoreFields(apiVersion, kind)).toBe(true);
    expect(validateObject({ apiVersion, kind, metadata: { name: 'x' }, bogus: 1 })).toEqual(expect.arrayContaining([
      { field: 'bogus', message: expect.stringMatching(/^unknown field "bogus"/) },
    ]));
  });

  test('a RoleBinding without roleRef is reported', () => {
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'x' }, subjects: [{ kind: 'ServiceAccount', name: 'amf' }] };
    expect(validateObject(binding)).toEqual([{ field: 'roleRef', message: 'required field is missing' }]);
  });
});

describe('dispatch', () => {
  test('an unknown apiVersion or kind has no schema and no violations', () => {
    expect(hasSchemaFor('example.com/v1', 'Widget')).toBe(false);
    expect(validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', spec: { anything: true } })).toEqual([]);
    expect(hasSchemaFor('apps/v1', 'DeploymentSpec')).toBe(false);
    expect(hasSchemaFor('../../x', 'Y')).toBe(false);
  });

  test('known kinds have schemas', () => {
    expect(hasSchemaFor('configsync.gke.io/v1beta1', 'RootSync')).toBe(true);
    expect(hasSchemaFor('kpt.dev/v1', 'Kptfile')).toBe(true);
    expect(hasSchemaFor('v1', 'ConfigMap')).toBe(true);
    expect(hasSchemaFor('workload.nephio.org/v1alpha1', 'NFDeployment')).toBe(true);
  });

  test('objects without apiVersion or kind are violations', () => {
    expect(validateObject({ metadata: { name: 'x' } })).toEqual([
      { field: 'apiVersion', message: 'required field is missing' },
      { field: 'kind', message: 'required field is missing' },
    ]);
    expect(validateObject('not an object')).toEqual([{ field: '', message: 'a Kubernetes object must be a JSON object' }]);
  });

  test('a Kptfile goes to the Kptfile rules', () => {
    expect(validateObject({ apiVersion: 'kpt.dev/v1', kind: 'Kptfile', metadata: { name: 'p' }, pipline: {} })).toEqual([
      { field: 'pipline', message: expect.stringMatching(/^unknown field "pipline"; known fields here: .*pipeline/) },
    ]);
  });
});
