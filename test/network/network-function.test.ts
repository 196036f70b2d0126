import { Protocol } from 'cdk8s-plus-28';
import { parse } from 'yaml';
import { filesOf, objectAt, synthProblems } from './support';
import { KptFunction } from '../../src/kpt';
import { InterfaceType, NetworkFunction, NfDeploymentModel, NfKind } from '../../src/network';
import { DEFAULT_POLICY_ENFORCER_IMAGE } from '../../src/policy';
import { GitOpsRepository } from '../../src/repo';

const AMF_DIR = 'packages/network-functions/amf';
const UPF_DIR = 'packages/network-functions/upf';

function variantOptions(path: string, overrides = {}, mutators: KptFunction[] = []) {
  return {
    path,
    target: { name: 'edge01', environment: 'production', labels: { 'nephio.org/site-type': 'edge' } },
    overrides,
    upstreamRepo: 'https://git.example.com/fleet.git',
    upstreamRef: 'main',
    mutators,
  };
}

describe('NetworkFunction blueprint', () => {
  test('writes a kpt package with the workload, the NFDeployment and its pipeline', () => {
    // GIVEN
    const repo = new GitOpsRepository();
    // WHEN
    new NetworkFunction(repo, 'amf', { kind: NfKind.AMF, deploymentModel: NfDeploymentModel.WORKLOAD, namespace: 'core' });
    const { tree } = repo.synthTree();
    // THEN
    expect(filesOf(tree, AMF_DIR)).toEqual([
      'Kptfile',
      'configmap_amf-config.yaml',
      'deployment_amf.yaml',
      'nfdeployment_amf.yaml',
      'package-context.yaml',
      'service_amf.yaml',
      'serviceaccount_amf.yaml',
    ]);
    expect(objectAt(tree, `${AMF_DIR}/Kptfile`)).toEqual({
      apiVersion: 'kpt.dev/v1',
      kind: 'Kptfile',
      metadata: { name: 'amf', annotations: { 'config.kubernetes.io/local-config': 'true' } },
      info: { description: 'AMF network function (amf.free5gc.io, workload model)' },
      pipeline: {
        mutators: [
          { image: 'gcr.io/kpt-fn/set-namespace:v0.4.1', configMap: { namespace: 'core' } },
          {
            image: 'gcr.io/kpt-fn/set-labels:v0.2.0',
            configMap: { 'app.kubernetes.io/name': 'amf', 'app.kubernetes.io/instance': 'amf', 'app.kubernetes.io/component': '5g-core' },
          },
        ],
        // Declared for Porch and kpt fn render; synth has checked the same rules and schemas.
        validators: [
          { image: DEFAULT_POLICY_ENFORCER_IMAGE, name: 'policy-enforcer', configMap: { profile: 'relaxed' } },
          { image: 'gcr.io/kpt-fn/kubeconform:v0.1.1', name: 'kubeconform', configMap: { ignore_missing_schemas: 'true', strict: 'true' } },
        ],
      },
    });
    const labels = { 'app.kubernetes.io/name': 'amf', 'app.kubernetes.io/instance': 'amf', 'app.kubernetes.io/component': '5g-core' };
    for (const file of ['configmap_amf-config.yaml', 'deployment_amf.yaml', 'service_amf.yaml', 'serviceaccount_amf.yaml']) {
      const object = objectAt(tree, `${AMF_DIR}/${file}`);
      expect(object.metadata.namespace).toBe('core');
      expect(object.metadata.labels).toEqual(labels);
    }
    // In the workload model the NFDeployment is a record ConfigSync never applies (set-labels skips local config).
    expect(objectAt(tree, `${AMF_DIR}/nfdeployment_amf.yaml`)).toEqual({
      apiVersion: 'workload.nephio.org/v1alpha1',
      kind: 'NFDeployment',
      metadata: { name: 'amf', namespace: 'core', annotations: { 'config.kubernetes.io/local-config': 'true' } },
      spec: { provider: 'amf.free5gc.io' },
    });
  });

  test('the Deployment runs non-root, unprivileged, with stable names and selectors', () => {
    const repo = new GitOpsRepository();
    new NetworkFunction(repo, 'amf', { kind: NfKind.AMF, deploymentModel: NfDeploymentModel.WORKLOAD, namespace: 'core' });
    const { tree } = repo.synthTree();
    const deployment = objectAt(tree, `${AMF_DIR}/deployment_amf.yaml`);
    const text = tree.getText(`${AMF_DIR}/deployment_amf.yaml`)!;

    expect(text).not.toContain('cdk8s.io/metadata.addr');
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.selector.matchLabels).toEqual(expect.objectContaining({ 'app.kubernetes.io/instance': 'amf' }));
    expect(deployment.spec.template.metadata.labels).toEqual(expect.objectContaining(deployment.spec.selector.matchLabels));
    const pod = deployment.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('amf');
    expect(pod.hostNetwork).toBe(false);
    expect(pod.dnsPolicy).toBe('ClusterFirst');
    expect(deployment.metadata.annotations).toBeUndefined();
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 });
    expect(pod.containers).toHaveLength(1);
    const container = pod.containers[0];
    expect(container).toMatchObject({
      name: 'amf',
      image: 'docker.io/nephio/free5gc-amf:3.2.1',
      imagePullPolicy: 'Always',
      ports: [
        { name: 'sbi', containerPort: 8000, protocol: 'TCP' },
        { name: 'ngap', containerPort: 38412, protocol: 'SCTP' },
      ],
      securityContext: {
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      volumeMounts: [{ name: 'config', mountPath: '/etc/nf', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
    });
    // Nothing invented: no requests or limits unless given.
    expect(container.resources).toBeUndefined();
    expect(pod.volumes).toEqual([{ name: 'config', configMap: { name: 'amf-config' } }, { name: 'tmp', emptyDir: {} }]);

    const service = objectAt(tree, `${AMF_DIR}/service_amf.yaml`);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports).toEqual([
      { name: 'sbi', port: 8000, targetPort: 8000, protocol: 'TCP' },
      { name: 'ngap', port: 38412, targetPort: 38412, protocol: 'SCTP' },
    ]);
    expect(objectAt(tree, `${AMF_DIR}/serviceaccount_amf.yaml`).automountServiceAccountToken).toBe(false);
  });

  test('a data-plane kind gets its capabilities and runs as the image user, still unprivileged', () => {
    const repo = new GitOpsRepository();
    new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, deploymentModel: NfDeploymentModel.WORKLOAD });
    const { tree } = repo.synthTree();
    const pod = objectAt(tree, `${UPF_DIR}/deployment_upf.yaml`).spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(false);
    expect(pod.securityContext.runAsUser).toBeUndefined();
    expect(pod.containers[0].securityContext).toMatchObject({
      privileged: false,
      allowPrivilegeEscalation: false,
      capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
    });
    // The namespace defaults to the NF's name.
    expect(objectAt(tree, `${UPF_DIR}/deployment_upf.yaml`).metadata.namespace).toBe('upf');
  });

  test('requests and limits, digest-pinned images, replicas and configuration are rendered as given', () => {
    const repo = new GitOpsRepository();
    const digest = 'sha256:' + 'ab'.repeat(32);
    const smf = new NetworkFunction(repo, 'smf', {
      kind: NfKind.SMF,
      deploymentModel: NfDeploymentModel.WORKLOAD,
      image: `registry.example.com:5000/core/smf@${digest}`,
      replicas: 3,
      // Hugepages are never overcommitted: the request equals the limit (Kubernetes refuses anything else).
      resources: { requests: { 'cpu': '500m', 'memory': '512Mi', 'hugepages-1Gi': '1Gi' }, limits: { 'cpu': '2', 'memory': '2Gi', 'hugepages-1Gi': '1Gi' } },
      configuration: { mcc: '001', mnc: '01' },
      runAsUser: 1000,
      readOnlyRootFilesystem: false,
      configurationMountPath: '/free5gc/config',
    });
    smf.addConfiguration('logLevel', 'debug');
    const { tree } = repo.synthTree();

    const deployment = objectAt(tree, 'packages/network-functions/smf/deployment_smf.yaml');
    expect(deployment.spec.replicas).toBe(3);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe(`registry.example.com:5000/core/smf@${digest}`);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.resources).toEqual({
      requests: { 'cpu': '500m', 'memory': '512Mi', 'hugepages-1Gi': '1Gi' },
      limits: { 'cpu': '2', 'memory': '2Gi', 'hugepages-1Gi': '1Gi' },
    });
    // The hugepages are mounted as hugetlbfs of their page size.
    expect(container.volumeMounts).toContainEqual({ mountPath: '/dev/hugepages', name: 'hugepages-1gi' });
    expect(deployment.spec.template.spec.volumes).toContainEqual({ name: 'hugepages-1gi', emptyDir: { medium: 'HugePages-1Gi' } });
    expect(container.securityContext).toMatchObject({ runAsUser: 1000, runAsNonRoot: true, readOnlyRootFilesystem: false });
    expect(container.volumeMounts).toEqual([{ name: 'config', mountPath: '/free5gc/config', readOnly: true }, { mountPath: '/dev/hugepages', name: 'hugepages-1gi' }]);
    expect(objectAt(tree, 'packages/network-functions/smf/configmap_smf-config.yaml').data).toEqual({ mcc: '001', mnc: '01', logLevel: 'debug' });
  });

  test('a configuration change changes the pod template, so the pods roll', () => {
    const digestOf = (value: string) => {
      const repo = new GitOpsRepository();
      new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, deploymentModel: NfDeploymentModel.WORKLOAD, configuration: { logLevel: value } });
      return objectAt(repo.synthTree().tree, 'packages/network-functions/smf/deployment_smf.yaml')
        .spec.template.metadata.annotations['workload.nephio.org/configMapVersion'];
    };
    expect(digestOf('info')).toMatch(/^[0-9a-f]{16}$/);
    expect(digestOf('info')).toBe(digestOf('info'));
    expect(digestOf('info')).not.toBe(digestOf('debug'));
  });

  test('interfaces go into the NFDeployment, the Multus annotation, and a Recreate strategy (variants give each a static address)', () => {
    const repo = new GitOpsRepository();
    const upf = new NetworkFunction(repo, 'upf', {
      kind: NfKind.UPF,
      deploymentModel: NfDeploymentModel.WORKLOAD,
      namespace: 'upf',
      capacity: { maxUplinkThroughput: '1G', maxDownlinkThroughput: '5G', maxSessions: 100, maxSubscribers: 50, maxNfConnections: 4 },
      interfaces: [{ type: InterfaceType.N3, networkInstance: 'vpc-ran', ipv4Address: '10.0.3.7/24', ipv4Gateway: '10.0.3.1', vlanId: 103 }],
    });
    upf.addInterface({ type: InterfaceType.N4, networkInstance: 'vpc-internal' });
    upf.addInterface({ type: InterfaceType.N6, networkInstance: 'vpc-internet', dataNetworks: [{ name: 'internet', pools: ['10.60.0.0/16'] }] });
    upf.addInterface({ type: InterfaceType.N9, name: 'n9-core', networkInstance: 'vpc-internal' });
    const { tree } = repo.synthTree();

    expect(objectAt(tree, `${UPF_DIR}/nfdeployment_upf.yaml`).spec).toEqual({
      provider: 'upf.free5gc.io',
      capacity: { maxUplinkThroughput: '1G', maxDownlinkThroughput: '5G', maxSessions: 100, maxSubscribers: 50, maxNFConnections: 4 },
      interfaces: [
        { name: 'n3', ipv4: { address: '10.0.3.7/24', gateway: '10.0.3.1' }, vlanID: 103 },
        { name: 'n4' },
        { name: 'n6' },
        { name: 'n9-core' },
      ],
      networkInstances: [
        { name: 'vpc-ran', interfaces: ['n3'] },
        { name: 'vpc-internal', interfaces: ['n4', 'n9-core'] },
        { name: 'vpc-internet', interfaces: ['n6'], dataNetworks: [{ name: 'internet', pool: [{ prefix: '10.60.0.0/16' }] }] },
      ],
    });
    const deployment = objectAt(tree, `${UPF_DIR}/deployment_upf.yaml`);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(JSON.parse(deployment.spec.template.metadata.annotations['k8s.v1.cni.cncf.io/networks'])).toEqual([
      { name: 'upf-n3', interface: 'n3', ips: ['10.0.3.7/24'], gateways: ['10.0.3.1'] },
      { name: 'upf-n4', interface: 'n4' },
      { name: 'upf-n6', interface: 'n6' },
      { name: 'upf-n9-core', interface: 'n9-core' },
    ]);
  });

  test('without interfaces there is no Multus annotation and the Deployment rolls', () => {
    const repo = new GitOpsRepository();
    new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, deploymentModel: NfDeploymentModel.WORKLOAD });
    const deployment = objectAt(repo.synthTree().tree, `${UPF_DIR}/deployment_upf.yaml`);
    expect(Object.keys(deployment.spec.template.metadata.annotations)).toEqual(['workload.nephio.org/configMapVersion']);
    expect(deployment.spec.strategy.type).toBe('RollingUpdate');
  });

  test('ports given replace the kind\'s; addPort() adds to the container and the Service', () => {
    const repo = new GitOpsRepository();
    const nrf = new NetworkFunction(repo, 'nrf', { kind: NfKind.NRF, ports: [{ name: 'sbi', port: 8080 }] });
    nrf.addPort({ name: 'metrics', port: 9090, protocol: Protocol.TCP });
    const { tree } = repo.synthTree();
    expect(objectAt(tree, 'packages/network-functions/nrf/service_nrf.yaml').spec.ports.map((p: any) => `${p.name}:${p.port}/${p.protocol}`))
      .toEqual(['sbi:8080/TCP', 'metrics:9090/TCP']);
    expect(objectAt(tree, 'packages/network-functions/nrf/deployment_nrf.yaml').spec.template.spec.containers[0].ports.map((p: any) => p.containerPort))
      .toEqual([8080, 9090]);
    expect(nrf.ports).toEqual([{ name: 'sbi', port: 8080 }, { name: 'metrics', port: 9090, protocol: Protocol.TCP }]);
  });

  test('a custom kind takes its role\'s ports and interfaces, and any interface type', () => {
    const repo = new GitOpsRepository();
    const vendorUpf = NfKind.custom({ name: 'vendor-upf', provider: 'upf.vendor.example.com', role: NfKind.UPF, image: 'registry.example.com/vendor/upf:24.1' });
    const upf = new NetworkFunction(repo, 'upf', { kind: vendorUpf });
    upf.addInterface({ type: InterfaceType.E2, networkInstance: 'vpc-ric' });
    upf.addInterface({ type: InterfaceType.custom('sgi'), networkInstance: 'vpc-legacy' });
    const { tree } = repo.synthTree();
    expect(objectAt(tree, `${UPF_DIR}/nfdeployment_upf.yaml`).spec.provider).toBe('upf.vendor.example.com');
    const deployment = objectAt(tree, `${UPF_DIR}/deployment_upf.yaml`);
    expect(deployment.metadata.labels['app.kubernetes.io/name']).toBe('vendor-upf');
    expect(deployment.spec.template.spec.containers[0].ports.map((p: any) => p.name)).toEqual(['pfcp', 'gtpu']);
    expect(deployment.spec.template.spec.containers[0].securityContext.capabilities.add).toEqual(['NET_ADMIN']);
  });

  test('hostNetwork for a data-plane kind uses the Recreate strategy', () => {
    const repo = new GitOpsRepository();
    new NetworkFunction(repo, 'du', { kind: NfKind.DU, deploymentModel: NfDeploymentModel.WORKLOAD, hostNetwork: true });
    const deployment = objectAt(repo.synthTree().tree, 'packages/network-functions/du/deployment_du.yaml');
    expect(deployment.spec.template.spec.hostNetwork).toBe(true);
    expect(deployment.spec.template.spec.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(deployment.metadata.annotations).toEqual({ 'nephoran.io/host-network-reason': 'DU data plane (F1, F1-C, F1-U, E2) on the node\'s network' });
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(deployment.spec.template.spec.containers[0].securityContext.capabilities.add).toEqual(['NET_ADMIN', 'SYS_NICE']);
  });

  test('the host-network reason can be given, and must say something', () => {
    const repo = new GitOpsRepository();
    new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, deploymentModel: NfDeploymentModel.WORKLOAD, hostNetwork: true, hostNetworkReason: 'N3 and N6 on the node\'s SR-IOV ports' });
    expect(objectAt(repo.synthTree().tree, `${UPF_DIR}/deployment_upf.yaml`).metadata.annotations)
      .toEqual({ 'nephoran.io/host-network-reason': 'N3 and N6 on the node\'s SR-IOV ports' });

    const bad = new GitOpsRepository();
    new NetworkFunction(bad, 'upf', { kind: NfKind.UPF, deploymentModel: NfDeploymentModel.WORKLOAD, hostNetwork: true, hostNetworkReason: ' ' });
    new NetworkFunction(bad, 'smf', { kind: NfKind.SMF, deploymentModel: NfDeploymentModel.WORKLOAD, hostNetworkReason: 'PFCP' });
    expect(synthProblems(() => bad.synthTree())).toEqual([
      '[smf] props.hostNetworkReason: is only for an NF with hostNetwork: true',
      '[upf] props.hostNetworkReason: must say which interface needs the host network and why, e.g. "N3 on the node\'s SR-IOV port"',
    ]);
  });

  test('synth is deterministic: two synths, and two identical programs, give the same bytes', () => {
    const build = () => {
      const repo = new GitOpsRepository();
      const upf = new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, deploymentModel: NfDeploymentModel.WORKLOAD, configuration: { b: '2', a: '1' } });
      upf.addInterface({ type: InterfaceType.N3, networkInstance: 'vpc-ran', ipv4Address: '10.0.3.7/24' });
      new NetworkFunction(repo, 'amf', { kind: NfKind.AMF, deploymentModel: NfDeploymentModel.WORKLOAD, resources: { requests: { cpu: '1' } } });
      return repo;
    };
    const repo = build();
    const first = repo.synthTree().tree;
    expect(repo.synthTree().tree.equals(first)).toBe(true);
    expect(build().synthTree().tree.equals(first)).toBe(true);
  });
});

