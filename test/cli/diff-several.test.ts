import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT, tmpDir } from '../support/tmp';

const BIN = path.join(PROJECT_ROOT, 'bin/nephoran');
const LIB = path.join(PROJECT_ROOT, 'lib/index.js');

/** A repository-per-cluster app: a management repository and one per cluster. */
function writeApp(dir: string, replicas: number): void {
  fs.writeFileSync(path.join(dir, 'app.js'), `
    const { Cluster, Environment, Fleet, FleetLayout, GitAuth, GitOpsRepository, NetworkFunction, NfDeploymentModel, NfKind, Placement, SiteType } = require(${JSON.stringify(LIB)});
    const repo = new GitOpsRepository();
    const fleet = new Fleet(repo, 'fleet', {
      repoUrl: 'https://git.example.com/nephio/mgmt.git', auth: GitAuth.none(),
      layout: FleetLayout.repositoryPerCluster({ repoUrlTemplate: 'https://git.example.com/nephio/{cluster}.git' }),
    });
    new Cluster(fleet, 'edge-01', { environment: Environment.DEVELOPMENT, region: 'eu-west', siteType: SiteType.EDGE });
    new Cluster(fleet, 'edge-02', { environment: Environment.DEVELOPMENT, region: 'eu-west', siteType: SiteType.EDGE });
    const upf = new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, deploymentModel: NfDeploymentModel.WORKLOAD, namespace: 'up', replicas: ${replicas},
      resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } } });
    new Placement(fleet, 'upf', { blueprint: upf });
    repo.synth();
  `);
}

test('nephoran diff compares every repository of the app with its own remote', () => {
  if (!fs.existsSync(LIB)) throw new Error(`${LIB} is missing: compile first (npm test does)`);
  const dir = tmpDir();
  const remotes = path.join(tmpDir(), 'remotes');
  const run = (...args: string[]) => spawnSync(BIN, [...args, '--app', 'node app.js', '--remotes-dir', remotes], { cwd: dir, encoding: 'utf8' });

  writeApp(dir, 1);
  expect(run('publish').status).toBe(0);
  const same = run('diff');
  expect(same.stderr).toBe('');
  expect(same.status).toBe(0);
  expect(same.stdout).toMatch(/^repository mgmt: No difference/m);
  expect(same.stdout).toMatch(/^repository edge-01: No difference/m);

  writeApp(dir, 3);
  const changed = run('diff');
  expect(changed.status).toBe(1);
  expect(changed.stdout).toMatch(/^repository edge-01: Differences against main/m);
  expect(changed.stdout).toMatch(/^repository edge-02: Differences against main/m);
  expect(changed.stdout).toMatch(/~ Deployment up\/upf/);
});
