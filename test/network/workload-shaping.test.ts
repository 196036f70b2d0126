import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { parseAllDocuments } from 'yaml';
import { objectAt, synthProblems } from './support';
import { checksUnknownCoreFields, validateObject } from '../../src/apis';
import { Cluster, Environment, Fleet, GitAuth, GitCredentials, Placement, SiteType } from '../../src/fleet';
import { mergeOverrides, overrideProblems } from '../../src/fleet/overrides';
import { InterfaceType, NetworkFunction, NetworkFunctionProps, NfDeploymentModel, NfKind } from '../../src/network';
import { canonicalQuantity } from '../../src/network/resources';
import { PodSecurityLevel, Policy } from '../../src/policy';
import { GitOpsRepository, RepoTree } from '../../src/repo';

const DIGEST = 'sha256:' + '0123456789abcdef'.repeat(4);
const WORKLOAD = NfDeploymentModel.WORKLOAD;
const RESOURCES = { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } };
const BLUEPRINT = 'packages/network-functions';

function nrf(props: Partial<NetworkFunctionProps> = {}, repo = new GitOpsRepository()) {
  const nf = new NetworkFunction(repo, 'nrf', { kind: NfKind.NRF, namespace: 'core', image: `docker.io/free5gc/nrf@${DIGEST}`, resources: RESOURCES, deploymentModel: WORKLOAD, ...props });
  return { repo, nf };
}

/** Every object of the tree, checked against the Kubernetes schemas (unknown fields included). */
function schemaViolations(tree: RepoTree): string[] {
  const violations: string[] = [];
  for (const file of tree.paths().filter(p => p.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(tree.getText(file)!)) {
      const object = doc.toJS();
      if (!object?.apiVersion.includes('.') || object.apiVersion.startsWith('policy/') || object.apiVersion.startsWith('autoscaling/')) {
        if (!checksUnknownCoreFields(object.apiVersion, object.kind)) violations.push(`${file}: no core schema for ${object.apiVersion}/${object.kind}`);
      }
      for (const v of validateObject(object)) violations.push(`${file}: ${v.field}: ${v.message}`);
    }
  }
  return violations;
}

function testFleet(repo: GitOpsRepository) {
  const fleet = new Fleet(repo, 'fleet', {
    repoUrl: 'https://git.example.com/telco/fleet.git',
    auth: GitAuth.token(GitCredentials.externalSecret({ secretStoreName: 'vault', remoteKey: 'gitops/fleet-read-token' })),
  });
  const edge = new Cluster(fleet, 'edge01', {
    environment: Environment.PRODUCTION,
    region: 'eu-west',
    siteType: SiteType.EDGE,
    cnis: ['sriov'],
    networks: [{ name: 'vpc-ran', cni: 'sriov', subnet: '10.1.3.0/24', resourceName: 'intel.com/intel_sriov_netdevice' }],
  });
  const staging = new Cluster(fleet, 'edge02', {
    environment: Environment.STAGING,
    region: 'eu-west',
    siteType: SiteType.EDGE,
    cnis: ['sriov'],
    networks: [{ name: 'vpc-ran', cni: 'sriov', subnet: '10.2.3.0/24', resourceName: 'intel.com/intel_sriov_netdevice' }],
  });
  return { fleet, edge, staging };
}

