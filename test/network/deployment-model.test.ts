import { ApiObject } from 'cdk8s';
import { filesOf, objectAt, synthProblems } from './support';
import { IFleetView, InterfaceAddress, NetworkDefinition, PlacedInstance, VariantOptions } from '../../src/kpt';
import { InterfaceType, NetworkFunction, NetworkSlice, NfDeploymentModel, NfKind, SliceServiceType } from '../../src/network';
import { GitOpsRepository, RepoTree } from '../../src/repo';

const NETWORKS: NetworkDefinition[] = [
  { name: 'vpc-ran', cni: 'macvlan', subnet: '10.0.3.0/24', gateway: '10.0.3.1', masterInterface: 'eth1', vlanId: 103 },
  { name: 'vpc-internal', cni: 'ipvlan', subnet: '10.0.4.0/24', gateway: '10.0.4.1', masterInterface: 'eth1' },
  { name: 'vpc-internet', cni: 'sriov', subnet: '10.0.6.0/24', gateway: '10.0.6.1', resourceName: 'intel.com/sriov_netdevice', vlanId: 600 },
  { name: 'vpc-cudu-f1', cni: 'macvlan', subnet: '10.0.5.0/24', gateway: '10.0.5.1', masterInterface: 'eth2' },
];

function address(network: string, host: number): InterfaceAddress {
  const net = NETWORKS.find(n => n.name === network)!;
  return { network, address: `${net.subnet.split('.').slice(0, 3).join('.')}.${host}/24`, gateway: net.gateway! };
}

function variant(
  path: string,
  cluster: string,
  addresses: Record<string, InterfaceAddress> | undefined,
  extra: Partial<VariantOptions> = {},
): VariantOptions {
  return {
    path,
    target: { name: cluster, environment: 'production', labels: {}, networks: NETWORKS },
    overrides: {},
    upstreamRepo: 'https://git.example.com/fleet.git',
    upstreamRef: 'main',
    mutators: [],
    addresses,
    ...extra,
  };
}

/** The objects of one package folder, by kind and name. */
function objectsOf(tree: RepoTree, folder: string): Array<Record<string, any>> {
  return filesOf(tree, folder).filter(f => f.endsWith('.yaml')).map(f => objectAt(tree, `${folder}/${f}`))
    .filter(o => o.kind !== 'Kptfile' && !(o.kind === 'ConfigMap' && o.metadata.name === 'kptfile.kpt.dev'));
}

/** IPv4 address of a CIDR as Go's net.ParseCIDR returns it; throws as the operator's reconcile fails. */
function parseCidr(cidr: unknown): string {
  if (typeof cidr !== 'string' || !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(cidr)) throw new Error(`invalid CIDR address: ${cidr}`);
  return cidr.split('/')[0];
}

/**
 * What the free5gc and OAI operators do with a package's NFDeployment before creating pods
 * (CreateNetworkAttachmentDefinitionNetworks, GetFirstInterfaceConfigIPv4, ValidateNetworkAttachmentDefinitions):
 * every listed interface needs ipv4.address (a CIDR) and ipv4.gateway, and the attachment
 * `<NFDeployment>-<interface>` must exist in the NFDeployment's namespace.
 */
function operatorView(objects: Array<Record<string, any>>, interfaceNames: string[]) {
  const nfDeployment = objects.find(o => o.kind === 'NFDeployment')!;
  const networks = interfaceNames.map(name => {
    const iface = (nfDeployment.spec.interfaces ?? []).find((i: any) => i.name === name);
    if (!iface) throw new Error(`Interface "${name}" not found`);
    if (iface.ipv4?.gateway === undefined) throw new Error(`missing InterfaceConfig.IPv4.Gateway for "${name}"`);
    return { name: `${nfDeployment.metadata.name}-${name}`, interface: name, ip: parseCidr(iface.ipv4.address), cidr: iface.ipv4.address, gateway: iface.ipv4.gateway };
  });
  for (const network of networks) {
    const attachment = objects.find(o => o.kind === 'NetworkAttachmentDefinition' && o.metadata.name === network.name);
    if (!attachment || attachment.metadata.namespace !== nfDeployment.metadata.namespace) throw new Error(`NetworkAttachmentDefinition "${network.name}" not found in "${nfDeployment.metadata.namespace}"`);
  }
  return { nfDeployment, networks };
}

