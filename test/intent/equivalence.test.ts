import * as fs from 'fs';
import * as path from 'path';
import {
  Cluster, Environment, Fleet, FleetLayout, GitAuth, GitCredentials, GitOpsRepository, InterfaceType, NetworkFunction, NetworkIsolation,
  NetworkSlice, NfKind, Placement, PodSecurityLevel, Policy, PolicyProfile, RepoSet, RuleSet, RuleSeverity, SiteType, SliceServiceType,
  synthesizeIntent,
} from '../../src';
import { tmpDir } from '../support/tmp';

/**
 * What the example fleet does not use, declared both ways: a custom environment and site type,
 * sealed-secret credentials and a cluster's own auth, rule severities by profile, the
 * repository-per-cluster layout, peers, ports, configuration, workload shaping, a custom SST with
 * a quota, container defaults, overrides at every level and a YAML merge key. The two must give
 * the same repositories.
 */
function program(): RepoSet {
  const repo = new GitOpsRepository();
  const lab = Environment.custom('lab', { policyProfile: PolicyProfile.RELAXED });
  const rules = RuleSet.defaults();
  rules.setSeverity('image-digest', RuleSeverity.OFF, { profile: PolicyProfile.STANDARD });
  const fleet = new Fleet(repo, 'fleet', {
    repoUrl: 'https://git.example.com/nephio/mgmt.git',
    branch: 'live',
    syncPeriod: '30s',
    auth: GitAuth.token(GitCredentials.sealedSecret({ encryptedData: { username: 'AgBfXJpIkn5BVRjIdczwFBAfwI0xzY42axCpPqFviTgA69LqyYs1XEQIGWBMoJas18', token: 'AgCWarbep6TqbARiKqrjrv2teZPSwtSXNXqZhAEQWpjYY3pZas3xAFBxkiW9Bz' } })),
    rules,
    layout: FleetLayout.repositoryPerCluster({ repoUrlTemplate: 'https://git.example.com/nephio/{cluster}.git' }),
  });
  const networks = [
    { name: 'vpc-ran', cni: 'macvlan', subnet: '10.20.1.0/24' },
    { name: 'vpc-internal', cni: 'macvlan', subnet: '10.20.2.0/24', vlanId: 120 },
    { name: 'vpc-internet', cni: 'macvlan', subnet: '10.20.3.0/24', gateway: '10.20.3.254' },
  ];
  new Cluster(fleet, 'lab-01', { environment: lab, region: 'eu-west', siteType: SiteType.custom('far-edge'), labels: { team: 'ran' }, networks, podCidrs: ['10.120.0.0/16'] });
  const stg = new Cluster(fleet, 'stg-01', {
    environment: Environment.STAGING,
    region: 'eu-central',
    siteType: SiteType.REGIONAL,
    networks: networks.map(n => ({ ...n, subnet: n.subnet.replace('10.20.', '10.21.'), ...(n.gateway ? { gateway: '10.21.3.254' } : {}) })),
    auth: GitAuth.ssh(GitCredentials.externalSecret({ secretStoreName: 'vault', remoteKey: 'nephio/stg-01-ssh' })),
    podCidrs: ['10.121.0.0/16'],
  });
  const upf = new NetworkFunction(repo, 'upf', {
    kind: NfKind.UPF,
    namespace: 'slice-x',
    interfaces: [
      { type: InterfaceType.N3, networkInstance: 'vpc-ran' },
      { type: InterfaceType.N4, networkInstance: 'vpc-internal' },
      { type: InterfaceType.N6, networkInstance: 'vpc-internet', dataNetworks: [{ name: 'internet', pools: ['10.70.0.0/16'] }] },
    ],
    capacity: { maxUplinkThroughput: '2G', maxDownlinkThroughput: '4G' },
  });
  const smf = new NetworkFunction(repo, 'smf', { kind: NfKind.SMF, namespace: 'slice-x', interfaces: [{ type: InterfaceType.N4, networkInstance: 'vpc-internal' }], capacity: { maxSessions: 500 } });
  smf.addPeer(upf);
  const nrf = new NetworkFunction(repo, 'nrf', {
    kind: NfKind.NRF,
    namespace: 'core',
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    configuration: { 'log-level': 'debug' },
    workload: { readinessProbe: { httpGet: { path: '/healthz', port: 8000 } }, env: { GIN_MODE: 'release', POD_IP: { fieldPath: 'status.podIP' } }, spreadAcrossNodes: 'preferred' },
  });
  const slice = new NetworkSlice(repo, 'x', { serviceType: SliceServiceType.custom(128), sd: 'a0b1c2', namespace: 'slice-x', quota: { requestsCpu: '4', pods: 20 } });
  slice.addNetworkFunction(smf);
  slice.addNetworkFunction(upf);
  const core = new Policy(repo, 'core', {
    namespaces: ['core'],
    podSecurity: PodSecurityLevel.BASELINE,
    isolation: NetworkIsolation.DENY_ALL,
    allowIngressFromNamespaces: ['slice-x'],
    containerDefaults: { defaultRequests: { cpu: '100m', memory: '128Mi' }, max: { cpu: '2' } },
  });
  new Placement(fleet, 'upf', { blueprint: upf });
  new Placement(fleet, 'smf', { blueprint: smf });
  const nrfPlacement = new Placement(fleet, 'nrf', { blueprint: nrf, packageName: 'nrf-core', overrides: { configuration: { 'log-level': 'info' } } });
  nrfPlacement.addEnvironmentOverrides(Environment.STAGING, { replicas: 2 });
  nrfPlacement.addEnvironmentOverrides(lab, { replicas: 2, configuration: { 'log-level': 'trace' } });
  nrfPlacement.addClusterOverrides(stg, { resources: { limits: { memory: '512Mi' } } });
  new Placement(fleet, 'slice-x', { blueprint: slice });
  new Placement(fleet, 'core', { blueprint: core, environments: [lab, Environment.STAGING] });
  return repo.synthTrees().repositories;
}

