/**
 * `nephoran status` on the repository-per-cluster layout: the management repository holds each
 * cluster's RootSync under clusters/<cluster>/, and each RootSync syncs the cluster's own
 * repository, so each cluster is checked against the head of its repository. Published with
 * `nephoran publish --remotes-dir`; read with --remotes-dir and with --remote-template.
 *
 * No cluster runs here: test/support/kube-api-server.ts stands in for the API servers, following
 * the Kubernetes API contract for RootSync and ResourceGroup (see kube-api-server.test.ts).
 */
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { KubeApiServer } from '../../support/kube-api-server';
import { PROJECT_ROOT, tmpDir } from '../../support/tmp';

const BIN = path.join(PROJECT_ROOT, 'bin/nephoran');
const LIB = path.join(PROJECT_ROOT, 'lib/index.js');

function nephoran(cwd: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => execFile(BIN, [...args], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
    resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 99) : 0, stdout, stderr });
  }));
}

test('each cluster is checked against the head of the repository its RootSync syncs', async () => {
  if (!fs.existsSync(LIB)) throw new Error(`${LIB} is missing: compile first (npx projen compile)`);
  const dir = tmpDir('nephoran-status-several-');
  const server = await KubeApiServer.start(['edge-01', 'edge-02']);
  try {
    fs.writeFileSync(path.join(dir, 'app.js'), `
      const { Cluster, Environment, Fleet, FleetLayout, GitAuth, GitOpsRepository, NetworkFunction, NfDeploymentModel, NfKind, Placement, SiteType } = require(${JSON.stringify(LIB)});
      const repo = new GitOpsRepository();
      const fleet = new Fleet(repo, 'fleet', {
        repoUrl: 'https://git.example.com/nephio/mgmt.git', auth: GitAuth.none(),
        layout: FleetLayout.repositoryPerCluster({ repoUrlTemplate: 'https://git.example.com/nephio/{cluster}.git' }),
      });
      new Cluster(fleet, 'edge-01', { environment: Environment.DEVELOPMENT, region: 'eu-west', siteType: SiteType.EDGE });
      new Cluster(fleet, 'edge-02', { environment: Environment.DEVELOPMENT, region: 'eu-west', siteType: SiteType.EDGE });
      const upf = new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, deploymentModel: NfDeploymentModel.WORKLOAD, namespace: 'up', replicas: 1,
        resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } } });
      new Placement(fleet, 'upf', { blueprint: upf });
      repo.synth();
    `);
    const published = await nephoran(dir, ['publish', '--app', 'node app.js', '--remotes-dir', 'remotes']);
    expect(published.code).toBe(0);
    const heads = Object.fromEntries(['mgmt', 'edge-01', 'edge-02'].map(r => [r, execFileSync('git', ['-C', path.join(dir, 'remotes', `${r}.git`), 'log', '-1', '--format=%H %cI', 'main'], { encoding: 'utf8' }).trim().split(' ')]));
    const kubeconfig = server.writeKubeconfig(path.join(dir, 'kubeconfig'));
    server.simulateSync('edge-01', { commit: heads['edge-01'][0], at: new Date(Date.parse(heads['edge-01'][1]) + 33_000), resources: [{ kind: 'Namespace', name: 'up' }] });
    // edge-02 reports the management repository's commit: not in its repository's history.
    server.simulateSync('edge-02', { commit: heads.mgmt[0], at: new Date(Date.parse(heads.mgmt[1]) + 33_000), resources: [{ kind: 'Namespace', name: 'up' }] });

    const viaDir = await nephoran(dir, ['status', '--remotes-dir', 'remotes', '--kubeconfig', kubeconfig, '--json']);
    expect(viaDir.stderr).toBe('');
    const report = JSON.parse(viaDir.stdout);
    expect(report.repositories.map((r: any) => [r.name, r.commit.commit])).toEqual([['edge-01', heads['edge-01'][0]], ['edge-02', heads['edge-02'][0]]]);
    expect(report.clusters.map((c: any) => [c.cluster, c.repository, c.publishedCommit, c.relation, c.verified, c.deploymentSeconds])).toEqual([
      ['edge-01', 'edge-01', heads['edge-01'][0], 'published', true, 33],
      ['edge-02', 'edge-02', heads['edge-02'][0], 'unknown', false, undefined],
    ]);
    expect(report.clusters[1].reasons).toEqual([`synced ${heads.mgmt[0].slice(0, 12)}, a commit the repository does not have`]);

    const template = path.join(dir, 'remotes', '{repository}.git');
    const viaTemplate = await nephoran(dir, ['status', '--app', 'node app.js', '--remote-template', template, '--kubeconfig', kubeconfig]);
    expect(viaTemplate.code).toBe(0);
    expect(viaTemplate.stdout).toMatch(/^edge-01 \(context edge-01, repository edge-01\): VERIFIED$/m);
    expect(viaTemplate.stdout).toMatch(/^edge-02 \(context edge-02, repository edge-02\): OTHER COMMIT$/m);
    expect(viaTemplate.stdout).toContain(`Published edge-01 main: ${heads['edge-01'][0].slice(0, 12)}`);

    const both = await nephoran(dir, ['status', '--remotes-dir', 'remotes', '--remote', 'x.git']);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('give --remote (one repository) or --remote-template/--remotes-dir (several), not both');
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