function nad(objects: Array<Record<string, any>>, name: string): { object: Record<string, any>; config: any } {
  const object = objects.find(o => o.kind === 'NetworkAttachmentDefinition' && o.metadata.name === name);
  if (!object) throw new Error(`no NetworkAttachmentDefinition ${name}`);
  return { object, config: JSON.parse(object.spec.config) };
}

function upfIn(repo: GitOpsRepository, props: Partial<ConstructorParameters<typeof NetworkFunction>[2]> = {}): NetworkFunction {
  const upf = new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, namespace: 'upf', capacity: { maxDownlinkThroughput: '10G' }, ...props });
  upf.addInterface({ type: InterfaceType.N3, networkInstance: 'vpc-ran' });
  upf.addInterface({ type: InterfaceType.N4, networkInstance: 'vpc-internal' });
  upf.addInterface({ type: InterfaceType.N6, networkInstance: 'vpc-internet', dataNetworks: [{ name: 'internet', pools: ['10.60.0.0/16'] }] });
  return upf;
}

const UPF_ADDRESSES = { n3: address('vpc-ran', 7), n4: address('vpc-internal', 7), n6: address('vpc-internet', 7) };

describe('deployment model of the catalog kinds', () => {
  test('kinds an R5 operator reconciles default to the operator model, the others to the workload model', () => {
    expect(NfKind.catalog.filter(k => k.deploymentModel === NfDeploymentModel.OPERATOR).map(k => k.name))
      .toEqual(['amf', 'smf', 'upf', 'cu-cp', 'cu-up', 'du']);
    expect(NfKind.catalog.filter(k => k.deploymentModel === NfDeploymentModel.WORKLOAD).map(k => k.name))
      .toEqual(['nrf', 'ausf', 'udm', 'udr', 'pcf', 'nssf', 'near-rt-ric']);
    expect(NfKind.custom({ name: 'probe', provider: 'probe.example.com' }).deploymentModel).toBe(NfDeploymentModel.WORKLOAD);
    expect(NfKind.custom({ name: 'vendor-upf', provider: 'upf.vendor.example.com', operator: { podLabels: { app: 'vendor-upf' } } }).deploymentModel)
      .toBe(NfDeploymentModel.OPERATOR);
  });

  test('the operator model for a kind without a known operator is refused; a custom kind may declare one', () => {
    const repo = new GitOpsRepository();
    new NetworkFunction(repo, 'nrf', { kind: NfKind.NRF, deploymentModel: NfDeploymentModel.OPERATOR });
    new NetworkFunction(repo, 'probe', { kind: NfKind.custom({ name: 'probe', provider: 'probe.example.com', image: 'registry.example.com/probe:1.0', ports: [{ name: 'http', port: 80 }] }), deploymentModel: NfDeploymentModel.OPERATOR });
    expect(synthProblems(() => repo.synthTree())).toEqual([
      expect.stringMatching(/^\[nrf\] props\.deploymentModel: no operator is known for NRF \(provider "nrf\.free5gc\.io"\).*WORKLOAD/),
      expect.stringMatching(/^\[probe\] props\.deploymentModel: no operator is known for probe/),
    ]);

    const ok = new GitOpsRepository();
    const vendor = NfKind.custom({
      name: 'vendor-upf',
      provider: 'upf.vendor.example.com',
      role: NfKind.UPF,
      image: 'registry.example.com/upf:24.1',
      operator: { podLabels: { app: 'vendor-upf' } },
    });
    const nf = new NetworkFunction(ok, 'vupf', { kind: vendor });
    expect(nf.deploymentModel).toBe(NfDeploymentModel.OPERATOR);
    expect(nf.podSelectorLabels).toEqual({ app: 'vendor-upf' });
    expect(filesOf(ok.synthTree().tree, 'packages/network-functions/vupf')).toEqual(['Kptfile', 'nfdeployment_vupf.yaml', 'package-context.yaml']);
  });

  test('props the operator would ignore are refused in the operator model', () => {
    const repo = new GitOpsRepository();
    new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, image: 'docker.io/nephio/free5gc-upf:3.2.1', replicas: 2, resources: { requests: { cpu: '1' } } });
    const amf = new NetworkFunction(repo, 'amf', { kind: NfKind.AMF });
    amf.addConfiguration('logLevel', 'info');
    const problems = synthProblems(() => repo.synthTree());
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\[upf\] props\.image: has no effect in the operator model: the Nephio free5gc operator creates UPF pods itself \(nephio-project\/free5gc controllers\/nf\/upf\/resources\.go\)/),
      expect.stringMatching(/^\[upf\] props\.replicas: has no effect/),
      expect.stringMatching(/^\[upf\] props\.resources: has no effect/),
      expect.stringMatching(/^\[amf\] configuration\.logLevel: has no effect in the operator model/),
    ]));
    expect(problems).toHaveLength(4);
  });
});