describe('a shaped workload', () => {
  test('renders probes, env, command, scheduling, sidecars, volumes, a budget and an autoscaler, all valid Kubernetes objects', () => {
    const { repo, nf } = nrf({
      workload: {
        livenessProbe: { httpGet: { path: '/healthz', port: 'sbi' }, periodSeconds: 10 },
        readinessProbe: { tcpSocket: { port: 8000 }, initialDelaySeconds: 2 },
        startupProbe: { exec: { command: ['/bin/ready'] }, failureThreshold: 30 },
        env: { GIN_MODE: 'release', POD_IP: { fieldPath: 'status.podIP' } },
        envFrom: [{ configMap: 'nrf-extra', prefix: 'EXTRA_' }],
        command: ['/free5gc/nrf'],
        args: ['--config', '/etc/nf/nrfcfg.yaml'],
        nodeSelector: { 'node-role.kubernetes.io/core': 'true' },
        nodeAffinity: { preferred: [{ weight: 50, requirements: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1a'] }] }] },
        podAntiAffinity: [{ labels: { 'app.kubernetes.io/instance': 'ausf' }, weight: 20 }],
        spreadAcrossNodes: 'required',
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'core', effect: 'NoSchedule' }],
        topologySpread: [{ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }],
        podDisruptionBudget: { minAvailable: 1 },
        autoscaling: { minReplicas: 2, maxReplicas: 5, cpuUtilization: 70 },
        priorityClassName: 'core-critical',
        volumes: [{ name: 'certs', secret: 'nrf-tls', mountPath: '/etc/tls', readOnly: true }],
        sidecars: [{
          name: 'log-shipper',
          image: `docker.io/fluent/fluent-bit@${DIGEST}`,
          resources: { cpu: { request: Cpu.millis(50), limit: Cpu.millis(100) }, memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) } },
          volumeMounts: [{ volume: 'logs', path: '/var/log/nf', readOnly: true }],
        }],
      },
    });
    nf.addEnv('DB_PASSWORD', { secret: 'nrf-db', key: 'password' });
    nf.addEnv('SETTINGS', { configMap: 'nrf-settings', key: 'mode', optional: true });
    nf.addToleration({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 });
    nf.addVolume({ name: 'logs', emptyDir: { sizeLimit: Size.mebibytes(256) }, mountPath: '/var/log/nf' });
    nf.addVolume({ name: 'data', persistentVolumeClaim: 'nrf-data', mountPath: '/data' });
    const { tree } = repo.synthTree();
    expect(schemaViolations(tree)).toEqual([]);

    const deployment = objectAt(tree, `${BLUEPRINT}/nrf/deployment_nrf.yaml`);
    // An autoscaled Deployment carries no replicas: a sync re-applying a count would undo the autoscaler.
    expect(deployment.spec.replicas).toBeUndefined();
    const pod = deployment.spec.template.spec;
    const [main, sidecar] = pod.containers;
    expect(main.command).toEqual(['/free5gc/nrf']);
    expect(main.args).toEqual(['--config', '/etc/nf/nrfcfg.yaml']);
    expect(main.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 'sbi' }, periodSeconds: 10 });
    expect(main.readinessProbe).toEqual({ tcpSocket: { port: 8000 }, initialDelaySeconds: 2 });
    expect(main.startupProbe).toEqual({ exec: { command: ['/bin/ready'] }, failureThreshold: 30 });
    expect(main.env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { key: 'password', name: 'nrf-db' } } },
      { name: 'GIN_MODE', value: 'release' },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'SETTINGS', valueFrom: { configMapKeyRef: { key: 'mode', name: 'nrf-settings', optional: true } } },
    ]);
    expect(main.envFrom).toEqual([{ configMapRef: { name: 'nrf-extra' }, prefix: 'EXTRA_' }]);
    expect(main.volumeMounts).toEqual(expect.arrayContaining([
      { mountPath: '/etc/tls', name: 'certs', readOnly: true },
      { mountPath: '/var/log/nf', name: 'logs' },
      { mountPath: '/data', name: 'data' },
    ]));
    expect(pod.volumes).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'certs', secret: expect.objectContaining({ secretName: 'nrf-tls' }) }),
      { name: 'logs', emptyDir: { sizeLimit: '256Mi' } },
      { name: 'data', persistentVolumeClaim: { claimName: 'nrf-data', readOnly: false } },
    ]));
    expect(sidecar.name).toBe('log-shipper');
    expect(sidecar.resources).toEqual({ limits: { cpu: '100m', memory: '64Mi' }, requests: { cpu: '50m', memory: '32Mi' } });
    expect(sidecar.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] } });
    expect(sidecar.volumeMounts).toEqual([{ mountPath: '/var/log/nf', name: 'logs', readOnly: true }]);
    expect(pod.nodeSelector).toEqual({ 'node-role.kubernetes.io/core': 'true' });
    expect(pod.affinity).toEqual({
      nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1a'] }] } }] },
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { 'app.kubernetes.io/instance': 'nrf' } }, topologyKey: 'kubernetes.io/hostname' }],
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 20, podAffinityTerm: { labelSelector: { matchLabels: { 'app.kubernetes.io/instance': 'ausf' } }, topologyKey: 'kubernetes.io/hostname' } }],
      },
    });
    expect(pod.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'core', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
    ]);
    expect(pod.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/instance': 'nrf' } } }]);
    expect(pod.priorityClassName).toBe('core-critical');

    const hpa = objectAt(tree, `${BLUEPRINT}/nrf/horizontalpodautoscaler_nrf.yaml`);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.metadata).toMatchObject({ name: 'nrf', namespace: 'core' });
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nrf' },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    const pdb = objectAt(tree, `${BLUEPRINT}/nrf/poddisruptionbudget_nrf.yaml`);
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: { 'app.kubernetes.io/instance': 'nrf' } } });
  });

  test('what is added after construction reaches the blueprint, and variants without overrides are the blueprint byte for byte', () => {
    const repo = new GitOpsRepository();
    const { fleet } = testFleet(repo);
    const { nf } = nrf({}, repo);
    new Placement(fleet, 'nrf', { blueprint: nf });
    nf.addEnv('LOG_LEVEL', 'info');
    nf.addVolume({ name: 'scratch', emptyDir: { medium: 'Memory' }, mountPath: '/scratch' });
    const { tree } = repo.synthTree();
    const blueprint = tree.getText(`${BLUEPRINT}/nrf/deployment_nrf.yaml`)!;
    expect(blueprint).toContain('LOG_LEVEL');
    expect(blueprint).toContain('medium: Memory');
    expect(tree.getText('deployments/staging/edge02/nrf/deployment_nrf.yaml')!.replace(/\n\s+nephio.org\/cluster-name: edge02/g, '')).toBe(blueprint);
  });
});

