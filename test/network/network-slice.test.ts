import { Construct } from 'constructs';
import { filesOf, objectAt, synthProblems } from './support';
import { KptFunction } from '../../src/kpt';
import { InterfaceType, NetworkFunction, NetworkSlice, NfDeploymentModel, NfKind, SliceServiceType } from '../../src/network';
import { GitOpsRepository, RepoTree } from '../../src/repo';

const EMBB_DIR = 'packages/slices/embb';

/** The NFs of these tests are named after their kind; the OAI operator labels its pods by kind. */
const OAI_POD_NAMES: Record<string, string> = { 'oai-cu-cp': 'cu-cp', 'oai-cu-up': 'cu-up', 'oai-du': 'du' };

/**
 * The NF a pod selector selects: its own workload's instance label, the free5gc operator's
 * `name` label, or the OAI operator's per-kind name.
 */
function selected(matchLabels: Record<string, string>): string {
  return matchLabels['app.kubernetes.io/instance'] ?? matchLabels.name ?? OAI_POD_NAMES[matchLabels['app.kubernetes.io/name']];
}

/** One line per allowed flow of a member's NetworkPolicy: `in <peer> TCP/8000` or `out <peer> UDP/8805`. */
function flows(tree: RepoTree, sliceDir: string, nf: string, slice = 'embb'): string[] {
  const spec = objectAt(tree, `${sliceDir}/networkpolicy_${slice}-allow-${nf}.yaml`).spec;
  expect(selected(spec.podSelector.matchLabels)).toBe(nf);
  expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
  const peerName = (peer: any) => peer.ipBlock ? peer.ipBlock.cidr
    : `${peer.namespaceSelector ? peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name'] + '/' : ''}${selected(peer.podSelector.matchLabels)}`;
  const lines: string[] = [];
  for (const rule of spec.ingress ?? []) {
    for (const peer of rule.from) for (const port of rule.ports) lines.push(`in ${peerName(peer)} ${port.protocol}/${port.port}`);
  }
  for (const rule of spec.egress ?? []) {
    for (const peer of rule.to) {
      if (!rule.ports) lines.push(`out ${peerName(peer)} any`);
      for (const port of rule.ports ?? []) lines.push(`out ${peerName(peer)} ${port.protocol}/${port.port}`);
    }
  }
  return lines.sort();
}

/** A 5G core and a split RAN, every NF in the slice's namespace. */
function fullSlice(repo: Construct) {
  const slice = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB, sd: '000001' });
  const nfs: Record<string, NetworkFunction> = {};
  for (const kind of NfKind.catalog) {
    nfs[kind.name] = new NetworkFunction(repo, kind.name, { kind, namespace: slice.namespace });
    slice.addNetworkFunction(nfs[kind.name]);
  }
  return { slice, nfs };
}

