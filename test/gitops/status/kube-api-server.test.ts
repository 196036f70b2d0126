/**
 * The Kubernetes API contract server is faithful. No cluster runs here: test/support/kube-api-server.ts
 * stands in for the workload clusters' API servers, following the Kubernetes API contract for
 * the objects `nephoran status` reads (RootSync, configsync.gke.io; ResourceGroup, kpt.dev). This
 * file reads it with the real `kubectl` (skipped, with a message, where kubectl is not on PATH) and
 * with our client (@kubernetes/client-node, run in a child Node process from the compiled lib/, as
 * the CLI runs it), and checks both see the same objects and the same answers; and that the
 * server refuses objects its CRDs (test/fixtures/schemas/configsync) refuse.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import * as YAML from 'yaml';
import { interpretRootSync, summarizeInventory } from '../../../src/gitops/status';
import { KubeApiServer } from '../../support/kube-api-server';
import { onPath, PROJECT_ROOT, tmpDir } from '../../support/tmp';

const LIB_STATUS = path.join(PROJECT_ROOT, 'lib/gitops/status/index.js');
const HAS_KUBECTL = onPath('kubectl');
if (!HAS_KUBECTL) process.stderr.write('SKIPPING the kubectl reads of test/gitops/status/kube-api-server.test.ts: `kubectl` is not on PATH\n');
const kubectlTest = HAS_KUBECTL ? test : test.skip;

const COMMIT = '3f7c2a9d1e5b8c4f6a0d2e9b7c1a3f5e8d0b2c4a';
const PREVIOUS = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807';

let server: KubeApiServer;
let dir: string;
let kubeconfig: string;

function run(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => execFile(command, [...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
    resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 99) : 0, stdout, stderr });
  }));
}

const kubectl = (...args: string[]) => run('kubectl', ['--kubeconfig', kubeconfig, ...args]);

/** What our client reads, in a child process (the client is an ES module jest cannot load). */
async function readWithClient(targets: object[], config = kubeconfig): Promise<any[]> {
  const script = `require(${JSON.stringify(LIB_STATUS)}).readClusterSyncStates(${JSON.stringify(targets)}, { kubeconfig: ${JSON.stringify(config)}, timeoutMs: 5000 })
    .then(s => process.stdout.write(JSON.stringify(s)), e => { console.error(e); process.exit(3); });`;
  const result = await run(process.execPath, ['-e', script]);
  if (result.code !== 0) throw new Error(`the client failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

beforeAll(async () => {
  if (!fs.existsSync(LIB_STATUS)) throw new Error(`${LIB_STATUS} is missing: compile first (npx projen compile)`);
  dir = tmpDir('nephoran-kube-api-');
  server = await KubeApiServer.start(['edge-1', 'core-1']);
  kubeconfig = server.writeKubeconfig(path.join(dir, 'kubeconfig'));
  server.simulateSync('edge-1', {
    commit: COMMIT,
    at: '2026-12-01T08:00:42Z',
    resources: [
      { kind: 'Namespace', name: 'up' },
      { group: 'apps', kind: 'Deployment', namespace: 'up', name: 'upf', status: 'InProgress', message: 'Deployment does not have minimum availability' },
    ],
  });
  server.simulateSync('core-1', {
    commit: COMMIT,
    at: '2026-12-01T08:01:00Z',
    previousCommit: PREVIOUS,
    resources: [{ kind: 'Namespace', name: 'cp' }],
    errors: [{ code: '2009', message: 'failed to apply Deployment.apps, cp/amf: Internal error occurred', resources: [{ group: 'apps', kind: 'Deployment', namespace: 'cp', name: 'amf', sourcePath: 'deployments/production/core-1/amf/deployment_amf.yaml' }] }],
  });
});

afterAll(async () => {
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the Kubernetes API contract server, read by kubectl and by our client', () => {
  kubectlTest('kubectl gets the RootSync and ResourceGroup our client reads, and both mean the same', async () => {
    server.requests.length = 0;
    const rs = await kubectl('--context', 'edge-1', 'get', 'rootsync', '-n', 'config-management-system', 'edge-1', '-o', 'json', '-v=6');
    expect(rs.code).toBe(0);
    // kubectl found the resource through discovery, then read the object by its REST path.
    expect(rs.stderr).toMatch(/GET https:\/\/127\.0\.0\.1:\d+\/clusters\/edge-1\/apis\?timeout=\d+s 200 OK/);
    expect(rs.stderr).toMatch(/GET https:\/\/127\.0\.0\.1:\d+\/clusters\/edge-1\/apis\/configsync\.gke\.io\/v1beta1\/namespaces\/config-management-system\/rootsyncs\/edge-1 200 OK/);
    const rootSync = JSON.parse(rs.stdout);
    expect(rootSync).toEqual(server.get('edge-1', 'RootSync', 'config-management-system', 'edge-1'));

    const rg = await kubectl('--context', 'edge-1', 'get', 'resourcegroups.kpt.dev', '-n', 'config-management-system', 'edge-1', '-o', 'json');
    expect(rg.code).toBe(0);
    const resourceGroup = JSON.parse(rg.stdout);
    expect(resourceGroup.kind).toBe('ResourceGroup');

    server.requests.length = 0;
    const [state] = await readWithClient([{ cluster: 'edge-1', context: 'edge-1' }]);
    // Our client asks for the same two objects, by the same REST paths.
    expect(server.requests.sort()).toEqual([
      '/clusters/edge-1/apis/configsync.gke.io/v1beta1/namespaces/config-management-system/rootsyncs/edge-1',
      '/clusters/edge-1/apis/kpt.dev/v1alpha1/namespaces/config-management-system/resourcegroups/edge-1',
    ].map(p => `GET ${p}`));
    const { readAt, cluster, context, rootSync: ref, reachable, rootSyncFound, inventory, ...fromClient } = state;
    expect({ cluster, context, ref, reachable, rootSyncFound }).toEqual({ cluster: 'edge-1', context: 'edge-1', ref: { name: 'edge-1', namespace: 'config-management-system' }, reachable: true, rootSyncFound: true });
    expect(Date.parse(readAt)).not.toBeNaN();
    expect(fromClient).toEqual(JSON.parse(JSON.stringify(interpretRootSync(rootSync))));
    expect(inventory).toEqual(JSON.parse(JSON.stringify(summarizeInventory(resourceGroup))));
    expect(inventory.notCurrent.map((r: any) => `${r.kind} ${r.status}`)).toEqual(['Deployment InProgress']);
  });

  kubectlTest('both read the sync errors the same: KNV code, message and objects', async () => {
    const rs = await kubectl('--context', 'core-1', 'get', 'rootsync', '-n', 'config-management-system', 'core-1', '-o', 'json');
    const [state] = await readWithClient([{ cluster: 'core-1', context: 'core-1' }]);
    const fromKubectl = interpretRootSync(JSON.parse(rs.stdout));
    expect(state.errors).toEqual(JSON.parse(JSON.stringify(fromKubectl.errors)));
    expect(state).toMatchObject({ phase: 'error', syncingCommit: COMMIT, syncedCommit: PREVIOUS });
    expect(state.errors[0]).toMatchObject({ code: 'KNV2009', objects: [{ kind: 'Deployment', namespace: 'cp', name: 'amf' }] });
  });

  kubectlTest('a missing RootSync: the same NotFound Status for both', async () => {
    const missing = await kubectl('--context', 'edge-1', 'get', 'rootsync', '-n', 'config-management-system', 'edge-9');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): rootsyncs.configsync.gke.io "edge-9" not found');
    const [state] = await readWithClient([{ cluster: 'edge-9', context: 'edge-1' }]);
    expect(state).toMatchObject({ reachable: true, rootSyncFound: false, rootSyncMissing: 'rootsyncs.configsync.gke.io "edge-9" not found' });
  });

  kubectlTest('lists across namespaces and in the other served version (v1alpha1)', async () => {
    const all = await kubectl('--context', 'edge-1', 'get', 'rootsyncs', '-A', '-o', 'json');
    expect(JSON.parse(all.stdout).items.map((i: any) => `${i.apiVersion} ${i.metadata.namespace}/${i.metadata.name}`)).toEqual(['configsync.gke.io/v1beta1 config-management-system/edge-1']);
    const alpha = await kubectl('--context', 'edge-1', 'get', 'rootsyncs.v1alpha1.configsync.gke.io', '-n', 'config-management-system', 'edge-1', '-o', 'json');
    expect(alpha.code).toBe(0);
    expect(JSON.parse(alpha.stdout)).toMatchObject({ apiVersion: 'configsync.gke.io/v1alpha1', kind: 'RootSync', status: { lastSyncedCommit: COMMIT } });
    const table = await kubectl('--context', 'edge-1', 'get', 'resourcegroups.kpt.dev', '-n', 'config-management-system');
    expect(table.stdout).toMatch(/^NAME\s+AGE\nedge-1\s+\d+s$/m);
  });

  kubectlTest('without the context\'s token: 401 for both', async () => {
    const config = YAML.parse(fs.readFileSync(kubeconfig, 'utf8'));
    for (const u of config.users) u.user.token = 'wrong-token';
    const bad = path.join(dir, 'bad-kubeconfig');
    fs.writeFileSync(bad, YAML.stringify(config));
    const denied = await run('kubectl', ['--kubeconfig', bad, '--context', 'edge-1', 'get', 'rootsync', '-n', 'config-management-system', 'edge-1']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('You must be logged in to the server');
    const [state] = await readWithClient([{ cluster: 'edge-1', context: 'edge-1' }], bad);
    expect(state).toMatchObject({ reachable: false, unreachableReason: 'reading RootSync config-management-system/edge-1 failed: HTTP 401 Unauthorized: the credentials of context edge-1 were refused' });
  });
});

test('a cluster that accepts the connection but never answers is reported after the per-cluster timeout', async () => {
  const silent = net.createServer(() => undefined);
  await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', () => resolve()));
  try {
    const port = (silent.address() as net.AddressInfo).port;
    const config = YAML.parse(fs.readFileSync(kubeconfig, 'utf8'));
    config.clusters[0].cluster.server = `https://127.0.0.1:${port}`;
    const file = path.join(dir, 'silent-kubeconfig');
    fs.writeFileSync(file, YAML.stringify(config));
    const started = Date.now();
    const script = `require(${JSON.stringify(LIB_STATUS)}).readClusterSyncStates([{ cluster: 'edge-1', context: ${JSON.stringify(config.contexts[0].name)} }], { kubeconfig: ${JSON.stringify(file)}, timeoutMs: 1500 })
      .then(s => process.stdout.write(JSON.stringify(s)))`;
    const result = await run(process.execPath, ['-e', script]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(JSON.parse(result.stdout)[0]).toMatchObject({ reachable: false, unreachableReason: 'the API server did not answer within 1.5 s' });
  } finally {
    silent.close();
  }
});