describe('in the operator model', () => {
  test('every workload option and mutator is reported as having no effect', () => {
    const repo = new GitOpsRepository();
    testFleet(repo);
    const amf = new NetworkFunction(repo, 'amf', {
      kind: NfKind.AMF,
      namespace: 'core',
      workload: { env: { A: 'b' }, spreadAcrossNodes: 'preferred', podDisruptionBudget: { maxUnavailable: 1 }, sidecars: [], hugepagesMountPath: '/hp' },
    });
    amf.addInterface({ type: InterfaceType.N2, networkInstance: 'vpc-ran' });
    amf.addEnv('X', 'y');
    amf.addToleration({ operator: 'Exists' });
    amf.addSidecar({ name: 'proxy', image: `docker.io/envoyproxy/envoy@${DIGEST}` });
    amf.addVolume({ name: 'data', emptyDir: {} });
    const problems = synthProblems(() => repo.synthTree());
    expect(problems.map(p => p.slice(0, p.indexOf(':')))).toEqual([
      '[amf] props.workload.env', '[amf] props.workload.hugepagesMountPath', '[amf] props.workload.podDisruptionBudget',
      '[amf] props.workload.sidecars', '[amf] props.workload.spreadAcrossNodes',
      '[amf] workload.env.X', '[amf] workload.sidecars.proxy', '[amf] workload.tolerations', '[amf] workload.volumes.data',
    ]);
    for (const p of problems) expect(p).toContain(': has no effect in the operator model: the Nephio free5gc operator creates AMF pods itself');
  });

  test('overrides of the workload shape are reported as warnings on the variant', () => {
    const repo = new GitOpsRepository();
    const { fleet, edge } = testFleet(repo);
    const amf = new NetworkFunction(repo, 'amf', { kind: NfKind.AMF, namespace: 'core' });
    amf.addInterface({ type: InterfaceType.N2, networkInstance: 'vpc-ran' });
    const placement = new Placement(fleet, 'amf', { blueprint: amf, environments: [Environment.PRODUCTION] });
    placement.addClusterOverrides(edge, { nodeSelector: { pool: 'core' }, autoscaling: { maxReplicas: 3 } });
    const { warnings } = repo.synthTree();
    expect(warnings.filter(w => w.path === 'fleet/amf/edge01').map(w => `${w.field}: ${w.message.slice(0, 49)}`)).toEqual([
      'overrides.nodeSelector: has no effect on AMF "amf" in the operator model:',
      'overrides.autoscaling: has no effect on AMF "amf" in the operator model:',
    ]);
  });
});