describe('NetworkSlice package', () => {
  test('writes its Namespace, a ResourceQuota, default-deny, DNS egress and one allowance per member in its namespace', () => {
    const repo = new GitOpsRepository();
    const slice = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB, sd: '000001' });
    slice.addNetworkFunction(new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, namespace: slice.namespace }));
    slice.addNetworkFunction(new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, namespace: slice.namespace }));
    slice.addNetworkFunction(new NetworkFunction(repo, 'amf', { kind: NfKind.AMF, namespace: 'core' }));
    const { tree, warnings } = repo.synthTree();

    expect(warnings).toEqual([]);
    expect(filesOf(tree, EMBB_DIR)).toEqual([
      'Kptfile',
      'namespace_embb.yaml',
      'networkpolicy_embb-allow-dns.yaml',
      'networkpolicy_embb-allow-smf.yaml',
      'networkpolicy_embb-allow-upf.yaml',
      'networkpolicy_embb-default-deny.yaml',
      'package-context.yaml',
      'resourcequota_embb.yaml',
    ]);
    const labels = { 'app.kubernetes.io/part-of': 'embb', 'app.kubernetes.io/component': 'network-slice' };
    expect(objectAt(tree, `${EMBB_DIR}/Kptfile`)).toMatchObject({
      metadata: { name: 'embb' },
      info: { description: 'network slice eMBB (sst 1 sd 000001)' },
      pipeline: {
        mutators: [
          { image: 'gcr.io/kpt-fn/set-namespace:v0.4.1', configMap: { namespace: 'embb' } },
          { image: 'gcr.io/kpt-fn/set-labels:v0.2.0', configMap: labels },
        ],
        validators: [
          expect.objectContaining({ name: 'policy-enforcer', configMap: { profile: 'relaxed' } }),
          expect.objectContaining({ name: 'kubeconform', image: 'gcr.io/kpt-fn/kubeconform:v0.1.1' }),
        ],
      },
    });
    expect(objectAt(tree, `${EMBB_DIR}/namespace_embb.yaml`)).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'embb', labels } });
    expect(objectAt(tree, `${EMBB_DIR}/networkpolicy_embb-default-deny.yaml`)).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'embb-default-deny', namespace: 'embb', labels },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    expect(objectAt(tree, `${EMBB_DIR}/networkpolicy_embb-allow-dns.yaml`).spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    });
    // The AMF lives in its own namespace: a peer of the SMF, reached through its namespace.
    expect(flows(tree, EMBB_DIR, 'smf')).toEqual([
      'in core/amf TCP/8000',
      'in upf UDP/8805',
      'out core/amf TCP/8000',
      'out upf UDP/8805',
    ]);
    expect(flows(tree, EMBB_DIR, 'upf')).toEqual([
      'in smf UDP/8805',
      'out 0.0.0.0/0 any',
      'out ::/0 any',
      'out smf UDP/8805',
    ]);
    expect(tree.pathsUnder(EMBB_DIR).filter(p => p.includes('amf'))).toEqual([]);
  });

  test('the allowances of a full core and split RAN are exactly the 3GPP and O-RAN reference points between them', () => {
    const repo = new GitOpsRepository();
    fullSlice(repo);
    const { tree } = repo.synthTree();
    const sbi = (peers: string[]) => peers.flatMap(p => [`in ${p} TCP/8000`, `out ${p} TCP/8000`]);

    expect(flows(tree, EMBB_DIR, 'amf')).toEqual([
      ...sbi(['ausf', 'nrf', 'nssf', 'pcf', 'smf', 'udm']),
      'in cu-cp SCTP/38412',
    ].sort());
    expect(flows(tree, EMBB_DIR, 'smf')).toEqual([
      ...sbi(['amf', 'nrf', 'pcf', 'udm']),
      'in upf UDP/8805', 'out upf UDP/8805',
    ].sort());
    expect(flows(tree, EMBB_DIR, 'nrf')).toEqual(sbi(['amf', 'ausf', 'nssf', 'pcf', 'smf', 'udm', 'udr']).sort());
    expect(flows(tree, EMBB_DIR, 'ausf')).toEqual(sbi(['amf', 'nrf', 'udm']).sort());
    expect(flows(tree, EMBB_DIR, 'udm')).toEqual(sbi(['amf', 'ausf', 'nrf', 'smf', 'udr']).sort());
    expect(flows(tree, EMBB_DIR, 'udr')).toEqual(sbi(['nrf', 'pcf', 'udm']).sort());
    expect(flows(tree, EMBB_DIR, 'pcf')).toEqual(sbi(['amf', 'nrf', 'smf', 'udr']).sort());
    expect(flows(tree, EMBB_DIR, 'nssf')).toEqual(sbi(['amf', 'nrf']).sort());
    expect(flows(tree, EMBB_DIR, 'upf')).toEqual([
      'in cu-up UDP/2152', 'in smf UDP/8805',
      'out 0.0.0.0/0 any', 'out ::/0 any', 'out cu-up UDP/2152', 'out smf UDP/8805',
    ]);
    expect(flows(tree, EMBB_DIR, 'cu-cp')).toEqual([
      'in cu-up SCTP/38462', 'in du SCTP/38472',
      'out amf SCTP/38412', 'out near-rt-ric SCTP/36421',
    ]);
    expect(flows(tree, EMBB_DIR, 'cu-up')).toEqual([
      'in du UDP/2152', 'in upf UDP/2152',
      'out cu-cp SCTP/38462', 'out du UDP/2152', 'out near-rt-ric SCTP/36421', 'out upf UDP/2152',
    ]);
    expect(flows(tree, EMBB_DIR, 'du')).toEqual([
      'in cu-up UDP/2152',
      'out cu-cp SCTP/38472', 'out cu-up UDP/2152', 'out near-rt-ric SCTP/36421',
    ]);
    expect(flows(tree, EMBB_DIR, 'near-rt-ric')).toEqual(['in cu-cp SCTP/36421', 'in cu-up SCTP/36421', 'in du SCTP/36421']);
  });

  test('reference points both ends attach to a secondary network get no pod-network allowance', () => {
    const repo = new GitOpsRepository();
    const slice = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB });
    const smf = new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, namespace: 'embb' });
    const upf = new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, namespace: 'embb' });
    const cuUp = new NetworkFunction(repo, 'cu-up', { kind: NfKind.CU_UP, namespace: 'embb' });
    upf.addInterface({ type: InterfaceType.N4, networkInstance: 'vpc-internal' });
    upf.addInterface({ type: InterfaceType.N6, networkInstance: 'vpc-internet' });
    upf.addInterface({ type: InterfaceType.N3, networkInstance: 'vpc-ran' });
    smf.addInterface({ type: InterfaceType.N4, networkInstance: 'vpc-internal' });
    // The CU-UP keeps N3 on the pod network, so the UPF's N3 still needs the allowance.
    for (const nf of [smf, upf, cuUp]) slice.addNetworkFunction(nf);
    const { tree } = repo.synthTree();

    expect(flows(tree, EMBB_DIR, 'upf')).toEqual(['in cu-up UDP/2152', 'out cu-up UDP/2152']);
    expect(objectAt(tree, `${EMBB_DIR}/networkpolicy_embb-allow-smf.yaml`).spec).toEqual({
      podSelector: { matchLabels: smf.podSelectorLabels },
      policyTypes: ['Ingress', 'Egress'],
    });
  });

  test('an NF serving two slices gets both profiles, and its allowances cover the peers of both', () => {
    const repo = new GitOpsRepository();
    const urllc = new NetworkSlice(repo, 'urllc', {
      serviceType: SliceServiceType.URLLC,
      sd: 'A0B1C2',
      qos: { fiveQi: 82, guaranteedBitRateUplink: '10 Mbps', guaranteedBitRateDownlink: '20 Mbps', maximumBitRateUplink: '20 Mbps', maximumBitRateDownlink: '40 Mbps' },
    });
    const embb = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB, sd: '000001' });
    // The workload model: the slice profiles are written into their own ConfigMaps.
    const deploymentModel = NfDeploymentModel.WORKLOAD;
    const amf = new NetworkFunction(repo, 'amf', { kind: NfKind.AMF, namespace: 'embb', configuration: { mcc: '001' }, deploymentModel });
    const smfE = new NetworkFunction(repo, 'smf-embb', { kind: NfKind.SMF, namespace: 'embb', deploymentModel });
    const upfE = new NetworkFunction(repo, 'upf-embb', { kind: NfKind.UPF, namespace: 'embb', deploymentModel });
    const smfU = new NetworkFunction(repo, 'smf-urllc', { kind: NfKind.SMF, namespace: 'urllc', deploymentModel });
    const upfU = new NetworkFunction(repo, 'upf-urllc', { kind: NfKind.UPF, namespace: 'urllc', deploymentModel });
    for (const nf of [amf, smfE, upfE]) embb.addNetworkFunction(nf);
    for (const nf of [amf, smfU, upfU]) urllc.addNetworkFunction(nf);
    const { tree } = repo.synthTree();

    const data = objectAt(tree, 'packages/network-functions/amf/configmap_amf-config.yaml').data;
    expect(Object.keys(data)).toEqual(['mcc', 'slice-profiles', 'snssai']);
    expect(JSON.parse(data.snssai)).toEqual([{ sst: 1, sd: '000001' }, { sst: 2, sd: 'a0b1c2' }]);
    expect(JSON.parse(data['slice-profiles'])).toEqual([
      { name: 'embb', snssai: { sst: 1, sd: '000001' }, serviceType: 'eMBB', qos: { fiveQi: 9 } },
      {
        name: 'urllc',
        snssai: { sst: 2, sd: 'a0b1c2' },
        serviceType: 'URLLC',
        qos: { fiveQi: 82, guaranteedBitRateUplink: '10 Mbps', guaranteedBitRateDownlink: '20 Mbps', maximumBitRateUplink: '20 Mbps', maximumBitRateDownlink: '40 Mbps' },
      },
    ]);
    expect(JSON.parse(objectAt(tree, 'packages/network-functions/smf-urllc/configmap_smf-urllc-config.yaml').data.snssai)).toEqual([{ sst: 2, sd: 'a0b1c2' }]);
    expect(amf.sliceProfiles.map(p => p.name)).toEqual(['embb', 'urllc']);

    // The AMF lives in the eMBB namespace but serves URLLC too: its allowance reaches the URLLC SMF.
    expect(flows(tree, EMBB_DIR, 'amf')).toEqual(['in smf-embb TCP/8000', 'in urllc/smf-urllc TCP/8000', 'out smf-embb TCP/8000', 'out urllc/smf-urllc TCP/8000']);
    expect(flows(tree, 'packages/slices/urllc', 'smf-urllc', 'urllc')).toEqual([
      'in embb/amf TCP/8000', 'in upf-urllc UDP/8805', 'out embb/amf TCP/8000', 'out upf-urllc UDP/8805',
    ]);
  });

  test('the ResourceQuota counts replicas and rolling-update surge, limiting only resources every NF declares', () => {
    const repo = new GitOpsRepository();
    const slice = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB });
    // The workload model: their own Deployments, sized here.
    const deploymentModel = NfDeploymentModel.WORKLOAD;
    const smf = new NetworkFunction(repo, 'smf', {
      kind: NfKind.SMF,
      namespace: 'embb',
      replicas: 3,
      deploymentModel,
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    });
    const upf = new NetworkFunction(repo, 'upf', {
      kind: NfKind.UPF,
      namespace: 'embb',
      replicas: 2,
      hostNetwork: true,
      deploymentModel,
      resources: { requests: { cpu: '2', memory: '1Gi' } },
    });
    const amf = new NetworkFunction(repo, 'amf', { kind: NfKind.AMF, namespace: 'core', replicas: 5, deploymentModel });
    for (const nf of [smf, upf, amf]) slice.addNetworkFunction(nf);
    const { tree, warnings } = repo.synthTree();
    expect(warnings.map(w => w.message)).toEqual(['upf runs on the host network, where NetworkPolicies do not reliably apply; its allowances in "embb" may not isolate it']);
    // SMF: 3 replicas + 1 surge; UPF: 2, replaced without surge (host network); the AMF is elsewhere.
    expect(objectAt(tree, `${EMBB_DIR}/resourcequota_embb.yaml`)).toEqual({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'embb', namespace: 'embb', labels: { 'app.kubernetes.io/part-of': 'embb', 'app.kubernetes.io/component': 'network-slice' } },
      spec: { hard: { 'pods': '6', 'requests.cpu': '6000m', 'requests.memory': '4096Mi' } },
    });
  });

  test('an explicit quota is written as given', () => {
    const repo = new GitOpsRepository();
    const slice = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB, quota: { requestsCpu: '8', limitsMemory: '32Gi', pods: 20 } });
    slice.addNetworkFunction(new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, namespace: 'embb' }));
    slice.addNetworkFunction(new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, namespace: 'embb' }));
    expect(objectAt(repo.synthTree().tree, `${EMBB_DIR}/resourcequota_embb.yaml`).spec)
      .toEqual({ hard: { 'limits.memory': '32Gi', 'pods': '20', 'requests.cpu': '8' } });
  });

  test('a custom kind playing the UPF role serves a slice as a UPF', () => {
    const repo = new GitOpsRepository();
    const vendorUpf = NfKind.custom({ name: 'vendor-upf', provider: 'upf.vendor.example.com', role: NfKind.UPF, image: 'registry.example.com/vendor/upf:24.1' });
    const slice = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB });
    slice.addNetworkFunction(new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, namespace: 'embb' }));
    slice.addNetworkFunction(new NetworkFunction(repo, 'upf', { kind: vendorUpf, namespace: 'embb' }));
    const { tree } = repo.synthTree();
    expect(flows(tree, EMBB_DIR, 'smf')).toEqual(['in upf UDP/8805', 'out upf UDP/8805']);
  });

  test('renderVariant writes the same objects under the cluster folder; later members reach it', () => {
    const repo = new GitOpsRepository();
    const slice = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB, sd: '000001' });
    const dir = 'deployments/production/edge01/slice-embb';
    const variant = slice.renderVariant(repo, 'edge01-embb', {
      path: dir,
      target: { name: 'edge01', environment: 'production', labels: {} },
      overrides: { replicas: 4, image: 'ignored/for:slices' },
      upstreamRepo: 'https://git.example.com/fleet.git',
      upstreamRef: 'v3',
      mutators: [KptFunction.setLabels({ 'nephio.org/cluster': 'edge01' })],
    });
    slice.addNetworkFunction(new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, namespace: 'embb' }));
    slice.addNetworkFunction(new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, namespace: 'embb' }));
    const { tree } = repo.synthTree();

    expect(variant.packagePath).toBe(dir);
    expect(filesOf(tree, dir)).toEqual(filesOf(tree, EMBB_DIR));
    expect(objectAt(tree, `${dir}/Kptfile`).upstream.git).toEqual({ repo: 'https://git.example.com/fleet.git', directory: EMBB_DIR, ref: 'v3' });
    expect(flows(tree, dir, 'upf')).toEqual(flows(tree, EMBB_DIR, 'upf'));
    expect(objectAt(tree, `${dir}/networkpolicy_embb-default-deny.yaml`).metadata.labels).toEqual({
      'app.kubernetes.io/part-of': 'embb', 'app.kubernetes.io/component': 'network-slice', 'nephio.org/cluster': 'edge01',
    });
    expect(slice.namespaces).toEqual(['embb']);
  });

  test('synth is deterministic', () => {
    const build = () => {
      const repo = new GitOpsRepository();
      fullSlice(repo);
      return repo;
    };
    const repo = build();
    const first = repo.synthTree().tree;
    expect(repo.synthTree().tree.equals(first)).toBe(true);
    expect(build().synthTree().tree.equals(first)).toBe(true);
  });
});

