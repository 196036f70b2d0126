import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { createBareRemote, git, removeTempDirs, showFile, tempDir } from '../../support/git';
import { GitDaemon, startGitDaemon } from '../../support/git-daemon';
import { KubeApiServer, SimulatedResource } from '../../support/kube-api-server';
import { PROJECT_ROOT } from '../../support/tmp';

// A fleet program with three rollout waves (canary edge-01 with a 10 minute soak, then the rest
// of production, then the clusters no wave selects: lab-01), run through bin/nephoran (the
// compiled lib/: compile first) against a real git remote (git daemon) and a local server that
// follows the Kubernetes API contract for RootSync and ResourceGroup (test/support/kube-api-server.ts;
// no cluster runs here: the server plays each cluster's ConfigSync reconciler, writing the status
// kpt-config-sync writes, validated against the real CRDs). The clusters are reached through a
// kubeconfig with one context per cluster, as `nephoran status` reaches them.

const BIN = path.join(PROJECT_ROOT, 'bin', 'nephoran');
const LIB = path.join(PROJECT_ROOT, 'lib', 'index.js');
const UPF_BLUEPRINT = 'packages/network-functions/upf';
const VARIANT = {
  'edge-01': 'deployments/production/edge-01/upf',
  'edge-02': 'deployments/production/edge-02/upf',
  'lab-01': 'deployments/staging/lab-01/upf',
} as const;
type ClusterName = keyof typeof VARIANT;

function writeApp(dir: string): void {
  fs.writeFileSync(path.join(dir, 'app.js'), `
const { Cluster, Environment, Fleet, GitAuth, GitOpsRepository, NetworkFunction, NfDeploymentModel, NfKind, Placement, Rollout, SiteType } = require(${JSON.stringify(LIB)});
const repo = new GitOpsRepository();
const fleet = new Fleet(repo, 'fleet', { repoUrl: process.env.FLEET_URL, auth: GitAuth.none() });
const edge01 = new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
new Cluster(fleet, 'edge-02', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
new Cluster(fleet, 'lab-01', { environment: Environment.STAGING, region: 'eu-west', siteType: SiteType.EDGE });
const upf = new NetworkFunction(repo, 'upf', {
  kind: NfKind.UPF, deploymentModel: NfDeploymentModel.WORKLOAD, namespace: 'up', replicas: Number(process.env.REPLICAS),
  image: 'docker.io/nephio/free5gc-upf@sha256:${'0123456789abcdef'.repeat(4)}',
  resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
});
new Placement(fleet, 'upf', { blueprint: upf });
const rollout = new Rollout(fleet, 'Rollout');
rollout.addWave('canary', { clusters: [edge01], soak: '10m' });
rollout.addWave('production', { environments: [Environment.PRODUCTION] });
repo.synth();
`);
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'app: node app.js\n');
}

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs bin/nephoran without blocking this process, which serves the clusters' API meanwhile. */
function run(cwd: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, GIT_AUTHOR_NAME: 'Alice Author', GIT_AUTHOR_EMAIL: 'alice@example.com', GIT_COMMITTER_NAME: 'Alice Author', GIT_COMMITTER_EMAIL: 'alice@example.com', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    child.on('error', reject);
    child.on('close', code => resolve({ code, stdout, stderr }));
  });
}

let server: KubeApiServer;
let daemon: GitDaemon;

beforeAll(async () => {
  if (!fs.existsSync(LIB)) throw new Error(`${LIB} is missing: compile first (npx projen compile)`);
  server = await KubeApiServer.start(['edge-01', 'edge-02', 'lab-01']);
});

afterAll(async () => {
  await server?.stop();
  await daemon?.stop();
  removeTempDirs();
});

const CURRENT: SimulatedResource[] = [
  { group: 'apps', kind: 'Deployment', namespace: 'up', name: 'upf' },
  { kind: 'ConfigMap', namespace: 'up', name: 'upf-config' },
];

function minutesAgo(minutes: number): Date {
  return new Date(Date.now() - minutes * 60_000);
}

