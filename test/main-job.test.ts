import { execFileSync, spawnSync } from 'child_process';
import * as path from 'path';
import { PROJECT_ROOT, tmpDir } from './support/tmp';

/**
 * The README's main command: synthesize the example fleet in clusters/ and publish it. Here it
 * publishes to a fresh bare repository rather than the embedded .nephoran/remote.git, so a
 * developer's own remote is left alone.
 */
const BIN = path.join(PROJECT_ROOT, 'bin/nephoran');

test('publishes the example fleet, and a second run reports no change', () => {
  const remote = path.join(tmpDir(), 'fleet.git');
  execFileSync('git', ['init', '--bare', '--initial-branch=main', remote]);
  const cache = path.join(tmpDir(), 'cache');
  const publish = () => spawnSync(BIN, ['publish', '--remote', remote, '--cache', cache], { cwd: PROJECT_ROOT, encoding: 'utf8' });

  const first = publish();
  expect(first.stderr).not.toMatch(/\n\s+at /);
  expect(first.status).toBe(0);
  expect(first.stdout).toMatch(/^Published change I[0-9a-f]{40} to main/);
  expect(first.stdout).toMatch(/^cluster dev-edge-eu \(development\)\n(  .*\n)*  package deployments\/development\/dev-edge-eu\/cucp: 9 added, 0 changed, 0 removed/m); // workload model: 7 objects plus the n2 and f1c attachments
  const files = execFileSync('git', ['-C', remote, 'ls-tree', '-r', '--name-only', 'main'], { encoding: 'utf8' }).split('\n');
  expect(files).toContain('clusters/prod-edge-eu-01/rootsync_prod-edge-eu-01.yaml');
  expect(files).toContain('packages/network-functions/amf/Kptfile');
  expect(files).toContain('.nephoran/owned-paths');

  const second = publish();
  expect(second.status).toBe(0);
  expect(second.stdout).toMatch(/^No change: main already holds this tree/m);
  // The first publish made two commits: the blueprints' first revisions (tagged <path>/v1), then the deployments locked to them.
  expect(execFileSync('git', ['-C', remote, 'rev-list', '--count', 'main'], { encoding: 'utf8' }).trim()).toBe('2');
  expect(execFileSync('git', ['-C', remote, 'tag', '--list', 'packages/network-functions/amf/*'], { encoding: 'utf8' }).trim()).toBe('packages/network-functions/amf/v1');
});