const INTENT = `apiVersion: nephoran.io/v1alpha1
kind: Fleet
metadata: { name: fleet }
spec:
  repoUrl: https://git.example.com/nephio/mgmt.git
  branch: live
  syncPeriod: 30s
  auth:
    type: token
    credentials: { sealedSecret: { encryptedData: { username: AgBfXJpIkn5BVRjIdczwFBAfwI0xzY42axCpPqFviTgA69LqyYs1XEQIGWBMoJas18, token: AgCWarbep6TqbARiKqrjrv2teZPSwtSXNXqZhAEQWpjYY3pZas3xAFBxkiW9Bz } } }
  rules:
    severities: [{ rule: image-digest, severity: "off", profile: standard }]
  environments: [{ name: lab, policyProfile: relaxed }]
  layout: { type: repository-per-cluster, repoUrlTemplate: "https://git.example.com/nephio/{cluster}.git" }
---
apiVersion: nephoran.io/v1alpha1
kind: Cluster
metadata: { name: lab-01, labels: { team: ran } }
spec:
  environment: lab
  region: eu-west
  siteType: far-edge
  networks:
    - { name: vpc-ran, cni: macvlan, subnet: 10.20.1.0/24 }
    - { name: vpc-internal, cni: macvlan, subnet: 10.20.2.0/24, vlanId: 120 }
    - { name: vpc-internet, cni: macvlan, subnet: 10.20.3.0/24, gateway: 10.20.3.254 }
  podCidrs: [10.120.0.0/16]
---
apiVersion: nephoran.io/v1alpha1
kind: Cluster
metadata: { name: stg-01 }
spec:
  environment: staging
  region: eu-central
  siteType: regional
  networks:
    - { name: vpc-ran, cni: macvlan, subnet: 10.21.1.0/24 }
    - { name: vpc-internal, cni: macvlan, subnet: 10.21.2.0/24, vlanId: 120 }
    - { name: vpc-internet, cni: macvlan, subnet: 10.21.3.0/24, gateway: 10.21.3.254 }
  auth: { type: ssh, credentials: { externalSecret: { secretStoreName: vault, remoteKey: nephio/stg-01-ssh } } }
  podCidrs: [10.121.0.0/16]
---
apiVersion: nephoran.io/v1alpha1
kind: NetworkFunction
metadata: { name: upf }
spec:
  type: upf
  namespace: slice-x
  interfaces:
    - { type: n3, networkInstance: vpc-ran }
    - { type: n4, networkInstance: vpc-internal }
    - { type: n6, networkInstance: vpc-internet, dataNetworks: [{ name: internet, pools: [10.70.0.0/16] }] }
  capacity: { maxUplinkThroughput: 2G, maxDownlinkThroughput: 4G }
---
apiVersion: nephoran.io/v1alpha1
kind: NetworkFunction
metadata: { name: smf }
spec:
  type: smf
  namespace: slice-x
  interfaces: [{ type: n4, networkInstance: vpc-internal }]
  capacity: { maxSessions: 500 }
  peers: [upf]
---
apiVersion: nephoran.io/v1alpha1
kind: NetworkFunction
metadata: { name: nrf }
spec:
  type: nrf
  namespace: core
  resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: 500m, memory: 256Mi } }
  configuration: { log-level: debug }
  workload:
    readinessProbe: { httpGet: { path: /healthz, port: 8000 } }
    env: { GIN_MODE: release, POD_IP: { fieldPath: status.podIP } }
    spreadAcrossNodes: preferred
---
apiVersion: nephoran.io/v1alpha1
kind: NetworkSlice
metadata: { name: x }
spec: { serviceType: custom, sst: 128, sd: a0b1c2, namespace: slice-x, quota: { requestsCpu: "4", pods: 20 }, networkFunctions: [smf, upf] }
---
apiVersion: nephoran.io/v1alpha1
kind: Policy
metadata: { name: core }
spec:
  namespaces: [core]
  podSecurity: baseline
  isolation: deny-all
  allowIngressFromNamespaces: [slice-x]
  containerDefaults: { defaultRequests: { cpu: 100m, memory: 128Mi }, max: { cpu: "2" } }
---
apiVersion: nephoran.io/v1alpha1
kind: Placement
metadata: { name: upf }
spec: { blueprint: { kind: NetworkFunction, name: upf } }
---
apiVersion: nephoran.io/v1alpha1
kind: Placement
metadata: { name: smf }
spec: { blueprint: { kind: NetworkFunction, name: smf } }
---
apiVersion: nephoran.io/v1alpha1
kind: Placement
metadata: { name: nrf }
spec:
  blueprint: { kind: NetworkFunction, name: nrf }
  packageName: nrf-core
  overrides: { configuration: { log-level: info } }
  environmentOverrides:
    staging: &two { replicas: 2 }
    lab: { <<: *two, configuration: { log-level: trace } }
  clusterOverrides: { stg-01: { resources: { limits: { memory: 512Mi } } } }
---
apiVersion: nephoran.io/v1alpha1
kind: Placement
metadata: { name: slice-x }
spec: { blueprint: { kind: NetworkSlice, name: x } }
---
apiVersion: nephoran.io/v1alpha1
kind: Placement
metadata: { name: core }
spec: { blueprint: { kind: Policy, name: core }, environments: [lab, staging] }
`;

test('what the example fleet leaves out gives the same repositories declared in intent files as in a program', () => {
  const expected = program();
  const dir = tmpDir('nephoran-intent-');
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), INTENT);
  const actual = synthesizeIntent(dir).repositories;
  expect(actual.names).toEqual(['mgmt', 'lab-01', 'stg-01']);
  expect(actual.names).toEqual(expected.names);
  for (const name of expected.names) {
    const differing = expected.tree(name).paths().filter(p => !actual.tree(name).get(p)?.equals(expected.tree(name).get(p)!));
    expect([name, differing, actual.tree(name).paths()]).toEqual([name, [], expected.tree(name).paths()]);
  }
  // The features show in the output: the peer's Config, the custom SST, the override of one cluster.
  const stg = actual.tree('stg-01');
  expect(stg.paths().some(p => p.startsWith('smf/') && /config_upf/.test(p))).toBe(true);
  expect(stg.getText('nrf-core/deployment_nrf.yaml')).toMatch(/memory: 512Mi/);
  expect(actual.tree('lab-01').getText('nrf-core/deployment_nrf.yaml')).toMatch(/replicas: 2/);
  expect(actual.tree('mgmt').getText('packages/slices/x/Kptfile')).toBeDefined();
});
