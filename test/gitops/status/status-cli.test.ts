/**
 * `nephoran status` end to end: a fleet app published with `nephoran publish` to a real bare git
 * remote, and clusters read through kubeconfig contexts with the real Kubernetes client.
 *
 * No cluster runs here. test/support/kube-api-server.ts stands in for the clusters' API servers:
 * it follows the Kubernetes API contract for the objects read (ConfigSync's RootSync and the
 * kpt.dev ResourceGroup, validated against their real CRDs), and kube-api-server.test.ts proves
 * it faithful by reading it with the real kubectl too. What a ConfigSync reconciler would write
 * after syncing a commit is simulated with `simulateSync`.
 *
 * The CLI runs asynchronously (never spawnSync): the server answers from this process.
 */
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { KubeApiServer, SimulatedResource } from '../../support/kube-api-server';
import { PROJECT_ROOT, tmpDir } from '../../support/tmp';

const BIN = path.join(PROJECT_ROOT, 'bin/nephoran');
const LIB = path.join(PROJECT_ROOT, 'lib/index.js');
const CLUSTERS = ['core-1', 'edge-1', 'edge-2'];

let server: KubeApiServer;
let dir: string;
let kubeconfig: string;

interface Run { readonly code: number; readonly stdout: string; readonly stderr: string }

function nephoran(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise(resolve => {
    execFile(BIN, [...args], { cwd: dir, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 99) : 0, stdout, stderr });
    });
  });
}

/** `nephoran status` against the test remote and kubeconfig. */
function status(...args: string[]): Promise<Run> {
  return nephoran(['status', '--remote', './remote.git', '--kubeconfig', kubeconfig, ...args]);
}