describe('overrides', () => {
  test('merge key by key for env and nodeSelector, and as a whole for lists, probes, budgets and autoscaling', () => {
    expect(mergeOverrides(
      { env: { A: '1', B: '2' }, nodeSelector: { pool: 'core' }, tolerations: [{ key: 'a', operator: 'Exists' }], autoscaling: { minReplicas: 2, maxReplicas: 4 } },
      { env: { B: '3' }, nodeSelector: { zone: 'z1' }, tolerations: [{ key: 'b', operator: 'Exists' }], autoscaling: { maxReplicas: 8 } },
    )).toEqual({
      env: { A: '1', B: '3' },
      nodeSelector: { pool: 'core', zone: 'z1' },
      tolerations: [{ key: 'b', operator: 'Exists' }],
      autoscaling: { maxReplicas: 8 },
    });
  });

  test('report every invalid shaping value, and resources in the Cpu/Size form like strings', () => {
    expect(overrideProblems({
      resources: { cpu: { request: Cpu.millis(-5) }, requests: { memory: 'lots' } },
      env: { 'API_TOKEN': 'abc123', '1BAD': 'x' },
      livenessProbe: { httpGet: { path: 'healthz', port: 0 }, successThreshold: 2 },
      tolerations: [{ value: 'x' }],
      podDisruptionBudget: { minAvailable: 1, maxUnavailable: 1 },
      autoscaling: { minReplicas: 3, maxReplicas: 2 },
      priorityClassName: 'Not_Valid',
    }).map(p => p.field)).toEqual([
      'resources.requests.cpu', 'resources.requests.memory',
      'env.API_TOKEN', 'env.1BAD',
      'livenessProbe', 'livenessProbe', 'livenessProbe',
      'tolerations[0].key',
      'podDisruptionBudget', 'autoscaling.maxReplicas', 'priorityClassName',
    ]);
    const [cpu] = overrideProblems({ resources: { cpu: { request: Cpu.millis(-5) } } });
    expect(cpu.message).toContain('got "-5m"');
  });

  test('per cluster change the shaped workload of that cluster only; a replicas override on an autoscaled NF is refused', () => {
    const repo = new GitOpsRepository();
    const { fleet, edge } = testFleet(repo);
    const { nf } = nrf({ replicas: 2, workload: { env: { MODE: 'a' }, podDisruptionBudget: { maxUnavailable: 1 } } }, repo);
    const placement = new Placement(fleet, 'nrf', { blueprint: nf });
    placement.addClusterOverrides(edge, { env: { EXTRA: 'b' }, nodeSelector: { pool: 'edge' }, tolerations: [{ key: 'edge', operator: 'Exists' }], priorityClassName: 'edge-high' });
    const { tree } = repo.synthTree();
    const prod = objectAt(tree, 'deployments/production/edge01/nrf/deployment_nrf.yaml').spec.template.spec;
    expect(prod.containers[0].env).toEqual([{ name: 'EXTRA', value: 'b' }, { name: 'MODE', value: 'a' }]);
    expect(prod.nodeSelector).toEqual({ pool: 'edge' });
    expect(prod.tolerations).toEqual([{ key: 'edge', operator: 'Exists' }]);
    expect(prod.priorityClassName).toBe('edge-high');
    const staging = objectAt(tree, 'deployments/staging/edge02/nrf/deployment_nrf.yaml').spec.template.spec;
    expect(staging.containers[0].env).toEqual([{ name: 'MODE', value: 'a' }]);
    expect(staging.nodeSelector).toBeUndefined();

    const repo2 = new GitOpsRepository();
    const f2 = testFleet(repo2);
    const scaled = nrf({ workload: { autoscaling: { minReplicas: 2, maxReplicas: 6 } } }, repo2).nf;
    const p2 = new Placement(f2.fleet, 'nrf', { blueprint: scaled });
    p2.addClusterOverrides(f2.edge, { replicas: 3 });
    p2.addClusterOverrides(f2.staging, { autoscaling: { minReplicas: 1, maxReplicas: 2 }, podDisruptionBudget: { minAvailable: 1 } });
    expect(synthProblems(() => repo2.synthTree())).toEqual([
      expect.stringMatching(/^\[fleet\/nrf\/edge01\] overrides\.replicas: 3 has no effect: the NF is autoscaled here .*override autoscaling\.minReplicas instead$/),
      expect.stringMatching(/^\[fleet\/nrf\/edge02\] overrides\.workload\.podDisruptionBudget: \{"minAvailable":1\} needs 2 or more pods: with autoscaling\.minReplicas 1 /),
    ]);
  });
});

