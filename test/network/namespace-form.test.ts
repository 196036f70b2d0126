import { parseAllDocuments } from 'yaml';
import { Cluster, Environment, Fleet, GitAuth, GitCredentials, Placement, SiteType } from '../../src/fleet';
import { NetworkFunction, NetworkSlice, NfDeploymentModel, NfKind, SliceServiceType } from '../../src/network';
import { PodSecurityLevel, Policy } from '../../src/policy';
import { GitOpsRepository } from '../../src/repo';

const DIGEST = 'sha256:' + '0123456789abcdef'.repeat(4);

/**
 * Namespaces are written in two places: the slices' own packages (a slice declares its namespace)
 * and each cluster's `namespaces` package (every other namespace its packages need). Quotas come
 * from slices and policies. All are written in one form: the one the API server returns.
 */
test('every Namespace and ResourceQuota is written in one form, as kubectl prints it: metadata keys and labels sorted, quantities as strings', () => {
  const repo = new GitOpsRepository();
  const fleet = new Fleet(repo, 'fleet', {
    repoUrl: 'https://git.example.com/telco/fleet.git',
    auth: GitAuth.token(GitCredentials.externalSecret({ secretStoreName: 'vault', remoteKey: 'gitops/fleet-read-token' })),
  });
  new Cluster(fleet, 'edge01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
  const embb = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB, sd: '000001', quota: { pods: 4, requestsCpu: '2' } });
  const resources = { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } };
  const smf = new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, namespace: embb.namespace, image: `docker.io/free5gc/smf@${DIGEST}`, resources, deploymentModel: NfDeploymentModel.WORKLOAD });
  const upf = new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, namespace: embb.namespace, image: `docker.io/free5gc/upf@${DIGEST}`, resources, deploymentModel: NfDeploymentModel.WORKLOAD });
  embb.addNetworkFunction(smf);
  embb.addNetworkFunction(upf);
  const nrf = new NetworkFunction(repo, 'nrf', { kind: NfKind.NRF, namespace: 'core', image: `docker.io/free5gc/nrf@${DIGEST}`, resources });
  const policy = new Policy(repo, 'core', { namespaces: ['core'], podSecurity: PodSecurityLevel.RESTRICTED, quota: { pods: 100, requestsCpu: '8' } });
  for (const blueprint of [embb, smf, upf, nrf, policy]) new Placement(fleet, blueprint.node.id, { blueprint });
  const { tree } = repo.synthTree();

  const written = (kind: string) => tree.paths().filter(p => p.endsWith('.yaml')).flatMap(path =>
    parseAllDocuments(tree.getText(path)!).map(d => ({ path, object: d.toJS() })).filter(o => o.object?.kind === kind));
  const namespaces = written('Namespace');
  expect(namespaces.map(n => n.path).sort()).toEqual([
    'deployments/production/edge01/embb/namespace_embb.yaml',
    'deployments/production/edge01/namespaces/namespace_core.yaml',
    'packages/slices/embb/namespace_embb.yaml',
  ]);
  for (const { path, object } of namespaces) {
    expect([path, Object.keys(object.metadata)]).toEqual([path, ['labels', 'name']]);
    const keys = Object.keys(object.metadata.labels);
    expect([path, keys]).toEqual([path, [...keys].sort()]);
  }
  expect(tree.getText('deployments/production/edge01/namespaces/namespace_core.yaml')).toContain([
    'metadata:',
    '  labels:',
    '    nephio.org/cluster-name: edge01',
    '    pod-security.kubernetes.io/audit: restricted',
    '    pod-security.kubernetes.io/enforce: restricted',
    '    pod-security.kubernetes.io/warn: restricted',
    '  name: core',
  ].join('\n'));

  const quotas = written('ResourceQuota');
  expect(quotas.length).toBeGreaterThanOrEqual(4);
  for (const { path, object } of quotas) {
    for (const [key, value] of Object.entries(object.spec.hard)) expect([path, key, typeof value]).toEqual([path, key, 'string']);
  }
  expect(tree.getText('packages/policies/core/resourcequota_core-quota.yaml')).toContain('pods: "100"');
  expect(tree.getText('packages/slices/embb/resourcequota_embb.yaml')).toContain('pods: "4"');
});