describe('the server keeps to the CRDs', () => {
  const valid = () => ({
    apiVersion: 'configsync.gke.io/v1beta1',
    kind: 'RootSync',
    metadata: { name: 'edge-1', namespace: 'config-management-system' },
    spec: { sourceType: 'git', sourceFormat: 'unstructured', git: { repo: 'https://git.example.com/fleet.git', branch: 'main', auth: 'none' } },
  });

  test('a RootSync the RootSync CRD refuses is refused, naming the field', () => {
    const noRepo = valid() as any;
    delete noRepo.spec.git.repo;
    expect(() => server.setRootSync('edge-1', noRepo)).toThrow(/spec\.git\.repo: required field is missing/);
    const badError = { ...valid(), status: { sync: { commit: COMMIT, errors: [{ errorMessage: 'no code' }] } } };
    expect(() => server.setRootSync('edge-1', badError)).toThrow(/status\.sync\.errors\[0\]\.code: required field is missing/);
  });

  test('a ResourceGroup the ResourceGroup CRD refuses is refused', () => {
    const rg = {
      apiVersion: 'kpt.dev/v1alpha1',
      kind: 'ResourceGroup',
      metadata: { name: 'edge-1', namespace: 'config-management-system' },
      // The CRD requires group, kind, name, namespace and status on each entry.
      status: { resourceStatuses: [{ group: '', kind: 'Namespace', name: 'up' }] },
    };
    expect(() => server.setResourceGroup('edge-1', rg)).toThrow(/status\.resourceStatuses\[0\]\.namespace: required field is missing\n\s+status\.resourceStatuses\[0\]\.status: required field is missing/);
  });

  test('what simulateSync writes is what the CRDs accept (it is validated on the way in)', () => {
    expect(() => server.simulateSync('edge-1', { commit: COMMIT, stage: 'stalled', at: new Date(), previousCommit: PREVIOUS, errors: [{ code: '1061', message: 'RootSyncs must declare spec.sourceType' }], resources: [] })).not.toThrow();
    expect(interpretRootSync(server.get('edge-1', 'RootSync', 'config-management-system', 'edge-1')).phase).toBe('stalled');
    for (const stage of ['source', 'rendering', 'syncing', 'synced'] as const) {
      server.simulateSync('edge-1', { commit: COMMIT, stage, at: new Date(), previousCommit: PREVIOUS, errors: stage === 'syncing' || stage === 'synced' ? [] : [{ code: '2004', message: 'x' }] });
      const r = interpretRootSync(server.get('edge-1', 'RootSync', 'config-management-system', 'edge-1'));
      expect([stage, r.phase]).toEqual([stage, { source: 'error', rendering: 'error', syncing: 'pending', synced: 'synced' }[stage]]);
    }
  });
});