describe('hugepages and SR-IOV', () => {
  test('each hugepage size is mounted as hugetlbfs; two sizes get two mounts', () => {
    const { repo } = nrf({
      resources: { requests: { 'cpu': '1', 'memory': '1Gi', 'hugepages-2Mi': '512Mi', 'hugepages-1Gi': '2Gi' }, limits: { 'cpu': '1', 'memory': '1Gi', 'hugepages-2Mi': '512Mi', 'hugepages-1Gi': '2Gi' } },
      workload: { hugepagesMountPath: '/mnt/huge' },
    });
    const { tree } = repo.synthTree();
    const pod = objectAt(tree, `${BLUEPRINT}/nrf/deployment_nrf.yaml`).spec.template.spec;
    expect(pod.volumes).toEqual(expect.arrayContaining([
      { name: 'hugepages-2mi', emptyDir: { medium: 'HugePages-2Mi' } },
      { name: 'hugepages-1gi', emptyDir: { medium: 'HugePages-1Gi' } },
    ]));
    expect(pod.containers[0].volumeMounts).toEqual(expect.arrayContaining([
      { mountPath: '/mnt/huge-2Mi', name: 'hugepages-2mi' },
      { mountPath: '/mnt/huge-1Gi', name: 'hugepages-1gi' },
    ]));
    expect(schemaViolations(tree)).toEqual([]);
  });

  test('hugepages and extended resources must request what they limit, and hugepages need cpu or memory beside them', () => {
    expect(synthProblems(() => nrf({ resources: { requests: { 'hugepages-1Gi': '1Gi' }, limits: { 'hugepages-1Gi': '2Gi', 'intel.com/qat': '1' } } }).repo.synthTree())).toEqual([
      '[nrf] props.resources.limits.hugepages-1Gi: hugepages-1Gi needs a cpu or memory request or limit beside it: Kubernetes refuses hugepages alone ("HugePages require cpu or memory")',
      '[nrf] props.resources.requests.hugepages-1Gi: hugepages-1Gi request 1Gi must equal its limit 2Gi: Kubernetes does not overcommit hugepages',
    ]);
    expect(synthProblems(() => nrf({ resources: { limits: { 'cpu': '1', 'hugepages-2Mi': '3Mi', 'intel.com/qat': '500m' } } }).repo.synthTree())).toEqual([
      '[nrf] props.resources.limits.hugepages-2Mi: 3Mi is not a whole number of 2Mi pages',
      '[nrf] props.resources.limits.intel.com/qat: 500m is not a whole number: device-plugin resources such as intel.com/qat come in whole devices',
    ]);
    expect(synthProblems(() => nrf({ resources: { requests: { 'cpu': '1', 'intel.com/qat': '1' } } }).repo.synthTree())).toEqual([
      '[nrf] props.resources.requests.intel.com/qat: intel.com/qat is never overcommitted: set limits.intel.com/qat equal to the request 1',
    ]);
  });

  test('overrides are checked against the blueprint they merge over: a request alone may meet the blueprint\'s limit', () => {
    const repo = new GitOpsRepository();
    const { fleet, edge, staging } = testFleet(repo);
    const { nf } = nrf({ resources: { requests: RESOURCES.requests, limits: { ...RESOURCES.limits, 'hugepages-1Gi': '2Gi' } } }, repo);
    const placement = new Placement(fleet, 'nrf', { blueprint: nf });
    placement.addClusterOverrides(edge, { resources: { requests: { 'hugepages-1Gi': '2Gi' } } });
    placement.addClusterOverrides(staging, { resources: { requests: { 'hugepages-1Gi': '1Gi' } } });
    expect(synthProblems(() => repo.synthTree())).toEqual([
      '[fleet/nrf/edge02] overrides.resources.requests.hugepages-1Gi: hugepages-1Gi request 1Gi must equal its limit 2Gi: Kubernetes does not overcommit hugepages (with the overrides merged over the blueprint\'s resources)',
    ]);
  });

  test('an interface on an SR-IOV network takes a virtual function of the network\'s device-plugin resource, requests == limits', () => {
    const repo = new GitOpsRepository();
    const { fleet } = testFleet(repo);
    const upf = new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, namespace: 'upf', image: `docker.io/free5gc/upf@${DIGEST}`, resources: RESOURCES, deploymentModel: WORKLOAD });
    upf.addInterface({ type: InterfaceType.N3, networkInstance: 'vpc-ran' });
    upf.addInterface({ type: InterfaceType.N6, name: 'n6', networkInstance: 'vpc-ran' });
    new Placement(fleet, 'upf', { blueprint: upf });
    const { tree } = repo.synthTree();
    const resources = objectAt(tree, 'deployments/production/edge01/upf/deployment_upf.yaml').spec.template.spec.containers[0].resources;
    expect(resources).toEqual({
      limits: { 'cpu': '1', 'intel.com/intel_sriov_netdevice': '2', 'memory': '1Gi' },
      requests: { 'cpu': '500m', 'intel.com/intel_sriov_netdevice': '2', 'memory': '512Mi' },
    });
    // The blueprint has no cluster, so no network and no device.
    expect(objectAt(tree, `${BLUEPRINT}/upf/deployment_upf.yaml`).spec.template.spec.containers[0].resources.limits).toEqual({ cpu: '1', memory: '1Gi' });

    // Where network-resources-injector runs with -honor-resources it adds its own count: leave the devices to it.
    const repo3 = new GitOpsRepository();
    const f3 = testFleet(repo3);
    const injected = new NetworkFunction(repo3, 'upf', { kind: NfKind.UPF, namespace: 'upf', image: `docker.io/free5gc/upf@${DIGEST}`, resources: RESOURCES, deploymentModel: WORKLOAD, workload: { requestSriovDevices: false } });
    injected.addInterface({ type: InterfaceType.N3, networkInstance: 'vpc-ran' });
    new Placement(f3.fleet, 'upf', { blueprint: injected });
    expect(objectAt(repo3.synthTree().tree, 'deployments/production/edge01/upf/deployment_upf.yaml').spec.template.spec.containers[0].resources).toEqual(RESOURCES);

    const repo2 = new GitOpsRepository();
    const f2 = testFleet(repo2);
    const few = new NetworkFunction(repo2, 'upf', {
      kind: NfKind.UPF,
      namespace: 'upf',
      image: `docker.io/free5gc/upf@${DIGEST}`,
      deploymentModel: WORKLOAD,
      resources: { requests: { ...RESOURCES.requests, 'intel.com/intel_sriov_netdevice': '1' }, limits: { ...RESOURCES.limits, 'intel.com/intel_sriov_netdevice': '1' } },
    });
    few.addInterface({ type: InterfaceType.N3, networkInstance: 'vpc-ran' });
    few.addInterface({ type: InterfaceType.N6, name: 'n6', networkInstance: 'vpc-ran' });
    new Placement(f2.fleet, 'upf', { blueprint: few, environments: [Environment.PRODUCTION] });
    expect(synthProblems(() => repo2.synthTree())).toEqual([
      '[fleet/upf/edge01] resources.limits.intel.com/intel_sriov_netdevice: 1 intel.com/intel_sriov_netdevice is fewer than the 2 SR-IOV interfaces of UPF "upf" on this cluster need (one virtual function each); set 2 or leave it out to have it derived',
    ]);
  });
});