test('a change rolls out in three waves: published to the canary, promoted once the clusters report it synced, healthy and soaked, one wave rolled back', async () => {
  const base = tempDir('nephoran-waves-');
  const remotes = path.join(base, 'remotes');
  fs.mkdirSync(remotes);
  const remote = createBareRemote(remotes, 'fleet.git');
  daemon = await startGitDaemon(remotes);
  const url = daemon.url('fleet.git');
  const dir = path.join(base, 'program');
  fs.mkdirSync(dir);
  writeApp(dir);
  // Contexts named otherwise than the clusters, as a cloud's kubeconfig names them: promote and
  // status both find each cluster's context through the --contexts file.
  const contextNames = { 'edge-01': 'gke_telco_edge-01', 'edge-02': 'gke_telco_edge-02', 'lab-01': 'kind-lab-01' };
  const kubeconfig = server.writeKubeconfig(path.join(base, 'kubeconfig'), { contextNames });
  const contextsFile = path.join(base, 'contexts.yaml');
  fs.writeFileSync(contextsFile, Object.entries(contextNames).map(([c, ctx]) => `${c}: ${ctx}\n`).join(''));
  const target = ['--remote', url];
  const kube = ['--kubeconfig', kubeconfig, '--contexts', contextsFile];
  const v1 = { FLEET_URL: url, REPLICAS: '1' };
  const v2 = { FLEET_URL: url, REPLICAS: '2' };
  const variant = (cluster: ClusterName) => ({
    replicas: parse(showFile(remote, 'main', `${VARIANT[cluster]}/deployment_upf.yaml`)!).spec.replicas,
    ref: parse(showFile(remote, 'main', `${VARIANT[cluster]}/Kptfile`)!).upstreamLock.git,
  });
  const status = async () => JSON.parse((await run(dir, ['status', ...target, ...kube, '--json'], {})).stdout);
  const clusterStatus = (report: any, cluster: string) => report.clusters.find((c: any) => c.cluster === cluster || c.state?.cluster === cluster);

  // The first publish of the repository ships everything.
  const first = await run(dir, ['publish', ...target], v1);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/^Published change I[0-9a-f]{40} \(first publish: every wave\) to main as [0-9a-f]{12} with package revision packages\/network-functions\/upf\/v1\. Every wave has it: canary, production, remaining\./);
  const c1 = git(remote, 'rev-parse', 'main');
  const tagV1 = git(remote, 'rev-parse', `${UPF_BLUEPRINT}/v1^{commit}`);
  for (const cluster of Object.keys(VARIANT) as ClusterName[]) expect(variant(cluster)).toEqual({ replicas: 1, ref: { repo: url, directory: UPF_BLUEPRINT, ref: `${UPF_BLUEPRINT}/v1`, commit: tagV1 } });
  const plan = parse(showFile(remote, 'main', '.nephoran/rollout')!);
  expect(plan.waves.map((w: any) => [w.name, w.soak, w.clusters.map((c: any) => c.name)])).toEqual([['canary', '10m', ['edge-01']], ['production', undefined, ['edge-02']], ['remaining', undefined, ['lab-01']]]);

  // Every cluster runs the first publish.
  for (const cluster of Object.keys(VARIANT)) server.simulateSync(cluster, { commit: c1, at: minutesAgo(60), resources: CURRENT, spec: { sourceType: 'git', sourceFormat: 'unstructured', git: { repo: url, branch: 'main', dir: `deployments/${cluster === 'lab-01' ? 'staging' : 'production'}/${cluster}`, auth: 'none' } } });

  // A change reaches the canary wave only; the held variants keep locking the previous blueprint revision.
  const published = await run(dir, ['publish', ...target], v2);
  expect(published.code).toBe(0);
  expect(published.stdout).toMatch(/^Published wave canary \(1\/3\) of change I[0-9a-f]{40} to main as [0-9a-f]{12} with package revision packages\/network-functions\/upf\/v2\. Wave canary \(edge-01\) has it; next: production \(edge-02\), once wave canary is verified \(nephoran promote\)\./);
  const w1 = git(remote, 'rev-parse', 'main');
  const tagV2 = git(remote, 'rev-parse', `${UPF_BLUEPRINT}/v2^{commit}`);
  expect(parse(showFile(remote, 'main', `${UPF_BLUEPRINT}/deployment_upf.yaml`)!).spec.replicas).toBe(2);
  expect(variant('edge-01')).toEqual({ replicas: 2, ref: { repo: url, directory: UPF_BLUEPRINT, ref: `${UPF_BLUEPRINT}/v2`, commit: tagV2 } });
  for (const held of ['edge-02', 'lab-01'] as const) {
    expect(variant(held)).toEqual({ replicas: 1, ref: { repo: url, directory: UPF_BLUEPRINT, ref: `${UPF_BLUEPRINT}/v1`, commit: tagV1 } });
    expect(git(remote, 'diff', '--stat', c1, w1, '--', `${VARIANT[held]}/`)).toBe('');
  }
  const w1Message = git(remote, 'log', '-1', '--format=%B', w1);
  expect(w1Message).toMatch(/^Publish change I[0-9a-f]{12} to wave canary \(1\/3\)/);
  expect(w1Message).toMatch(/\nNephoran-Rollout: I[0-9a-f]{40}\nNephoran-Wave: canary \(1\/3\)$/);
  const changeId = /Nephoran-Rollout: (I[0-9a-f]{40})/.exec(w1Message)![1];
  // Publishing the same program again changes nothing: the change stays at its wave.
  const again = await run(dir, ['publish', ...target], v2);
  expect(again.stdout).toMatch(/^No change: main already holds this tree/);

  // status: edge-01 runs the first publish, not yet the canary commit.
  let report = await status();
  expect(clusterStatus(report, 'edge-01')).toBeDefined();
  expect(JSON.stringify(clusterStatus(report, 'edge-01'))).toContain(c1);

  // Refused while edge-01 reports an older commit, naming the cluster and the commits.
  let refused = await run(dir, ['promote', ...target, ...kube], v2);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`nephoran: cannot promote change ${changeId.slice(0, 13)} to wave production (2/3): wave canary (1/3, commit ${w1.slice(0, 12)}) is not ready:\n  - edge-01: synced ${c1.slice(0, 12)}, which does not contain the wave's commit ${w1.slice(0, 12)} yet`);
  expect(git(remote, 'rev-parse', 'main')).toBe(w1);

  // Refused while a resource is not Current.
  server.simulateSync('edge-01', { commit: w1, at: minutesAgo(1), previousCommit: c1, resources: [{ group: 'apps', kind: 'Deployment', namespace: 'up', name: 'upf', status: 'InProgress', message: 'Deployment is progressing: 1 of 2 replicas available' }, CURRENT[1]] });
  refused = await run(dir, ['promote', ...target, ...kube], v2);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/  - edge-01: 1 resource is not Current: Deployment up\/upf is InProgress/);
  report = await status();
  expect(JSON.stringify(clusterStatus(report, 'edge-01'))).toContain(w1);

  // Synced and healthy, but the canary's 10 minute soak has not passed.
  server.simulateSync('edge-01', { commit: w1, at: minutesAgo(1), previousCommit: c1, resources: CURRENT });
  refused = await run(dir, ['promote', ...target, ...kube, '--json'], v2);
  expect(refused.code).toBe(1);
  const refusal = JSON.parse(refused.stdout);
  expect(refusal.promoted).toBe(false);
  expect(refusal.reasons).toEqual([expect.stringMatching(/^wave canary is verified, but its soak time of 10m runs until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \((8m5\ds|9m(\d{1,2}s)?) left\)$/)]);

  // Soaked: wave 2 (production: edge-02) takes the change; lab-01 still runs the previous revision.
  server.simulateSync('edge-01', { commit: w1, at: minutesAgo(11), previousCommit: c1, resources: CURRENT });
  const promoted = await run(dir, ['promote', ...target, ...kube], v2);
  expect(promoted.stderr).toBe('');
  expect(promoted.code).toBe(0);
  expect(promoted.stdout).toContain(`Published wave production (2/3) of change ${changeId} to main as `);
  expect(promoted.stdout).toContain('Waves canary, production (edge-01, edge-02) have it; next: remaining (lab-01), once wave production is verified (nephoran promote).');
  const w2 = git(remote, 'rev-parse', 'main');
  expect(variant('edge-02')).toEqual({ replicas: 2, ref: { repo: url, directory: UPF_BLUEPRINT, ref: `${UPF_BLUEPRINT}/v2`, commit: tagV2 } });
  expect(variant('lab-01')).toEqual({ replicas: 1, ref: { repo: url, directory: UPF_BLUEPRINT, ref: `${UPF_BLUEPRINT}/v1`, commit: tagV1 } });
  const w2Message = git(remote, 'log', '-1', '--format=%B', w2);
  expect(w2Message).toMatch(new RegExp(`^Promote change ${changeId.slice(0, 13)} to wave production \\(2/3\\)`));
  expect(w2Message).toContain(`Nephoran-Rollout: ${changeId}\nNephoran-Wave: production (2/3)\nNephoran-Verified: edge-01 synced ${w1.slice(0, 12)} at `);

  // The program changed meanwhile: promote refuses until it is published.
  refused = await run(dir, ['promote', ...target, ...kube], { ...v2, REPLICAS: '3' });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`nephoran: the program changed since wave production (2/3) was published (change ${changeId.slice(0, 13)} there, I`);

  // edge-02 reports the production wave: promote to the last wave (no soak).
  server.simulateSync('edge-02', { commit: w2, at: minutesAgo(0), previousCommit: c1, resources: CURRENT });
  const last = await run(dir, ['promote', ...target, ...kube], v2);
  expect(last.code).toBe(0);
  expect(last.stdout).toContain('Every wave has it: canary, production, remaining.');
  const w3 = git(remote, 'rev-parse', 'main');
  for (const cluster of Object.keys(VARIANT) as ClusterName[]) expect(variant(cluster).ref.ref).toBe(`${UPF_BLUEPRINT}/v2`);
  const done = await run(dir, ['promote', ...target, ...kube, '--skip-verification'], v2);
  expect(done.code).toBe(1);
  expect(done.stderr).toContain('has reached every wave (remaining, 3/3): nothing to promote');

  // Roll the production wave back: edge-02 gets its files of before the rollout; the others keep the change.
  const back = await run(dir, ['rollback', ...target, '--wave', 'production'], {});
  expect(back.stderr).toBe('');
  expect(back.code).toBe(0);
  expect(back.stdout).toMatch(new RegExp(`^Rolled back wave production \\(2/3\\) of change ${changeId} on main as [0-9a-f]{12}\\. Wave production \\(edge-02\\) has its files of ${c1.slice(0, 12)} back; the other waves are untouched\\.`));
  const r = git(remote, 'rev-parse', 'main');
  expect(variant('edge-02')).toEqual({ replicas: 1, ref: { repo: url, directory: UPF_BLUEPRINT, ref: `${UPF_BLUEPRINT}/v1`, commit: tagV1 } });
  expect(git(remote, 'diff', '--stat', c1, r, '--', `${VARIANT['edge-02']}/`, 'clusters/edge-02/')).toBe('');
  expect(git(remote, 'diff', '--name-only', w3, r)).toBe(`${VARIANT['edge-02']}/Kptfile\n${VARIANT['edge-02']}/deployment_upf.yaml`);
  expect(variant('edge-01').replicas).toBe(2);
  expect(variant('lab-01').replicas).toBe(2);
  const rMessage = git(remote, 'log', '-1', '--format=%B', r);
  expect(rMessage).toContain(`Rollback-To: ${c1}\nNephoran-Rollout: ${changeId}\nNephoran-Wave-Rollback: production (2/3)`);
  // A rolled-back change is not promoted again, and the same program published again leaves the wave as it is.
  refused = await run(dir, ['promote', ...target, ...kube], v2);
  expect(refused.stderr).toContain('wave production of change');
  expect(refused.stderr).toContain('was rolled back');
  expect((await run(dir, ['publish', ...target], v2)).stdout).toMatch(/^No change/);
  expect(git(remote, 'rev-parse', 'main')).toBe(r);

  // history: per change, which wave reached which clusters, and when.
  const rollouts = await run(dir, ['history', ...target, '--rollouts'], {});
  expect(rollouts.code).toBe(0);
  const lines = rollouts.stdout.split('\n');
  expect(lines[0]).toBe(`change ${changeId}`);
  expect(lines[1]).toMatch(new RegExp(`^  \\S+  reached wave canary \\(1/3\\): edge-01  ${w1.slice(0, 12)}$`));
  expect(lines[2]).toMatch(new RegExp(`^  \\S+  reached wave production \\(2/3\\): edge-02  ${w2.slice(0, 12)}$`));
  expect(lines[3]).toMatch(new RegExp(`^      after edge-01 synced ${w1.slice(0, 12)} at `));
  expect(lines[4]).toMatch(new RegExp(`^  \\S+  reached wave remaining \\(3/3\\): lab-01  ${w3.slice(0, 12)}$`));
  expect(lines[5]).toMatch(new RegExp(`^      after edge-02 synced ${w2.slice(0, 12)} at `));
  expect(lines[6]).toMatch(new RegExp(`^  \\S+  rolled back wave production \\(2/3\\): edge-02  ${r.slice(0, 12)}$`));
  expect(lines[8]).toMatch(/^change I[0-9a-f]{40}$/);
  expect(lines[9]).toMatch(new RegExp(`^  \\S+  reached wave remaining \\(3/3\\): edge-01, edge-02, lab-01  ${c1.slice(0, 12)}$`));
  const entries = JSON.parse((await run(dir, ['history', ...target, '--json'], {})).stdout);
  expect(entries[0].rollout).toEqual({ changeId, rollback: 'production (2/3)' });
  expect(entries[1].rollout).toEqual({ changeId, wave: 'remaining (3/3)' });

  // status after the rollback: edge-02 still runs the production wave's commit until it syncs the rollback.
  report = await status();
  expect(JSON.stringify(clusterStatus(report, 'edge-02'))).toContain(w2);
}, 300_000);