describe('operator model', () => {
  test('a UPF variant holds the NFDeployment with every address and gateway and its attachments, and no workload', () => {
    const repo = new GitOpsRepository();
    const upf = upfIn(repo);
    upf.renderVariant(repo, 'edge01-upf', variant('deployments/production/edge01/upf', 'edge01', UPF_ADDRESSES));
    const { tree } = repo.synthTree();
    const objects = objectsOf(tree, 'deployments/production/edge01/upf');

    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'NFDeployment/upf', 'NetworkAttachmentDefinition/upf-n3', 'NetworkAttachmentDefinition/upf-n4', 'NetworkAttachmentDefinition/upf-n6',
    ]);
    // What the free5gc operator reads (controllers/nf/upf/resources.go: n3, n4, n6; capacity dereferenced unchecked).
    const { nfDeployment, networks } = operatorView(objects, ['n3', 'n4', 'n6']);
    expect(nfDeployment.metadata.annotations?.['config.kubernetes.io/local-config']).toBeUndefined();
    expect(nfDeployment.spec.provider).toBe('upf.free5gc.io');
    expect(nfDeployment.spec.capacity).toEqual({ maxDownlinkThroughput: '10G' });
    expect(networks.map(n => [n.name, n.ip, n.gateway])).toEqual([
      ['upf-n3', '10.0.3.7', '10.0.3.1'], ['upf-n4', '10.0.4.7', '10.0.4.1'], ['upf-n6', '10.0.6.7', '10.0.6.1'],
    ]);
    expect(nfDeployment.spec.networkInstances).toContainEqual({ name: 'vpc-internet', interfaces: ['n6'], dataNetworks: [{ name: 'internet', pool: [{ prefix: '10.60.0.0/16' }] }] });

    // Each attachment is CNI JSON with the interface's address, as nad-fn writes it.
    for (const network of networks) {
      const { object, config } = nad(objects, network.name);
      expect(object.metadata.namespace).toBe('upf');
      expect(config.cniVersion).toBe('0.3.1');
      expect(config.plugins).toHaveLength(1);
      expect(config.plugins[0].ipam).toEqual({ type: 'static', addresses: [{ address: network.cidr, gateway: network.gateway }] });
      expect(config.plugins[0].capabilities).toEqual({ ips: true });
    }
    expect(nad(objects, 'upf-n3').config.plugins[0]).toMatchObject({ type: 'macvlan', master: 'eth1.103', mode: 'bridge' });
    expect(nad(objects, 'upf-n4').config.plugins[0]).toMatchObject({ type: 'ipvlan', master: 'eth1', mode: 'l2' });
    const sriov = nad(objects, 'upf-n6');
    expect(sriov.config.plugins[0]).toMatchObject({ type: 'sriov', vlan: 600 });
    expect(sriov.config.plugins[0].master).toBeUndefined();
    expect(sriov.object.metadata.annotations).toEqual({ 'k8s.v1.cni.cncf.io/resourceName': 'intel.com/sriov_netdevice' });

    // The blueprint has no cluster: no addresses, no attachments.
    expect(objectsOf(tree, 'packages/network-functions/upf').map(o => o.kind)).toEqual(['NFDeployment']);
  });

  test('the operator\'s pods: its labels select them, and their size is the one its code sets', () => {
    const repo = new GitOpsRepository();
    const small = new NetworkFunction(repo, 'upf-small', { kind: NfKind.UPF, capacity: { maxDownlinkThroughput: '5G' } });
    const big = upfIn(repo);
    expect(big.podSelectorLabels).toEqual({ name: 'upf' });
    expect(small.workloadFootprints({ replicas: 5 })).toEqual([expect.objectContaining({
      namespace: 'upf-small', replicas: 1, surge: 1, requests: { cpu: 0.5, memory: 512 * 2 ** 20 }, limits: { cpu: 0.5, memory: 512 * 2 ** 20 },
    })]);
    expect(big.workloadFootprints({})[0]).toMatchObject({ requests: { cpu: 1, memory: 2 ** 30 }, limits: { cpu: 1, memory: 2 ** 30 } });
    const amf = new NetworkFunction(repo, 'amf', { kind: NfKind.AMF, capacity: { maxSubscribers: 5000 } });
    expect(amf.workloadFootprints({})[0]).toMatchObject({ requests: { cpu: 0.3, memory: 256 * 2 ** 20 } });
    const smf = new NetworkFunction(repo, 'smf', { kind: NfKind.SMF });
    expect(smf.workloadFootprints({})[0]).toMatchObject({ requests: { cpu: 0.1, memory: 128 * 2 ** 20 } });

    const cucp = new NetworkFunction(repo, 'cu-cp', { kind: NfKind.CU_CP });
    expect(cucp.podSelectorLabels).toEqual({ 'app.kubernetes.io/name': 'oai-cu-cp', 'app': 'oai-cu-cp-cp' });
    expect(cucp.workloadFootprints({})).toEqual([{
      name: expect.stringMatching(/oai-cu-cp .*it sets no requests or limits/), namespace: 'cu-cp', replicas: 1, surge: 0, requests: {}, limits: {},
    }]);
    const du = new NetworkFunction(repo, 'du', { kind: NfKind.DU });
    expect(du.podSelectorLabels).toEqual({ 'app.kubernetes.io/name': 'oai-du', 'app': 'oai-du' });
    expect(du.workloadFootprints({})[0]).toMatchObject({ surge: 0, requests: { cpu: 2, memory: 2 ** 30 }, limits: { cpu: 2, memory: 2 * 2 ** 30 } });
  });

  test('a variant missing an address, an interface the operator reads, or a network the cluster lacks is refused', () => {
    const repo = new GitOpsRepository();
    const upf = new NetworkFunction(repo, 'upf', { kind: NfKind.UPF });
    upf.addInterface({ type: InterfaceType.N3, networkInstance: 'vpc-ran' });
    upf.addInterface({ type: InterfaceType.N4, networkInstance: 'vpc-n4' });
    upf.renderVariant(repo, 'edge01-upf', variant('deployments/production/edge01/upf', 'edge01', {}));
    expect(synthProblems(() => repo.synthTree())).toEqual([
      expect.stringMatching(/^\[edge01-upf\] interfaces: the Nephio free5gc operator reads interfaces n3, n4, n6 of UPF "upf" \(nephio-project\/free5gc controllers\/nf\/upf\/resources\.go\) and fails without them; add n6/),
      '[edge01-upf] interfaces.n3: interface "n3" of UPF "upf" on network "vpc-ran" has no address on cluster "edge01": its NFDeployment, pod annotation and NetworkAttachmentDefinition need one (VariantOptions.addresses, allocated by the fleet from the network\'s subnet 10.0.3.0/24)',
      '[edge01-upf] interfaces.n4: interface "n4" of UPF "upf" on network "vpc-n4": cluster "edge01" has no such network (it declares "vpc-ran", "vpc-internal", "vpc-internet", "vpc-cudu-f1"); declare it in the cluster\'s networks',
    ]);
  });

  test('inside a fleet, a network the cluster lacks is left to the fleet to report', () => {
    const repo = new GitOpsRepository();
    const upf = upfIn(repo);
    const fleet: IFleetView = { instancesOf: () => [] };
    upf.renderVariant(repo, 'edge01-upf', variant('deployments/production/edge01/upf', 'edge01', UPF_ADDRESSES,
      { target: { name: 'edge01', environment: 'production', labels: {}, networks: NETWORKS.filter(n => n.name !== 'vpc-internet') }, fleet }));
    const objects = objectsOf(repo.synthTree().tree, 'deployments/production/edge01/upf');
    expect(objects.filter(o => o.kind === 'NetworkAttachmentDefinition').map(o => o.metadata.name)).toEqual(['upf-n3', 'upf-n4']);
  });

  test('variants differ per cluster by their addresses; equal ones share one rendering', () => {
    const repo = new GitOpsRepository();
    const upf = upfIn(repo);
    upf.renderVariant(repo, 'a', variant('deployments/production/a/upf', 'a', UPF_ADDRESSES));
    const b = upf.renderVariant(repo, 'b', variant('deployments/production/b/upf', 'b', UPF_ADDRESSES));
    upf.renderVariant(repo, 'c', variant('deployments/production/c/upf', 'c', { ...UPF_ADDRESSES, n3: address('vpc-ran', 8) }));
    expect(b.node.children).toHaveLength(0);
    const { tree } = repo.synthTree();
    const n3 = (cluster: string) => objectAt(tree, `deployments/production/${cluster}/upf/nfdeployment_upf.yaml`).spec.interfaces[0].ipv4.address;
    expect([n3('a'), n3('b'), n3('c')]).toEqual(['10.0.3.7/24', '10.0.3.7/24', '10.0.3.8/24']);
  });

  test('an SMF reads its UPFs through parametersRefs: one ref.nephio.org Config per placed UPF, in its own package', () => {
    const repo = new GitOpsRepository();
    const upf = upfIn(repo);
    const smf = new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, namespace: 'core' });
    smf.addInterface({ type: InterfaceType.N4, networkInstance: 'vpc-internal' });
    smf.addPeer(upf);
    const placed = (cluster: string, host: number): PlacedInstance => ({
      target: { name: cluster, environment: 'production', labels: {}, networks: NETWORKS },
      overrides: {},
      addresses: { n3: address('vpc-ran', host), n4: address('vpc-internal', host), n6: address('vpc-internet', host) },
    });
    const fleet: IFleetView = { instancesOf: bp => (bp === upf ? [placed('edge01', 10), placed('edge02', 20)] : []) };
    smf.renderVariant(repo, 'regional-smf', variant('deployments/production/regional/smf', 'regional', { n4: address('vpc-internal', 2) }, { fleet }));
    const objects = objectsOf(repo.synthTree().tree, 'deployments/production/regional/smf');

    const { nfDeployment } = operatorView(objects, ['n4']);
    expect(nfDeployment.spec.parametersRefs).toEqual([
      { apiVersion: 'ref.nephio.org/v1alpha1', kind: 'Config', name: 'upf-edge01' },
      { apiVersion: 'ref.nephio.org/v1alpha1', kind: 'Config', name: 'upf-edge02' },
    ]);
    // The operator gets each Config by name in the NFDeployment's namespace and unmarshals spec.config as an NFDeployment.
    for (const ref of nfDeployment.spec.parametersRefs) {
      const config = objects.find(o => o.apiVersion === ref.apiVersion && o.kind === ref.kind && o.metadata.name === ref.name);
      expect(config?.metadata.namespace).toBe('core');
      const upfDeployment = config!.spec.config;
      expect(upfDeployment.kind).toBe('NFDeployment');
      const { networks } = operatorView([upfDeployment, ...['n3', 'n4', 'n6'].map(i => ({ kind: 'NetworkAttachmentDefinition', metadata: { name: `${upfDeployment.metadata.name}-${i}`, namespace: upfDeployment.metadata.namespace } }))], ['n3', 'n4', 'n6']);
      expect(networks[1].ip).toMatch(/^10\.0\.4\.(10|20)$/);
      expect(upfDeployment.spec.networkInstances.some((ni: any) => ni.interfaces.includes('n6') && ni.dataNetworks?.length > 0)).toBe(true);
    }
  });

  test('a production SMF reads only the UPFs placed in production, never a staging one', () => {
    const repo = new GitOpsRepository();
    const upf = upfIn(repo);
    const smf = new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, namespace: 'core' });
    smf.addInterface({ type: InterfaceType.N4, networkInstance: 'vpc-internal' });
    smf.addPeer(upf);
    const placed = (cluster: string, environment: string, host: number): PlacedInstance => ({
      target: { name: cluster, environment, labels: {}, networks: NETWORKS },
      overrides: {},
      addresses: { n3: address('vpc-ran', host), n4: address('vpc-internal', host), n6: address('vpc-internet', host) },
    });
    const fleet: IFleetView = { instancesOf: bp => (bp === upf ? [placed('edge01', 'production', 10), placed('stg-edge', 'staging', 30)] : []) };
    smf.renderVariant(repo, 'regional-smf', variant('deployments/production/regional/smf', 'regional', { n4: address('vpc-internal', 2) }, { fleet }));
    const refs = objectsOf(repo.synthTree().tree, 'deployments/production/regional/smf').find(o => o.kind === 'NFDeployment')!.spec.parametersRefs;
    expect(refs.map((r: any) => r.name)).toEqual(['upf-edge01']);

    smf.renderVariant(repo, 'dev-smf', variant('deployments/development/dev/smf', 'dev', { n4: address('vpc-internal', 3) },
      { fleet, target: { name: 'dev', environment: 'development', labels: {}, networks: NETWORKS } }));
    expect(synthProblems(() => repo.synthTree()).join('\n')).toContain('placed on no cluster of environment "development"');
  });

  test('an OAI DU reads an NFConfig with PLMN, RANConfig and OAIConfig and its CU-CP from parametersRefs', () => {
    const repo = new GitOpsRepository();
    const slice = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB, sd: '00000A' });
    const cucp = new NetworkFunction(repo, 'cu-cp', { kind: NfKind.CU_CP, namespace: 'ran', ran: { plmn: { mcc: '001', mnc: '01' }, tac: 1 } });
    cucp.addInterface({ type: InterfaceType.F1C, networkInstance: 'vpc-cudu-f1' });
    const du = new NetworkFunction(repo, 'du', {
      kind: NfKind.DU,
      namespace: 'ran',
      image: 'docker.io/oaisoftwarealliance/oai-gnb:v2.3.0',
      ran: { plmn: { mcc: '001', mnc: '01' }, tac: 7, downlinkCarrierBandwidth: 106, uplinkCarrierBandwidth: 106 },
    });
    du.addInterface({ type: InterfaceType.F1, networkInstance: 'vpc-cudu-f1' });
    du.addPeer(cucp);
    slice.addNetworkFunction(du);
    slice.addNetworkFunction(new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, deploymentModel: NfDeploymentModel.WORKLOAD }));
    slice.addNetworkFunction(new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, deploymentModel: NfDeploymentModel.WORKLOAD }));
    const fleet: IFleetView = { instancesOf: bp => (bp === cucp ? [{ target: { name: 'edge01', environment: 'production', labels: {}, networks: NETWORKS }, overrides: {}, addresses: { f1c: address('vpc-cudu-f1', 2) } }] : []) };
    du.renderVariant(repo, 'edge01-du', variant('deployments/production/edge01/du', 'edge01', { f1: address('vpc-cudu-f1', 3) }, { fleet }));
    const objects = objectsOf(repo.synthTree().tree, 'deployments/production/edge01/du');

    expect(objects.some(o => o.kind === 'Deployment')).toBe(false);
    const { nfDeployment } = operatorView(objects, ['f1']);
    expect(nfDeployment.spec.provider).toBe('du.openairinterface.org');
    const refs = nfDeployment.spec.parametersRefs;
    expect(refs).toEqual([
      { apiVersion: 'workload.nephio.org/v1alpha1', kind: 'NFConfig', name: 'du-nf-config' },
      { apiVersion: 'ref.nephio.org/v1alpha1', kind: 'Config', name: 'cu-cp-edge01' },
    ]);
    const resolve = (ref: any) => objects.find(o => o.apiVersion === ref.apiVersion && o.kind === ref.kind && o.metadata.name === ref.name && o.metadata.namespace === 'ran');
    const nfConfig = resolve(refs[0])!;
    const byKind = Object.fromEntries(nfConfig.spec.configRefs.map((c: any) => [c.kind, c]));
    // CheckMandatoryKinds: PLMN, RANConfig and OAIConfig must all be there.
    expect(Object.keys(byKind).sort()).toEqual(['OAIConfig', 'PLMN', 'RANConfig']);
    expect(byKind.PLMN.spec.PLMNInfo[0]).toEqual({ plmnID: { mcc: '001', mnc: '01' }, tac: 7, nssai: [{ sst: 1, sd: '00000a' }] });
    expect(byKind.RANConfig.spec).toMatchObject({ downlinkCarrierBandwidth: 106, uplinkCarrierBandwidth: 106, downlinkFrequencyBand: 78, cellIdentity: '12345678L' });
    expect(byKind.OAIConfig.spec).toEqual({ image: 'docker.io/oaisoftwarealliance/oai-gnb:v2.3.0' });
    // getConfigInstanceByProvider(cucp.openairinterface.org), then its f1c address.
    const cucpDeployment = resolve(refs[1])!.spec.config;
    expect(cucpDeployment.spec.provider).toBe('cucp.openairinterface.org');
    expect(parseCidr(cucpDeployment.spec.interfaces.find((i: any) => i.name === 'f1c').ipv4.address)).toBe('10.0.5.2');
  });

  test('a CU-CP needs an OAI AMF peer, PLMN settings and a slice with an SD; a free5gc AMF is not one', () => {
    const repo = new GitOpsRepository();
    const amf = new NetworkFunction(repo, 'amf', { kind: NfKind.AMF });
    amf.addInterface({ type: InterfaceType.N2, networkInstance: 'vpc-ran', ipv4Address: '10.0.3.2/24', ipv4Gateway: '10.0.3.1' });
    const cucp = new NetworkFunction(repo, 'cu-cp', { kind: NfKind.CU_CP });
    cucp.addPeer(amf);
    cucp.renderVariant(repo, 'edge01-cu-cp', variant('deployments/production/edge01/cu-cp', 'edge01', {}));
    const problems = synthProblems(() => repo.synthTree());
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\[edge01-cu-cp\] interfaces: the Nephio OAI RAN operator reads interfaces n2, e1, f1c/),
      expect.stringMatching(/^\[edge01-cu-cp\] peers: the Nephio OAI RAN operator reads the NFDeployment of a peer with provider amf\.openairinterface\.org .*its peers "amf" \(amf\.free5gc\.io\) have another provider/),
      expect.stringMatching(/^\[edge01-cu-cp\] ran: .*set props\.ran/),
      expect.stringMatching(/^\[edge01-cu-cp\] slices: .*add CU-CP "cu-cp" to a NetworkSlice with an sd/),
    ]));
    expect(problems).toHaveLength(4);
  });

  test('RAN settings are validated', () => {
    const repo = new GitOpsRepository();
    new NetworkFunction(repo, 'du', { kind: NfKind.DU, ran: { plmn: { mcc: '1', mnc: '0001' }, tac: 2 ** 24, physicalCellId: 1008 } });
    new NetworkFunction(repo, 'nrf', { kind: NfKind.NRF, ran: { plmn: { mcc: '001', mnc: '01' }, tac: 1 } });
    expect(synthProblems(() => repo.synthTree())).toEqual([
      '[du] props.ran.physicalCellId: 1008 must be a whole number from 0 to 1007',
      '[du] props.ran.plmn.mcc: "1" must be 3 digits, e.g. "001"',
      '[du] props.ran.plmn.mnc: "0001" must be 2 or 3 digits, e.g. "01"',
      '[du] props.ran.tac: 16777216 must be a whole number from 0 to 16777215 (24 bits)',
      expect.stringMatching(/^\[nrf\] props\.ran: is read only by the OAI RAN operator/),
    ]);
  });

  test('two OAI NFs of one kind in one namespace are refused: the operator names their Deployment after the kind', () => {
    const repo = new GitOpsRepository();
    new NetworkFunction(repo, 'du-a', { kind: NfKind.DU, namespace: 'ran' });
    new NetworkFunction(repo, 'du-b', { kind: NfKind.DU, namespace: 'ran' });
    new NetworkFunction(repo, 'du-c', { kind: NfKind.DU, namespace: 'ran-c' });
    expect(synthProblems(() => repo.synthTree())).toEqual([
      '[du-a] namespace: the Nephio OAI RAN operator names the Deployment it creates for every DU "oai-du" (nephio-project/oai internal/controller/resources_du.go); "du-a", "du-b" share namespace "ran": give each its own namespace',
      '[du-b] namespace: the Nephio OAI RAN operator names the Deployment it creates for every DU "oai-du" (nephio-project/oai internal/controller/resources_du.go); "du-a", "du-b" share namespace "ran": give each its own namespace',
    ]);
  });

  test('overrides the operator ignores are reported as warnings on the variant', () => {
    const repo = new GitOpsRepository();
    const upf = upfIn(repo);
    upf.renderVariant(repo, 'edge01-upf', variant('deployments/production/edge01/upf', 'edge01', UPF_ADDRESSES, { overrides: { replicas: 3, resources: { limits: { cpu: '4' } } } }));
    const { warnings } = repo.synthTree();
    expect(warnings.map(w => `[${w.path}] ${w.field}`)).toEqual(['[edge01-upf] overrides.replicas', '[edge01-upf] overrides.resources']);
  });
});