describe('security within the Pod Security level', () => {
  test('a capability or privilege the namespace\'s level forbids is refused at synth, naming the level', () => {
    const repo = new GitOpsRepository();
    const { fleet } = testFleet(repo);
    const { nf } = nrf({ workload: { securityContext: { addCapabilities: ['NET_ADMIN'], seccompProfile: 'Unconfined' } } }, repo);
    new Placement(fleet, 'nrf', { blueprint: nf, environments: [Environment.PRODUCTION] });
    new Placement(fleet, 'core-policy', { blueprint: new Policy(repo, 'core-restricted', { namespaces: ['core'], podSecurity: PodSecurityLevel.RESTRICTED }), environments: [Environment.PRODUCTION] });
    const problems = synthProblems(() => repo.synthTree());
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringContaining('container "nrf" adds capabilities NET_ADMIN, which Pod Security "restricted" forbids in namespace core'),
      expect.stringContaining('container "nrf" sets no seccompProfile RuntimeDefault or Localhost, which Pod Security "restricted" forbids in namespace core'),
    ]));
  });

  test('IPC_LOCK for DPDK passes a privileged namespace and renders on the container', () => {
    const { repo } = nrf({ workload: { securityContext: { addCapabilities: ['IPC_LOCK'], runAsGroup: 2000 } } });
    const pod = objectAt(repo.synthTree().tree, `${BLUEPRINT}/nrf/deployment_nrf.yaml`).spec.template.spec;
    expect(pod.containers[0].securityContext.capabilities).toEqual({ add: ['IPC_LOCK'], drop: ['ALL'] });
    expect(pod.securityContext).toMatchObject({ runAsGroup: 2000, fsGroup: 2000 });
  });
});

