import { ApiObject, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { configsync, hasSchemaFor, nephio, porch, validateObject } from '../../src/apis';

type L1Class = typeof ApiObject & {
  readonly GVK: { apiVersion: string; kind: string };
  new (scope: Construct, id: string, props?: { metadata?: { name?: string } }): ApiObject;
};

/** Every exported class of a group module that is an ApiObject: none can be forgotten below. */
function l1Classes(group: Record<string, unknown>): Array<[string, L1Class]> {
  return Object.entries(group).filter((entry): entry is [string, L1Class] => {
    const value = entry[1];
    // Not `instanceof`: ApiObject overrides Symbol.hasInstance to recognize instances, not subclasses.
    return typeof value === 'function' && Object.prototype.isPrototypeOf.call(ApiObject.prototype, value.prototype);
  });
}

const ALL_L1 = [...l1Classes(configsync), ...l1Classes(porch), ...l1Classes(nephio)];

describe('generated L1 classes', () => {
  test('cover the kinds the library emits', () => {
    expect(ALL_L1.map(([name]) => name).sort()).toEqual([
      'Capacity', 'ConfigRef', 'DataNetwork', 'Dependency', 'Interface', 'NfConfig', 'NfDeployment',
      'PackageVariant', 'PackageVariantSet', 'RepoSync', 'Repository', 'RootSync', 'WorkloadCluster',
    ]);
  });

  test.each(ALL_L1)('%s uses a served version with a bundled schema', (_name, L1) => {
    expect(hasSchemaFor(L1.GVK.apiVersion, L1.GVK.kind)).toBe(true);
    const chart = Testing.chart();
    const obj = new L1(chart, 'minimal', { metadata: { name: 'minimal' } }).toJson();
    expect(obj).toMatchObject({ ...L1.GVK, metadata: { name: 'minimal' } });
    expect(validateObject(obj)).toEqual([]);
  });

  test('RootSync and RepoSync as Nephio R5 writes them are valid', () => {
    const chart = Testing.chart();
    const rootSync = new configsync.RootSync(chart, 'root', {
      metadata: { name: 'edge01', namespace: 'config-management-system' },
      spec: {
        sourceFormat: 'unstructured',
        git: {
          repo: 'http://gitea.example/nephio/edge01.git',
          branch: 'main',
          dir: 'deployments/prod/edge01',
          auth: configsync.RootSyncSpecGitAuth.TOKEN,
          secretRef: { name: 'edge01-access-token-configsync' },
          period: '15s',
        },
        override: { logLevels: [{ containerName: 'reconciler', logLevel: 3 }] },
      },
    });
    const repoSync = new configsync.RepoSync(chart, 'repo', {
      metadata: { name: 'team-a', namespace: 'team-a' },
      spec: { sourceFormat: 'unstructured', git: { repo: 'https://git.example/team-a.git', branch: 'main', auth: configsync.RepoSyncSpecGitAuth.NONE } },
    });
    expect(rootSync.toJson().spec.sourceFormat).toBe('unstructured');
    expect(validateObject(rootSync.toJson())).toEqual([]);
    expect(validateObject(repoSync.toJson())).toEqual([]);
  });

  test('Porch Repository, PackageVariant and PackageVariantSet are valid', () => {
    const chart = Testing.chart();
    const repository = new porch.Repository(chart, 'repository', {
      metadata: { name: 'edge01', namespace: 'default' },
      spec: { type: 'git', deployment: true, git: { repo: 'http://gitea.example/nephio/edge01.git', branch: 'main', directory: '/', secretRef: { name: 'edge01-access-token-porch' } } },
    });
    const variant = new porch.PackageVariant(chart, 'variant', {
      metadata: { name: 'edge01-upf' },
      spec: {
        upstream: { repo: 'catalog', package: 'pkg-example-upf-bp', workspaceName: 'v5.0.0' },
        downstream: { repo: 'edge01', package: 'free5gc-upf' },
        annotations: { 'approval.nephio.org/policy': 'initial' },
        injectors: [{ name: 'edge01' }],
        pipeline: { mutators: [{ image: 'gcr.io/kpt-fn/set-namespace:v0.4.1', configMap: { namespace: 'upf' } }] },
      },
    });
    const variantSet = new porch.PackageVariantSet(chart, 'variant-set', {
      metadata: { name: 'edge-upf' },
      spec: {
        upstream: { repo: 'catalog', package: 'pkg-example-upf-bp', revision: 1 },
        targets: [{
          objectSelector: { apiVersion: 'infra.nephio.org/v1alpha1', kind: 'WorkloadCluster', matchLabels: { 'nephio.org/site-type': 'edge' } },
          template: { downstream: { package: 'free5gc-upf' }, injectors: [{ nameExpr: 'target.name' }] },
        }],
      },
    });
    for (const obj of [repository, variant, variantSet]) expect(validateObject(obj.toJson())).toEqual([]);
  });

  test('Nephio workload and requirement objects are valid, quantities included', () => {
    const chart = Testing.chart();
    const objects = [
      new nephio.WorkloadCluster(chart, 'cluster', { metadata: { name: 'edge01' }, spec: { clusterName: 'edge01', cnis: ['macvlan'], masterInterface: 'eth1' } }),
      new nephio.NfDeployment(chart, 'upf', {
        metadata: { name: 'upf-edge01', namespace: 'upf' },
        spec: {
          provider: 'upf.free5gc.io',
          capacity: {
            maxUplinkThroughput: nephio.NfDeploymentSpecCapacityMaxUplinkThroughput.fromString('1G'),
            maxDownlinkThroughput: nephio.NfDeploymentSpecCapacityMaxDownlinkThroughput.fromNumber(5_000_000_000),
            maxSessions: 1000,
          },
          interfaces: [{ name: 'n3', ipv4: { address: '10.0.3.10/24', gateway: '10.0.3.1' }, vlanId: 3 }],
          parametersRefs: [{ apiVersion: 'workload.nephio.org/v1alpha1', kind: 'NFConfig', name: 'upf-edge01' }],
        },
      }),
      new nephio.NfConfig(chart, 'config', { metadata: { name: 'upf-edge01' }, spec: { configRefs: [{ apiVersion: 'ref.nephio.org/v1alpha1', kind: 'PLMN', spec: { mcc: '001' } }] } }),
      new nephio.Capacity(chart, 'capacity', { metadata: { name: 'dataplane' }, spec: { maxSessions: 1000, maxUplinkThroughput: nephio.CapacitySpecMaxUplinkThroughput.fromString('1G') } }),
      new nephio.Interface(chart, 'n3', { metadata: { name: 'n3' }, spec: { networkInstance: { name: 'vpc-ran' }, cniType: nephio.InterfaceSpecCniType.MACVLAN, attachmentType: nephio.InterfaceSpecAttachmentType.VLAN } }),
      new nephio.DataNetwork(chart, 'dnn', { metadata: { name: 'internet' }, spec: { networkInstance: { name: 'vpc-internet' }, pools: [{ name: 'pool1', prefixLength: 16 }] } }),
      new nephio.Dependency(chart, 'dependency', { metadata: { name: 'upf' }, spec: { packageName: 'free5gc-operator' } }),
    ];
    expect(objects[1].toJson().spec.interfaces[0].vlanID).toBe(3);
    for (const obj of objects) expect(validateObject(obj.toJson())).toEqual([]);
  });
});