describe('NetworkFunction variants', () => {
  test('renderVariant writes the resources with overrides, upstream pointing at the blueprint and the extra mutators', () => {
    const repo = new GitOpsRepository();
    const amf = new NetworkFunction(repo, 'amf', {
      kind: NfKind.AMF,
      deploymentModel: NfDeploymentModel.WORKLOAD,
      namespace: 'core',
      configuration: { mcc: '001', logLevel: 'info' },
      resources: { requests: { cpu: '500m' } },
    });
    const dir = 'deployments/production/edge01/amf';
    const variant = amf.renderVariant(repo, 'edge01-amf', variantOptions(dir, {
      replicas: 2,
      image: 'docker.io/free5gc/amf:v3.4.4',
      resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
      configuration: { logLevel: 'warn', plmn: '00101' },
    }, [KptFunction.setLabels({ 'nephio.org/cluster': 'edge01' })]));
    // Later additions reach the variant too.
    amf.addConfiguration('tac', '0001');
    amf.addPort({ name: 'metrics', port: 9090 });
    const { tree } = repo.synthTree();

    expect(variant.packagePath).toBe(dir);
    expect(filesOf(tree, dir)).toEqual(filesOf(tree, AMF_DIR));
    const kptfile = objectAt(tree, `${dir}/Kptfile`);
    expect(kptfile.upstream).toEqual({
      type: 'git',
      git: { repo: 'https://git.example.com/fleet.git', directory: AMF_DIR, ref: 'main' },
      updateStrategy: 'resource-merge',
    });
    expect(kptfile.pipeline.mutators.map((m: any) => m.image)).toEqual([
      'gcr.io/kpt-fn/set-namespace:v0.4.1', 'gcr.io/kpt-fn/set-labels:v0.2.0', 'gcr.io/kpt-fn/set-labels:v0.2.0',
    ]);

    const deployment = objectAt(tree, `${dir}/deployment_amf.yaml`);
    expect(deployment.metadata).toMatchObject({ name: 'amf', namespace: 'core' });
    expect(deployment.metadata.labels).toEqual(expect.objectContaining({ 'nephio.org/cluster': 'edge01', 'app.kubernetes.io/instance': 'amf' }));
    expect(deployment.spec.replicas).toBe(2);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe('docker.io/free5gc/amf:v3.4.4');
    expect(container.resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } });
    expect(container.ports.map((p: any) => p.name)).toEqual(['sbi', 'ngap', 'metrics']);
    expect(objectAt(tree, `${dir}/configmap_amf-config.yaml`).data).toEqual({ logLevel: 'warn', mcc: '001', plmn: '00101', tac: '0001' });

    // The blueprint is unchanged by the overrides.
    const blueprint = objectAt(tree, `${AMF_DIR}/deployment_amf.yaml`);
    expect(blueprint.spec.replicas).toBe(1);
    expect(blueprint.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '500m' } });
    expect(objectAt(tree, `${AMF_DIR}/configmap_amf-config.yaml`).data).toEqual({ logLevel: 'info', mcc: '001', tac: '0001' });
    expect(amf.namespaces).toEqual(['core']);
  });

  test('variants with the same settings reuse one rendering, and still reflect what is added later', () => {
    const repo = new GitOpsRepository();
    const upf = new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, deploymentModel: NfDeploymentModel.WORKLOAD });
    const plain = upf.renderVariant(repo, 'plain', variantOptions('deployments/development/a/upf'));
    const scaled1 = upf.renderVariant(repo, 'scaled1', variantOptions('deployments/production/b/upf', { replicas: 3 }));
    const scaled2 = upf.renderVariant(repo, 'scaled2', variantOptions('deployments/production/c/upf', { replicas: 3 }));
    upf.addConfiguration('log-level', 'debug');
    // Only the first variant with new settings builds a workload; the others hold no constructs of their own.
    expect(plain.node.children).toHaveLength(0);
    expect(scaled1.node.children.length).toBeGreaterThan(0);
    expect(scaled2.node.children).toHaveLength(0);
    const tree = repo.synthTree().tree;
    expect(objectAt(tree, 'deployments/development/a/upf/deployment_upf.yaml').spec.replicas).toBe(1);
    expect(objectAt(tree, 'deployments/production/c/upf/deployment_upf.yaml').spec.replicas).toBe(3);
    for (const dir of ['deployments/development/a/upf', 'deployments/production/b/upf', 'deployments/production/c/upf']) {
      expect(objectAt(tree, `${dir}/configmap_upf-config.yaml`).data['log-level']).toBe('debug');
    }
    expect(tree.getText('deployments/production/c/upf/deployment_upf.yaml')).toBe(tree.getText('deployments/production/b/upf/deployment_upf.yaml'));
  });

  test('a resources override wins key by key: overriding limits keeps the blueprint requests', () => {
    const repo = new GitOpsRepository();
    const upf = new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, deploymentModel: NfDeploymentModel.WORKLOAD, resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } } });
    upf.renderVariant(repo, 'variant', variantOptions('deployments/production/edge01/upf', { resources: { limits: { memory: '8Gi' } } }));
    const deployment = objectAt(repo.synthTree().tree, 'deployments/production/edge01/upf/deployment_upf.yaml');
    expect(deployment.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '8Gi' } });
  });

  test('a variant without overrides renders the blueprint\'s resources byte for byte', () => {
    const repo = new GitOpsRepository();
    const smf = new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, deploymentModel: NfDeploymentModel.WORKLOAD, configuration: { a: '1' } });
    smf.renderVariant(repo, 'v', variantOptions('deployments/staging/edge02/smf'));
    const { tree } = repo.synthTree();
    for (const file of filesOf(tree, 'packages/network-functions/smf').filter(f => f.endsWith('.yaml') && f !== 'package-context.yaml')) {
      expect(tree.getText(`deployments/staging/edge02/smf/${file}`)).toBe(tree.getText(`packages/network-functions/smf/${file}`));
    }
  });
});