describe('validation', () => {
  test('a budget on one replica, autoscaling beside replicas or without a CPU request, bad sidecars and volumes: all reported at once', () => {
    const { repo, nf } = nrf({
      replicas: 1,
      resources: { limits: { memory: '1Gi' } },
      workload: {
        podDisruptionBudget: { minAvailable: 1 },
        env: { DB_PASSWORD: 'hunter2' },
        volumes: [{ name: 'config', emptyDir: {} }, { name: 'two', configMap: 'a', secret: 'b' }],
        sidecars: [{ name: 'nrf', image: 'busybox' }],
      },
    });
    nf.addSidecar({ name: 'proxy', image: `docker.io/envoyproxy/envoy@${DIGEST}`, volumeMounts: [{ volume: 'missing', path: '/x' }] });
    expect(synthProblems(() => repo.synthTree())).toEqual([
      expect.stringMatching(/^\[nrf\] props\.workload\.env\.DB_PASSWORD: looks like a credential given as a literal value/),
      '[nrf] props.workload.podDisruptionBudget: {"minAvailable":1} needs 2 or more pods: with 1 replica a budget either blocks every node drain (the pod can never be evicted) or protects nothing; set replicas to 2 or more, or remove it',
      expect.stringMatching(/^\[nrf\] workload\.sidecars\.nrf: container "nrf" already exists in the pod/),
      expect.stringMatching(/^\[nrf\] workload\.sidecars\.nrf: image "busybox" has neither a tag nor a digest/),
      '[nrf] workload.sidecars.proxy.volumeMounts: volume "missing" is not a volume of the pod; add it with addVolume() (it has none)',
      '[nrf] workload.volumes.config: volume "config" already exists in the pod (config, tmp, hugepages-2mi, hugepages-1gi are the NF\'s own); choose another name',
      '[nrf] workload.volumes.two: must have exactly one of emptyDir, configMap, secret and persistentVolumeClaim; has configMap, secret',
    ]);
    const scaled = nrf({ replicas: 2, resources: { limits: { memory: '1Gi' } }, workload: { autoscaling: { maxReplicas: 3 } } });
    expect(synthProblems(() => scaled.repo.synthTree())).toEqual([
      '[nrf] props.replicas: 2 has no effect with autoscaling: the HorizontalPodAutoscaler sets the replicas; set autoscaling.minReplicas instead',
      '[nrf] props.workload.autoscaling: scales on CPU utilization, a share of the CPU request: set resources.requests.cpu',
    ]);
  });

  test('an invalid value is reported once, on its prop, and never rendered', () => {
    const { repo } = nrf({ workload: { tolerations: [{ operator: 'Exists', effect: 'Sometimes' as any }], topologySpread: [{ topologyKey: '' }] } });
    expect(synthProblems(() => repo.synthTree())).toEqual([
      '[nrf] props.workload.tolerations[0].effect: "Sometimes" must be \'NoSchedule\', \'PreferNoSchedule\' or \'NoExecute\'',
      '[nrf] props.workload.topologySpread[0].topologyKey: "" must be a node label key such as "topology.kubernetes.io/zone"',
    ]);
  });

  test('quotas count the autoscaler\'s maxReplicas and the sidecars', () => {
    const { nf } = nrf({ workload: { autoscaling: { maxReplicas: 4 }, sidecars: [{ name: 'proxy', image: `docker.io/envoyproxy/envoy@${DIGEST}`, resources: { requests: { cpu: '100m' }, limits: { cpu: '200m' } } }] } });
    const [footprint] = nf.workloadFootprints({});
    expect(footprint.replicas).toBe(4);
    expect(footprint.requests.cpu).toBeCloseTo(0.6);
    expect(footprint.limits.cpu).toBeCloseTo(1.2);
  });
});

