import { filesOf, objectAt } from './support';
import { Cluster, Environment, Fleet, GitAuth, GitCredentials, Placement, SiteType } from '../../src/fleet';
import { InterfaceType, NetworkFunction, NetworkSlice, NfDeploymentModel, NfKind, SliceServiceType } from '../../src/network';
import { GitOpsRepository } from '../../src/repo';

const DIGEST = 'sha256:' + '0123456789abcdef'.repeat(4);
const RESOURCES = { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } };

test('NFs and a slice placed on a fleet synthesize into hydrated per-cluster variants', () => {
  const repo = new GitOpsRepository();
  const fleet = new Fleet(repo, 'fleet', {
    repoUrl: 'https://git.example.com/telco/fleet.git',
    auth: GitAuth.token(GitCredentials.externalSecret({ secretStoreName: 'vault', remoteKey: 'gitops/fleet-read-token' })),
  });
  // The UPF's N3 interface needs its network on every cluster it is placed on.
  new Cluster(fleet, 'edge01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE, networks: [{ name: 'vpc-ran', cni: 'macvlan', subnet: '10.1.3.0/24' }] });
  new Cluster(fleet, 'edge02', { environment: Environment.STAGING, region: 'eu-west', siteType: SiteType.EDGE, networks: [{ name: 'vpc-ran', cni: 'macvlan', subnet: '10.2.3.0/24' }] });

  const embb = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB, sd: '000001' });
  // The workload model: their own Deployments, which the placement's overrides size.
  const deploymentModel = NfDeploymentModel.WORKLOAD;
  const smf = new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, namespace: embb.namespace, image: `docker.io/free5gc/smf@${DIGEST}`, resources: RESOURCES, deploymentModel });
  const upf = new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, namespace: embb.namespace, image: `docker.io/free5gc/upf@${DIGEST}`, resources: RESOURCES, deploymentModel });
  upf.addInterface({ type: InterfaceType.N3, networkInstance: 'vpc-ran' });
  embb.addNetworkFunction(smf);
  embb.addNetworkFunction(upf);

  const edge = { 'nephio.org/site-type': 'edge' };
  const upfOnEdge = new Placement(fleet, 'upf', { blueprint: upf, matchLabels: edge });
  upfOnEdge.addEnvironmentOverrides(Environment.PRODUCTION, { replicas: 2, configuration: { logLevel: 'warn' } });
  new Placement(fleet, 'smf', { blueprint: smf, matchLabels: edge });
  new Placement(fleet, 'embb', { blueprint: embb, matchLabels: edge });
  const { tree } = repo.synthTree();

  const dir = 'deployments/production/edge01';
  // A variant also holds the attachment of each interface, on the cluster's network.
  expect(filesOf(tree, `${dir}/upf`)).toEqual([...filesOf(tree, 'packages/network-functions/upf'), 'networkattachmentdefinition_upf-n3.yaml'].sort());
  expect(objectAt(tree, `${dir}/upf/Kptfile`).upstream.git.directory).toBe('packages/network-functions/upf');
  const deployment = objectAt(tree, `${dir}/upf/deployment_upf.yaml`);
  expect(deployment.spec.replicas).toBe(2);
  expect(deployment.metadata.namespace).toBe('embb');
  expect(objectAt(tree, `${dir}/upf/configmap_upf-config.yaml`).data).toEqual({
    'logLevel': 'warn',
    'slice-profiles': JSON.stringify([{ name: 'embb', snssai: { sst: 1, sd: '000001' }, serviceType: 'eMBB', qos: { fiveQi: 9 } }]),
    'snssai': JSON.stringify([{ sst: 1, sd: '000001' }]),
  });
  expect(objectAt(tree, 'deployments/staging/edge02/upf/deployment_upf.yaml').spec.replicas).toBe(1);

  // The slice declares its Namespace itself, so the cluster's namespaces package does not repeat it.
  expect(objectAt(tree, `${dir}/embb/namespace_embb.yaml`).metadata.name).toBe('embb');
  expect(tree.pathsUnder(`${dir}/namespaces`).filter(p => p.includes('embb'))).toEqual([]);
  expect(objectAt(tree, `${dir}/embb/networkpolicy_embb-allow-upf.yaml`).spec.podSelector)
    .toEqual({ matchLabels: { 'app.kubernetes.io/instance': 'upf' } });
});