describe('workload model', () => {
  test('an NRF variant holds our workload, its attachments named in the Multus annotation, and a local-config NFDeployment', () => {
    const repo = new GitOpsRepository();
    const nrf = new NetworkFunction(repo, 'nrf', { kind: NfKind.NRF, namespace: 'core' });
    nrf.addInterface({ type: InterfaceType.custom('sba'), networkInstance: 'vpc-internal' });
    nrf.renderVariant(repo, 'regional-nrf', variant('deployments/production/regional/nrf', 'regional', { sba: address('vpc-internal', 9) }));
    const objects = objectsOf(repo.synthTree().tree, 'deployments/production/regional/nrf');

    expect(objects.map(o => o.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'NFDeployment', 'NetworkAttachmentDefinition', 'Service', 'ServiceAccount']);
    const nfDeployment = objects.find(o => o.kind === 'NFDeployment')!;
    expect(nfDeployment.metadata.annotations).toEqual({ 'config.kubernetes.io/local-config': 'true' });
    expect(nfDeployment.spec.interfaces).toEqual([{ name: 'sba', ipv4: { address: '10.0.4.9/24', gateway: '10.0.4.1' } }]);
    const deployment = objects.find(o => o.kind === 'Deployment')!;
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    const selections = JSON.parse(deployment.spec.template.metadata.annotations['k8s.v1.cni.cncf.io/networks']);
    expect(selections).toEqual([{ name: 'nrf-sba', interface: 'sba', ips: ['10.0.4.9/24'], gateways: ['10.0.4.1'] }]);
    // Multus finds each selected attachment in the pod's namespace.
    for (const selection of selections) {
      const attachment = nad(objects, selection.name);
      expect(attachment.object.metadata.namespace).toBe(deployment.metadata.namespace);
      expect(attachment.config.plugins[0].ipam.addresses[0].address).toBe(selection.ips[0]);
    }
    expect(nrf.podSelectorLabels).toEqual({ 'app.kubernetes.io/instance': 'nrf' });
  });
});