async function statusJson(...args: string[]): Promise<any> {
  const run = await status('--json', ...args);
  if (run.code !== 0) throw new Error(`status failed (${run.code}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

function writeApp(replicas: number): void {
  fs.writeFileSync(path.join(dir, 'app.js'), `
    const { Cluster, Environment, Fleet, GitAuth, GitOpsRepository, NetworkFunction, NfDeploymentModel, NfKind, Placement, SiteType } = require(${JSON.stringify(LIB)});
    const repo = new GitOpsRepository();
    const fleet = new Fleet(repo, 'fleet', { repoUrl: 'https://git.example.com/nephio/fleet.git', auth: GitAuth.none() });
    for (const name of ${JSON.stringify(CLUSTERS)}) {
      new Cluster(fleet, name, { environment: Environment.DEVELOPMENT, region: 'eu-west', siteType: name.startsWith('edge') ? SiteType.EDGE : SiteType.CORE });
    }
    const upf = new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, deploymentModel: NfDeploymentModel.WORKLOAD, namespace: 'up', replicas: ${replicas},
      resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } } });
    new Placement(fleet, 'upf', { blueprint: upf });
    repo.synth();
  `);
}

async function publish(replicas: number): Promise<{ commit: string; committedAt: string }> {
  writeApp(replicas);
  const run = await nephoran(['publish', '--app', 'node app.js', '--remote', './remote.git']);
  if (run.code !== 0) throw new Error(`publish failed: ${run.stderr}`);
  return head();
}

function head(): { commit: string; committedAt: string } {
  const [commit, committedAt] = execFileSync('git', ['-C', path.join(dir, 'remote.git'), 'log', '-1', '--format=%H %cI', 'main'], { encoding: 'utf8' }).trim().split(' ');
  return { commit, committedAt };
}

const after = (time: string, seconds: number) => new Date(Date.parse(time) + seconds * 1000);
const healthy: SimulatedResource[] = [{ kind: 'Namespace', name: 'up' }, { group: 'apps', kind: 'Deployment', namespace: 'up', name: 'upf' }];

let first: { commit: string; committedAt: string };

beforeAll(async () => {
  if (!fs.existsSync(LIB)) throw new Error(`${LIB} is missing: compile first (npx projen compile)`);
  dir = tmpDir('nephoran-status-');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', path.join(dir, 'remote.git')]);
  server = await KubeApiServer.start(CLUSTERS);
  kubeconfig = server.writeKubeconfig(path.join(dir, 'kubeconfig'), { unreachable: ['lost'] });
  first = await publish(1);
});

afterAll(async () => {
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('nephoran status', () => {
  test('every cluster synced the published commit with every resource Current: verified, with its deployment time', async () => {
    for (const [i, c] of CLUSTERS.entries()) {
      server.simulateSync(c, { commit: first.commit, at: after(first.committedAt, 30 + 10 * i), resources: healthy });
    }
    const report = await statusJson();
    expect(report.verified).toBe(true);
    expect(report.repositories).toEqual([expect.objectContaining({ branch: 'main', commit: expect.objectContaining({ commit: first.commit, committedAt: first.committedAt }) })]);
    expect(report.clusters.map((c: any) => [c.cluster, c.context, c.relation, c.verified, c.deploymentSeconds])).toEqual([
      ['core-1', 'core-1', 'published', true, 30], ['edge-1', 'edge-1', 'published', true, 40], ['edge-2', 'edge-2', 'published', true, 50],
    ]);
    expect(report.figures).toEqual({
      deployment: { count: 3, minSeconds: 30, maxSeconds: 50, meanSeconds: 40 },
      rollback: { count: 0 },
      syncSuccess: { synced: 3, total: 3 },
      drift: { clusters: [], behind: [], notCurrent: [] },
    });
    // The RootSync the fleet writes is named like the cluster, in config-management-system.
    expect(report.clusters[0].state.rootSync).toEqual({ name: 'core-1', namespace: 'config-management-system' });

    const text = await status();
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Published main: ${first.commit.slice(0, 12)} "Publish synthesized configuration"`);
    expect(text.stdout).toMatch(/^edge-1 \(context edge-1\): VERIFIED$/m);
    expect(text.stdout).toContain('Deployment time (merge to synced): min 30 s, mean 40 s, max 50 s (3 clusters).');
    expect(text.stdout).toContain('Drift: none.');
  });

  test('a cluster still on the previous commit is behind (drift); one still syncing is not verified', async () => {
    const second = await publish(2);
    server.simulateSync('core-1', { commit: second.commit, at: after(second.committedAt, 20), resources: healthy });
    server.simulateSync('edge-1', { commit: second.commit, stage: 'syncing', previousCommit: first.commit, at: after(second.committedAt, 5), resources: healthy });
    // edge-2 keeps first.commit.
    const report = await statusJson();
    const byName = Object.fromEntries(report.clusters.map((c: any) => [c.cluster, c]));
    expect(report.verified).toBe(false);
    expect(byName['core-1']).toMatchObject({ verified: true, relation: 'published', deploymentSeconds: 20 });
    expect(byName['edge-1']).toMatchObject({ verified: false, syncedCommit: first.commit, relation: 'behind' });
    expect(byName['edge-1'].state).toMatchObject({ phase: 'pending', syncingCommit: second.commit });
    expect(byName['edge-1'].reasons[0]).toBe(`ConfigSync is still syncing ${second.commit.slice(0, 12)}`);
    expect(byName['edge-2']).toMatchObject({ verified: false, syncedCommit: first.commit, relation: 'behind', drift: { drifted: true, behind: true, notCurrent: 0 } });
    expect(byName['edge-2'].reasons).toEqual([`synced ${first.commit.slice(0, 12)}, older than the published ${second.commit.slice(0, 12)}`]);
    expect(report.figures.drift).toEqual({ clusters: ['edge-1', 'edge-2'], behind: ['edge-1', 'edge-2'], notCurrent: [] });

    const text = await status();
    expect(text.stdout).toMatch(/^edge-1 \(context edge-1\): SYNCING$/m);
    expect(text.stdout).toMatch(/^edge-2 \(context edge-2\): BEHIND$/m);
    expect(text.stdout).toContain(`  synced:    ${first.commit.slice(0, 12)} "Publish synthesized configuration" (BEHIND published ${second.commit.slice(0, 12)})`);
    expect(text.stdout).toContain('Drift: behind the published commit: edge-1, edge-2.');
  });

  test('errors are told in plain words with their KNV code, stage and objects; unhealthy resources are listed', async () => {
    const { commit, committedAt } = head();
    server.simulateSync('core-1', {
      commit,
      at: after(committedAt, 15),
      previousCommit: first.commit,
      resources: healthy,
      errors: [{ code: '2009', message: 'failed to apply Deployment.apps, up/upf: admission webhook "validate.kyverno.svc" denied the request', resources: [{ group: 'apps', kind: 'Deployment', namespace: 'up', name: 'upf', sourcePath: 'deployments/development/core-1/upf/deployment_upf.yaml' }] }],
    });
    server.simulateSync('edge-1', { commit, stage: 'rendering', previousCommit: first.commit, at: after(committedAt, 9), errors: [{ code: '1068', message: 'failed to render the source configs in "/repo/source/rev": kustomize build failed' }] });
    server.simulateSync('edge-2', {
      commit,
      at: after(committedAt, 12),
      resources: [
        { kind: 'Namespace', name: 'up' },
        { group: 'apps', kind: 'Deployment', namespace: 'up', name: 'upf', status: 'InProgress', message: 'Deployment does not have minimum availability' },
        { kind: 'ConfigMap', namespace: 'up', name: 'upf-old', status: 'Terminating' },
      ],
    });
    const report = await statusJson();
    const byName = Object.fromEntries(report.clusters.map((c: any) => [c.cluster, c]));
    expect(byName['core-1'].state.phase).toBe('error');
    expect(byName['core-1'].state.errors).toEqual([{
      stage: 'sync',
      code: 'KNV2009',
      title: 'applying objects to the cluster failed',
      summary: 'failed to apply Deployment.apps, up/upf: admission webhook "validate.kyverno.svc" denied the request',
      message: expect.stringMatching(/^KNV2009: failed to apply/),
      objects: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'up', name: 'upf', sourcePath: 'deployments/development/core-1/upf/deployment_upf.yaml' }],
    }]);
    // Still running the commit it synced before, which is behind.
    expect(byName['core-1']).toMatchObject({ syncedCommit: first.commit, relation: 'behind' });
    expect(byName['edge-1'].state.errors.map((e: any) => `${e.stage} ${e.code}`)).toEqual(['rendering KNV1068']);
    expect(byName['edge-2']).toMatchObject({ verified: false, relation: 'published', drift: { drifted: true, behind: false, notCurrent: 2 } });
    expect(byName['edge-2'].reasons).toEqual([
      'up/configmap/upf-old is Terminating',
      'up/deployment.apps/upf is InProgress: Deployment does not have minimum availability',
    ]);

    const text = (await status()).stdout;
    expect(text).toMatch(/^core-1 \(context core-1\): ERROR$/m);
    expect(text).toContain('  error KNV2009 (sync: applying objects to the cluster failed): failed to apply Deployment.apps, up/upf: admission webhook "validate.kyverno.svc" denied the request');
    expect(text).toContain('    object up/deployment.apps/upf from deployments/development/core-1/upf/deployment_upf.yaml');
    expect(text).toContain('  error KNV1068 (rendering: rendering (kustomize or helm) of the source failed): failed to render the source configs in "/repo/source/rev": kustomize build failed');
    expect(text).toMatch(/^edge-2 \(context edge-2\): UNHEALTHY$/m);
    expect(text).toContain('  resources: 3 (1 Current, 1 InProgress, 1 Terminating)');
    expect(text).toContain('    InProgress  up/deployment.apps/upf: Deployment does not have minimum availability');
  });

  test('contexts: a mapping file and --context, an unreachable context, a missing context, --cluster', async () => {
    const mapping = path.join(dir, 'contexts.yaml');
    fs.writeFileSync(mapping, 'edge-1: lost\nedge-2: nowhere\n');
    const report = await statusJson('--contexts', mapping, '--context', 'edge-2=edge-2-missing', '--cluster', 'edge-1', '--cluster', 'edge-2');
    expect(report.clusters.map((c: any) => c.cluster)).toEqual(['edge-1', 'edge-2']);
    const [lost, missing] = report.clusters;
    expect(lost).toMatchObject({ context: 'lost', verified: false, state: { reachable: false } });
    expect(lost.state.unreachableReason).toMatch(/^the API server could not be reached: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    expect(missing).toMatchObject({ context: 'edge-2-missing', state: { reachable: false } });
    expect(missing.state.unreachableReason).toBe('the kubeconfig has no context "edge-2-missing" (it has core-1, edge-1, edge-2, lost); map the cluster with --context edge-2=<context>');

    const text = await status('--context', 'edge-1=lost', '--cluster', 'edge-1');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^edge-1 \(context lost\): UNREACHABLE\n {2}unreachable: the API server could not be reached: connect ECONNREFUSED/m);

    // KUBECONFIG is honoured as kubectl honours it.
    const viaEnv = await nephoran(['status', '--remote', './remote.git', '--json', '--cluster', 'edge-2'], { KUBECONFIG: kubeconfig });
    expect(JSON.parse(viaEnv.stdout).clusters[0].state.reachable).toBe(true);

    const unknown = await status('--cluster', 'edge-9');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no RootSync for cluster edge-9 under clusters/ of main (clusters: core-1, edge-1, edge-2)');
    const bad = await status('--context', 'edge-1');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--context takes <cluster>=<context>');
  });

  test('a cluster without the RootSync (ConfigSync not bootstrapped) says so', async () => {
    const saved = server.get('edge-2', 'RootSync', 'config-management-system', 'edge-2')!;
    server.remove('edge-2', 'RootSync', 'config-management-system', 'edge-2');
    try {
      const report = await statusJson('--cluster', 'edge-2');
      expect(report.clusters[0].state).toMatchObject({ reachable: true, rootSyncFound: false, rootSyncMissing: 'rootsyncs.configsync.gke.io "edge-2" not found' });
      expect(report.clusters[0].reasons).toEqual(['no RootSync config-management-system/edge-2 on the cluster (ConfigSync not installed, or clusters/edge-2/ not applied)']);
    } finally {
      server.setRootSync('edge-2', saved);
    }
  });

  test('--wait returns once every cluster has synced the published commit and is healthy', async () => {
    const { commit, committedAt } = await publish(4);
    // Every cluster back on the first commit: behind, so the wait has to wait.
    for (const c of CLUSTERS) server.simulateSync(c, { commit: first.commit, at: after(first.committedAt, 30), resources: healthy });
    const readBehind = server.nextRootSyncReads(CLUSTERS);
    const waiting = status('--wait', '--timeout', '60s', '--interval', '300ms', '--json');
    await readBehind; // the wait has seen every cluster behind
    for (const c of CLUSTERS) server.simulateSync(c, { commit, at: after(committedAt, 60), resources: healthy });
    const run = await waiting;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.wait).toEqual({ verified: true, timedOut: false, timeoutSeconds: 60 });
    expect(report.figures.deployment).toMatchObject({ count: 3, minSeconds: 60, maxSeconds: 60 });
  });

  test('--wait counts a later commit as synced (ancestry in git), and times out with the reason', async () => {
    const published = head();
    server.simulateSync('edge-2', { commit: first.commit, at: after(first.committedAt, 30), resources: healthy });
    // The wait targets the commit published when it starts; the branch moves on while it waits.
    const readBehind = server.nextRootSyncReads(['edge-2']);
    const waiting = status('--wait', '--timeout', '60s', '--interval', '300ms', '--json');
    await readBehind; // the wait has read the published commit and seen edge-2 behind it
    const later = await publish(3);
    for (const c of CLUSTERS) server.simulateSync(c, { commit: later.commit, at: after(later.committedAt, 7), resources: healthy });
    const run = await waiting;
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.repositories[0].commit.commit).toBe(published.commit);
    expect(report.clusters.map((c: any) => [c.cluster, c.publishedCommit, c.syncedCommit, c.relation, c.verified])).toEqual(
      CLUSTERS.map(c => [c, published.commit, later.commit, 'descendant', true]));

    server.simulateSync('edge-2', { commit: published.commit, at: after(published.committedAt, 7), resources: healthy });
    const timedOut = await status('--wait', '--timeout', '2s', '--interval', '500ms');
    expect(timedOut.code).toBe(2);
    expect(timedOut.stderr).toContain('nephoran: status --wait timed out: 1 of 3 clusters not verified');
    expect(timedOut.stderr).toContain(`edge-2: synced ${published.commit.slice(0, 12)}, older than the published ${later.commit.slice(0, 12)}`);
  });

  test('--wait stops at once with exit 1 when the published commit failed to sync', async () => {
    const { commit, committedAt } = head();
    server.simulateSync('edge-2', { commit, at: after(committedAt, 8), resources: healthy, errors: [{ code: '1021', message: 'The server does not serve kind NetworkAttachmentDefinition (k8s.cni.cncf.io/v1).', resources: [{ group: 'k8s.cni.cncf.io', kind: 'NetworkAttachmentDefinition', namespace: 'up', name: 'n3', sourcePath: 'deployments/development/edge-2/upf/nad_n3.yaml' }] }] });
    const started = Date.now();
    const run = await status('--wait', '--timeout', '60s', '--interval', '500ms');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nephoran: status --wait failed: 1 of 3 clusters not verified');
    expect(run.stderr).toContain('edge-2: ConfigSync failed to sync');
    expect(run.stderr).toContain('KNV1021 sync error: The server does not serve kind NetworkAttachmentDefinition (k8s.cni.cncf.io/v1). [up/networkattachmentdefinition.k8s.cni.cncf.io/n3 (deployments/development/edge-2/upf/nad_n3.yaml)]');
  });

  test('a rollback commit synced: rollback time measured from the rollback commit', async () => {
    const rolled = await nephoran(['rollback', '--remote', './remote.git', '--to', first.commit]);
    expect(rolled.stderr).toBe('');
    expect(rolled.code).toBe(0);
    const rollback = head();
    for (const [i, c] of CLUSTERS.entries()) {
      server.simulateSync(c, { commit: rollback.commit, at: after(rollback.committedAt, 25 + i), resources: healthy });
    }
    const report = await statusJson();
    expect(report.verified).toBe(true);
    expect(report.repositories[0].commit).toMatchObject({ commit: rollback.commit, rollbackTo: first.commit });
    expect(report.clusters.map((c: any) => [c.rollbackSeconds, c.deploymentSeconds])).toEqual([[25, undefined], [26, undefined], [27, undefined]]);
    expect(report.figures.rollback).toEqual({ count: 3, minSeconds: 25, maxSeconds: 27, meanSeconds: 26 });
    expect(report.figures.deployment).toEqual({ count: 0 });
    const text = (await status()).stdout;
    expect(text).toContain(`  rollback time:   25 s (rollback to ${first.commit.slice(0, 12)})`);
    expect(text).toContain('Rollback time (rollback commit to synced): min 25 s, mean 26 s, max 27 s (3 clusters).');
  });

  test('--json shape', async () => {
    const report = await statusJson('--cluster', 'edge-1');
    expect(Object.keys(report).sort()).toEqual(['branch', 'clusters', 'figures', 'readAt', 'repositories', 'verified']);
    expect(Object.keys(report.clusters[0]).sort()).toEqual(expect.arrayContaining(['cluster', 'context', 'publishedCommit', 'syncedCommit', 'relation', 'verified', 'reasons', 'drift', 'state']));
    expect(Object.keys(report.clusters[0].state).sort()).toEqual(expect.arrayContaining([
      'cluster', 'conditions', 'context', 'errors', 'inventory', 'lastSyncedCommit', 'phase', 'reachable', 'readAt', 'rendering', 'rootSync', 'rootSyncFound',
      'source', 'sourceCommit', 'sync', 'syncCommit', 'syncedAt', 'syncedCommit', 'syncingCommit',
    ]));
    expect(report.clusters[0].state.conditions.map((c: any) => `${c.type}=${c.status}`)).toEqual(['Reconciling=False', 'Stalled=False', 'Syncing=False']);
    expect(report.clusters[0].state.inventory).toEqual({
      found: true,
      total: 2,
      byStatus: { Current: 2 },
      notCurrent: [],
      healthy: true,
      reconciling: false,
    });
  });
});