describe('Cpu and Size', () => {
  test('resources in the cdk8s-plus form give the same bytes as the same quantities as strings', () => {
    const asStrings = nrf({ resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '4Gi' } } }).repo.synthTree().tree;
    const asObjects = nrf({
      resources: {
        cpu: { request: Cpu.millis(500), limit: Cpu.units(2) },
        memory: { request: Size.mebibytes(512), limit: Size.gibibytes(4) },
      },
    }).repo.synthTree().tree;
    const mixed = nrf({ resources: { requests: { cpu: '0.5', memory: '512Mi' }, limits: { cpu: '2000m', memory: '4096Mi' } } }).repo.synthTree().tree;
    expect(asObjects.equals(asStrings)).toBe(true);
    expect(mixed.equals(asStrings)).toBe(true);
    expect(objectAt(asObjects, `${BLUEPRINT}/nrf/deployment_nrf.yaml`).spec.template.spec.containers[0].resources)
      .toEqual({ limits: { cpu: '2', memory: '4Gi' }, requests: { cpu: '500m', memory: '512Mi' } });
  });

  test('overrides in the cdk8s-plus form merge with string overrides as the same resource', () => {
    expect(mergeOverrides({ resources: { requests: { cpu: '1' } } }, { resources: { cpu: { request: Cpu.millis(1500) }, memory: { limit: Size.gibibytes(2) } } }))
      .toEqual({ resources: { requests: { cpu: '1500m' }, limits: { memory: '2Gi' } } });
    expect(overrideProblems({ resources: { requests: { cpu: '1' }, cpu: { request: Cpu.units(2) } } })).toEqual([
      { field: 'resources.cpu.request', message: 'sets cpu again, which requests.cpu already sets; use one form' },
    ]);
  });

  test('quantities are written in the canonical form the API server returns', () => {
    const cases: Array<[string, string]> = [
      ['1000m', '1'], ['0.5', '500m'], ['1500m', '1500m'], ['2', '2'], ['2000', '2k'], ['100m', '100m'],
      ['1024Mi', '1Gi'], ['1536Mi', '1536Mi'], ['0.5Gi', '512Mi'], ['512Mi', '512Mi'], ['1Ki', '1Ki'], ['512Ki', '512Ki'],
      ['10G', '10G'], ['1e3', '1e3'], ['0', '0'], ['0m', '0'], ['two', 'two'],
    ];
    expect(cases.map(([v]) => [v, canonicalQuantity(v)])).toEqual(cases);
  });
});
