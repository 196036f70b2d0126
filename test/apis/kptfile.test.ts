import { isValidImageReference, validateKptfile } from '../../src/apis';

function kptfile(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'kpt.dev/v1',
    kind: 'Kptfile',
    metadata: { name: 'free5gc-upf', annotations: { 'config.kubernetes.io/local-config': 'true' } },
    ...extra,
  };
}

describe('validateKptfile', () => {
  test('a Kptfile as Nephio R5 packages carry it is valid', () => {
    expect(validateKptfile(kptfile({
      info: { description: 'UPF package', readinessGates: [{ conditionType: 'config.injection.WorkloadCluster.workload-cluster' }] },
      upstream: { type: 'git', git: { repo: 'https://github.com/nephio-project/catalog', directory: '/workloads/free5gc/pkg-example-upf-bp', ref: 'v5.0.0' }, updateStrategy: 'resource-merge' },
      upstreamLock: { type: 'git', git: { repo: 'https://github.com/nephio-project/catalog', directory: '/workloads/free5gc/pkg-example-upf-bp', ref: 'v5.0.0', commit: '0123abcd' } },
      pipeline: {
        mutators: [
          { image: 'gcr.io/kpt-fn/apply-replacements:v0.1.1', configPath: 'apply-replacements-owner.yaml' },
          { image: 'docker.io/nephio/nfdeploy-fn:v5.0.0' },
          { exec: './bin/set-namespace', configMap: { namespace: 'upf' }, selectors: [{ kind: 'Deployment' }] },
        ],
        validators: [{ image: 'gcr.io/kpt-fn/kubeval:v0.3', name: 'kubeval' }],
      },
      status: { conditions: [{ type: 'Rendered', status: 'True', reason: 'RenderSuccess' }] },
    }))).toEqual([]);
  });

  test('an unknown field is an error, at the top and nested', () => {
    expect(validateKptfile(kptfile({ pipelines: {}, info: { licence: 'Apache-2.0' } }))).toEqual([
      { field: 'info.licence', message: expect.stringMatching(/^unknown field "licence"; known fields here: description, emails, keywords, license, /) },
      { field: 'pipelines', message: expect.stringMatching(/^unknown field "pipelines"; known fields here: apiVersion, info, inventory, kind, metadata, pipeline, /) },
    ]);
  });

  test('metadata takes name, namespace, labels and annotations only', () => {
    expect(validateKptfile({ ...kptfile(), metadata: { name: 'p', uid: 'x' } })).toEqual([
      { field: 'metadata.uid', message: 'unknown field "uid"; known fields here: annotations, labels, name, namespace' },
    ]);
    // The Swagger document flattens ObjectMeta onto the top level; real Kptfiles never do that.
    expect(validateKptfile({ ...kptfile(), name: 'p' })).toEqual([
      { field: 'name', message: expect.stringMatching(/^unknown field "name"/) },
    ]);
  });

  test('a function with both image and exec', () => {
    expect(validateKptfile(kptfile({ pipeline: { mutators: [{ image: 'gcr.io/kpt-fn/set-labels:v0.2.0', exec: './set-labels' }] } }))).toEqual([
      { field: 'pipeline.mutators[0]', message: 'must set only one of `image` and `exec`, not both' },
    ]);
  });

  test('a function with neither image nor exec', () => {
    expect(validateKptfile(kptfile({ pipeline: { validators: [{ name: 'nothing', image: '' }] } }))).toEqual([
      { field: 'pipeline.validators[0]', message: 'must set `image` or `exec`: the function to run' },
    ]);
  });

  test('configMap and configPath together, and config paths leaving the package', () => {
    expect(validateKptfile(kptfile({
      pipeline: {
        mutators: [
          { image: 'set-namespace:v0.4.1', configMap: { namespace: 'x' }, configPath: 'ns.yaml' },
          { image: 'set-namespace:v0.4.1', configPath: '../common/ns.yaml' },
          { image: 'set-namespace:v0.4.1', configPath: '/etc/ns.yaml' },
          { image: 'set-namespace:v0.4.1', configPath: '  ' },
        ],
      },
    }))).toEqual([
      { field: 'pipeline.mutators[0]', message: 'must not set both `configMap` and `configPath`' },
      { field: 'pipeline.mutators[1].configPath', message: 'must stay inside the package (no ".."); got "../common/ns.yaml"' },
      { field: 'pipeline.mutators[2].configPath', message: 'must be a path relative to the package; got "/etc/ns.yaml"' },
      { field: 'pipeline.mutators[3].configPath', message: 'must not be empty; got "  "' },
    ]);
  });

  test('wrong types and deprecated apiVersions', () => {
    expect(validateKptfile({ ...kptfile({ pipeline: { mutators: [{ image: 'x', configMap: { replicas: 3 } }] } }), apiVersion: 'kpt.dev/v1alpha2' })).toEqual([
      { field: 'apiVersion', message: 'must be "kpt.dev/v1" (kpt refuses the deprecated v1alpha1 and v1alpha2); got "kpt.dev/v1alpha2"' },
      { field: 'pipeline.mutators[0].configMap.replicas', message: 'must be string; got integer' },
    ]);
  });
});

describe('isValidImageReference', () => {
  test.each([
    'set-namespace',
    'gcr.io/kpt-fn/set-namespace:v0.4.1',
    'docker.io/nephio/nfdeploy-fn:v5.0.0',
    'localhost:5000/fn/set_labels:latest',
    `ghcr.io/kptdev/krm-functions-catalog/starlark@sha256:${'a'.repeat(64)}`,
  ])('accepts %s', image => expect(isValidImageReference(image)).toBe(true));

  test.each([
    'Set-Namespace',
    'gcr.io/kpt-fn/set namespace',
    'gcr.io/kpt-fn/set-namespace:',
    'gcr.io//set-namespace',
    'gcr.io/kpt-fn/set-namespace@sha256:abc',
  ])('rejects %s', image => expect(isValidImageReference(image)).toBe(false));
});