describe('NetworkSlice validation', () => {
  test('a slice without an SMF and a UPF is an error', () => {
    const repo = new GitOpsRepository();
    new NetworkSlice(repo, 'empty', { serviceType: SliceServiceType.EMBB });
    const noUpf = new NetworkSlice(repo, 'no-upf', { serviceType: SliceServiceType.URLLC });
    noUpf.addNetworkFunction(new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, namespace: 'no-upf' }));
    expect(synthProblems(() => repo.synthTree())).toEqual([
      '[empty] networkFunctions: a slice needs an SMF and a UPF to carry sessions; it has no SMF and no UPF: add them with addNetworkFunction()',
      '[no-upf] networkFunctions: a slice needs an SMF and a UPF to carry sessions; it has no UPF: add them with addNetworkFunction()',
    ]);
  });

  test('two slices with one S-NSSAI anywhere in the repository are reported once, naming both', () => {
    const repo = new GitOpsRepository();
    const region = new Construct(repo, 'region-a');
    const core = (scope: Construct, slice: NetworkSlice) => {
      slice.addNetworkFunction(new NetworkFunction(scope, `smf-${slice.name}`, { kind: NfKind.SMF, namespace: slice.namespace }));
      slice.addNetworkFunction(new NetworkFunction(scope, `upf-${slice.name}`, { kind: NfKind.UPF, namespace: slice.namespace }));
    };
    core(repo, new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB, sd: '00000A' }));
    core(region, new NetworkSlice(region, 'embb-a', { serviceType: SliceServiceType.custom(1), sd: '00000a' }));
    core(repo, new NetworkSlice(repo, 'embb-plain', { serviceType: SliceServiceType.EMBB }));
    core(repo, new NetworkSlice(repo, 'embb-plain-2', { serviceType: SliceServiceType.EMBB, namespace: 'embb-plain' }));
    expect(synthProblems(() => repo.synthTree())).toEqual([
      '[embb-plain-2] namespace: namespace "embb-plain" is already the namespace of slice embb-plain; each slice needs its own namespace',
      '[embb-plain-2] snssai: S-NSSAI sst 1 is already used by slice embb-plain; every slice needs its own S-NSSAI (change sd or the service type)',
      '[region-a/embb-a] snssai: S-NSSAI sst 1 sd 00000a is already used by slice embb; every slice needs its own S-NSSAI (change sd or the service type)',
    ]);
  });

  test('invalid SST, SD, 5QI, bit rates and quota are reported at once with what is valid', () => {
    const repo = new GitOpsRepository();
    const bad = new NetworkSlice(repo, 'bad', {
      serviceType: SliceServiceType.custom(256),
      sd: '12345G',
      qos: { fiveQi: 0, maximumBitRateUplink: '100 MB/s' },
      quota: { requestsCpu: 'many', pods: -1 },
    });
    const gbr = new NetworkSlice(repo, 'gbr', {
      serviceType: SliceServiceType.URLLC,
      sd: 'ffffff',
      qos: { fiveQi: 9, guaranteedBitRateUplink: '50 Mbps', maximumBitRateUplink: '10 Mbps' },
    });
    for (const slice of [bad, gbr]) {
      slice.addNetworkFunction(new NetworkFunction(repo, `smf-${slice.name}`, { kind: NfKind.SMF, namespace: slice.namespace }));
      slice.addNetworkFunction(new NetworkFunction(repo, `upf-${slice.name}`, { kind: NfKind.UPF, namespace: slice.namespace }));
    }
    const problems = synthProblems(() => repo.synthTree());
    expect(problems).toEqual([
      '[bad] props.qos.fiveQi: 5QI 0 must be a whole number from 1 to 255; standardized 5QIs are 1-10, 65-67, 69-74, 76, 79, 80 and 82-90 (TS 23.501 table 5.7.4-1); 128-254 are operator-specific',
      '[bad] props.qos.maximumBitRateUplink: "100 MB/s" is not a bit rate; write a number and a unit, e.g. "100 Mbps" (bps, Kbps, Mbps, Gbps, Tbps)',
      '[bad] props.quota.pods: -1 must be a whole number of pods, 0 or more',
      '[bad] props.quota.requestsCpu: "many" is not a Kubernetes quantity; use e.g. "500m", "2", "512Mi" or "10G"',
      '[bad] props.sd: SD "12345G" must be exactly 6 hexadecimal digits, e.g. "000001" (or omitted)',
      '[bad] props.serviceType: SST 256 must be a whole number from 0 to 255 (1 eMBB, 2 URLLC, 3 mMTC, 4 V2X, 128-255 operator-specific)',
      '[gbr] props.qos.fiveQi: 5QI 9 is a Non-GBR 5QI, so the slice cannot guarantee a bit rate; use a GBR 5QI (1-4, 65-67, 71-74, 76, 82-90) or drop the guaranteed bit rates',
      '[gbr] props.qos.guaranteedBitRateUplink: 50 Mbps exceeds the maximum bit rate 10 Mbps; the guaranteed uplink rate must not be above the maximum',
      '[gbr] props.sd: SD "ffffff" is reserved by 3GPP to mean "no SD"; omit sd instead',
    ]);
  });

  test('membership errors: an NF of another repository, an NF added twice, something that is not an NF', () => {
    const repo = new GitOpsRepository();
    const other = new GitOpsRepository();
    const slice = new NetworkSlice(repo, 'embb', { serviceType: SliceServiceType.EMBB });
    const smf = new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, namespace: 'embb' });
    slice.addNetworkFunction(smf);
    slice.addNetworkFunction(smf);
    slice.addNetworkFunction(new NetworkFunction(other, 'upf', { kind: NfKind.UPF }));
    slice.addNetworkFunction({} as NetworkFunction);
    expect(synthProblems(() => repo.synthTree())).toEqual([
      '[embb] networkFunctions: a slice needs an SMF and a UPF to carry sessions; it has no UPF: add them with addNetworkFunction()',
      '[embb] networkFunctions: addNetworkFunction() takes a NetworkFunction',
      '[embb] networkFunctions: smf already serves this slice; add each NF once',
      '[embb] networkFunctions: upf belongs to another repository (construct tree); a slice can only be served by NFs of its own GitOpsRepository',
    ]);
  });

  test('doubtful values are warnings: an unknown 5QI, a GBR 5QI without a guarantee, a namespace holding none of its NFs', () => {
    const repo = new GitOpsRepository();
    const slice = new NetworkSlice(repo, 'iot', { serviceType: SliceServiceType.MMTC, qos: { fiveQi: 11 } });
    const gbr = new NetworkSlice(repo, 'voice', { serviceType: SliceServiceType.custom(130, 'voice'), qos: { fiveQi: 1 } });
    for (const s of [slice, gbr]) {
      s.addNetworkFunction(new NetworkFunction(repo, `smf-${s.name}`, { kind: NfKind.SMF, namespace: 'core' }));
      s.addNetworkFunction(new NetworkFunction(repo, `upf-${s.name}`, { kind: NfKind.UPF, namespace: s.namespace }));
    }
    const orphan = new NetworkSlice(repo, 'orphan', { serviceType: SliceServiceType.V2X });
    orphan.addNetworkFunction(new NetworkFunction(repo, 'smf-orphan', { kind: NfKind.SMF, namespace: 'core' }));
    orphan.addNetworkFunction(new NetworkFunction(repo, 'upf-orphan', { kind: NfKind.UPF, namespace: 'core' }));
    const { warnings } = repo.synthTree();
    expect(warnings.map(w => `[${w.path}] ${w.field}: ${w.message}`)).toEqual([
      '[iot] props.qos.fiveQi: 5QI 11 is neither standardized nor operator-specific; standardized 5QIs are 1-10, 65-67, 69-74, 76, 79, 80 and 82-90 (TS 23.501 table 5.7.4-1); 128-254 are operator-specific',
      '[voice] props.qos.fiveQi: 5QI 1 is a GBR 5QI but no guaranteed bit rate is set; set guaranteedBitRateUplink and guaranteedBitRateDownlink',
      '[orphan] namespace: none of the slice\'s NFs lives in its namespace "orphan", so its NetworkPolicies isolate nothing; create the slice\'s dedicated NFs with namespace: slice.namespace',
    ]);
  });
});