describe('objects added to the blueprint', () => {
  test('reach every variant, rendered, reused or not, in both models', () => {
    const repo = new GitOpsRepository();
    const nrf = new NetworkFunction(repo, 'nrf', { kind: NfKind.NRF, namespace: 'core' });
    new ApiObject(nrf.blueprint, 'pdb', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'nrf' },
      spec: { minAvailable: 1, selector: { matchLabels: { 'app.kubernetes.io/instance': 'nrf' } } },
    });
    nrf.renderVariant(repo, 'a', variant('deployments/production/a/nrf', 'a', {}));
    nrf.renderVariant(repo, 'b', variant('deployments/production/b/nrf', 'b', {}, { overrides: { replicas: 3 } }));
    const upf = upfIn(repo);
    new ApiObject(upf.blueprint, 'extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'upf-extra' }, data: { a: '1' } });
    upf.renderVariant(repo, 'c', variant('deployments/production/c/upf', 'c', UPF_ADDRESSES));
    const { tree } = repo.synthTree();
    for (const dir of ['packages/network-functions/nrf', 'deployments/production/a/nrf', 'deployments/production/b/nrf']) {
      const pdb = objectAt(tree, `${dir}/poddisruptionbudget_nrf.yaml`);
      expect(pdb.metadata.namespace).toBe('core');
      expect(pdb.spec.minAvailable).toBe(1);
    }
    expect(objectAt(tree, 'deployments/production/c/upf/configmap_upf-extra.yaml')).toMatchObject({ metadata: { name: 'upf-extra', namespace: 'upf' }, data: { a: '1' } });
  });
});