describe('NetworkFunction validation', () => {
  test('every invalid prop is reported at once, with the construct path, the field and what is valid', () => {
    const repo = new GitOpsRepository();
    new NetworkFunction(repo, 'Bad_NF', {
      kind: NfKind.AMF,
      deploymentModel: NfDeploymentModel.WORKLOAD,
      name: 'Bad_NF',
      namespace: '-core',
      image: 'docker.io/free5gc/amf',
      replicas: -1,
      resources: { requests: { cpu: 'lots', memory: '2Gi' }, limits: { memory: '1Gi' } },
      ports: [{ name: 'sbi', port: 8080 }, { name: 'sbi', port: 9090 }, { name: 'web', port: 70000 }],
      configuration: { 'snssai': '[]', 'bad key': 'x' },
      interfaces: [{ type: InterfaceType.N3, networkInstance: 'vpc-ran' }],
      capacity: { maxSessions: -5, maxUplinkThroughput: 'fast' },
      hostNetwork: true,
      configurationMountPath: 'etc/nf',
    });
    const problems = synthProblems(() => repo.synthTree());
    const expected = [
      '[Bad_NF] props.name: "Bad_NF" is not a DNS-1123 label',
      '[Bad_NF] props.namespace: "-core" is not a DNS-1123 label',
      '[Bad_NF] props.image: "docker.io/free5gc/amf" has neither a tag nor a digest',
      '[Bad_NF] props.replicas: -1 must be a whole number from 0 to 10000',
      '[Bad_NF] props.resources.requests.cpu: "lots" is not a Kubernetes quantity',
      '[Bad_NF] props.resources.requests.memory: request 2Gi is above the limit 1Gi',
      '[Bad_NF] ports: port 70000 of "web" must be an integer from 1 to 65535',
      '[Bad_NF] ports: port "sbi" (9090/TCP) clashes with port "sbi" (8080/TCP)',
      '[Bad_NF] configuration.snssai: "snssai" is written by the slices the NF serves',
      '[Bad_NF] configuration.bad key: "bad key" cannot be a ConfigMap key',
      '[Bad_NF] interfaces.n3: AMF has no N3 interface; it may have N2',
      '[Bad_NF] props.capacity.maxSessions: -5 must be a whole number',
      '[Bad_NF] props.capacity.maxUplinkThroughput: "fast" is not a Kubernetes quantity',
      '[Bad_NF] props.hostNetwork: only kinds whose data plane needs it (UPF, CU-UP, DU) may use the host network, not AMF',
      '[Bad_NF] props.configurationMountPath: "etc/nf" must be an absolute container path',
    ];
    for (const prefix of expected) expect(problems).toContainEqual(expect.stringContaining(prefix));
    // Each problem is reported once, on the prop, not again by every object rendered from it.
    expect(problems).toHaveLength(expected.length);
  });

  test('interface problems name the interface and what would be valid', () => {
    const repo = new GitOpsRepository();
    const upf = new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, deploymentModel: NfDeploymentModel.WORKLOAD });
    upf.addInterface({ type: InterfaceType.N3, networkInstance: 'vpc-ran', ipv4Address: '10.0.3.7', ipv4Gateway: '10.0.3.256', vlanId: 5000 });
    upf.addInterface({ type: InterfaceType.N4, networkInstance: 'VPC' });
    upf.addInterface({ type: InterfaceType.N4, networkInstance: 'vpc-internal' });
    upf.addInterface({ type: InterfaceType.N4, networkInstance: 'vpc-internal' });
    upf.addInterface({ type: InterfaceType.N9, name: 'n9-to-the-central-upf', networkInstance: 'vpc-internal' });
    upf.addInterface({ type: InterfaceType.N9, networkInstance: 'vpc-internal', dataNetworks: [{ name: 'internet' }] });
    upf.addInterface({ type: InterfaceType.N6, networkInstance: 'vpc-internet', dataNetworks: [{ name: '-bad', pools: ['10.60.0.0/33'] }] });
    upf.addInterface({ type: InterfaceType.N6, name: 'n6b', networkInstance: 'vpc-internet', ipv4Gateway: '10.0.6.1' });
    const problems = synthProblems(() => repo.synthTree());
    const expected = [
      '[upf] interfaces.n3: ipv4Address "10.0.3.7" must be an IPv4 address with prefix length',
      '[upf] interfaces.n3: ipv4Gateway "10.0.3.256" must be an IPv4 address',
      '[upf] interfaces.n3: vlanId 5000 must be a whole number from 1 to 4094',
      '[upf] interfaces.n4: networkInstance "VPC" is not a DNS-1123 label',
      '[upf] interfaces.n4: interface "n4" is attached twice',
      '[upf] interfaces.n9-to-the-central-upf: interface name "n9-to-the-central-upf" must be a DNS-1123 label of at most 15 characters',
      '[upf] interfaces.n9: dataNetworks belong on an N6 interface, not N9',
      '[upf] interfaces.n6: data network name "-bad" must be a DNN',
      '[upf] interfaces.n6: pool "10.60.0.0/33" of data network "-bad" must be a prefix',
      '[upf] interfaces.n6b: ipv4Gateway needs ipv4Address',
    ];
    for (const prefix of expected) expect(problems).toContainEqual(expect.stringContaining(prefix));
    expect(problems).toHaveLength(expected.length);
  });

  test('a custom kind\'s problems, a missing image and an NF without ports are reported', () => {
    const repo = new GitOpsRepository();
    const kind = NfKind.custom({ name: 'Probe', provider: 'not a domain', capabilities: ['CAP_NET_ADMIN', 'SYS_ADMIN'], ports: [{ name: 'x', port: 0 }] });
    new NetworkFunction(repo, 'probe', { kind });
    const problems = synthProblems(() => repo.synthTree());
    const expected = [
      '[probe] props.kind: custom kind name "Probe" is not a DNS-1123 label',
      '[probe] props.kind: custom kind provider "not a domain" is not a DNS-1123 subdomain',
      '[probe] props.kind: custom kind capability "CAP_NET_ADMIN" is not a capability name',
      '[probe] props.kind: custom kind capability "SYS_ADMIN" amounts to a privileged container',
      '[probe] props.kind: custom kind port: port 0 of "x" must be an integer from 1 to 65535',
      '[probe] props.image: kind "Probe" has no default image; set image',
      '[probe] ports: Probe "probe" has no port; its Service needs one',
    ];
    for (const prefix of expected) expect(problems).toContainEqual(expect.stringContaining(prefix));
  });

  test('invalid overrides are reported under the variant\'s construct path', () => {
    const repo = new GitOpsRepository();
    const amf = new NetworkFunction(repo, 'amf', { kind: NfKind.AMF, deploymentModel: NfDeploymentModel.WORKLOAD });
    amf.renderVariant(repo, 'edge01-amf', variantOptions('deployments/production/edge01/amf', {
      replicas: 1.5,
      image: 'Docker.io/AMF:latest',
      resources: { limits: { cpu: '-1' } },
      configuration: { 'slice-profiles': 'x' },
    }));
    const problems = synthProblems(() => repo.synthTree());
    const expected = [
      '[edge01-amf] overrides.replicas: 1.5 must be a whole number',
      '[edge01-amf] overrides.image: "Docker.io/AMF:latest" is not a valid image reference',
      '[edge01-amf] overrides.resources.limits.cpu: "-1" is negative',
      '[edge01-amf] overrides.configuration.slice-profiles: "slice-profiles" is written by the slices the NF serves',
    ];
    for (const prefix of expected) expect(problems).toContainEqual(expect.stringContaining(prefix));
  });

  test('each written object passes the schema validation of the package (a valid repository synthesizes)', () => {
    const repo = new GitOpsRepository();
    for (const kind of NfKind.catalog) {
      // Operators size their own pods: resources belong to the workload model only.
      new NetworkFunction(repo, kind.name, kind.deploymentModel === NfDeploymentModel.WORKLOAD
        ? { kind, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } } }
        : { kind });
    }
    const { tree } = repo.synthTree();
    for (const kind of NfKind.catalog) {
      const nfDeployment = parse(tree.getText(`packages/network-functions/${kind.name}/nfdeployment_${kind.name}.yaml`)!);
      expect(nfDeployment.spec.provider).toBe(kind.provider);
    }
  });
});
