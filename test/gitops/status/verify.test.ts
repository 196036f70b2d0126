/** Checking a cluster's state against the published commit, the figures, and reading RootSyncs from published files: pure. */
import { ClusterSyncState, CommitLookup, formatSeconds, parseDurationFlag, repositoryName, RepositoryCommit, rootSyncsInFiles, syncFigures, verifyCluster } from '../../../src/gitops/status';

const P = 'p'.repeat(40).replace(/p/g, 'a');
const OLD = 'b'.repeat(40);
const NEW = 'c'.repeat(40);
const published: RepositoryCommit = { commit: P, committedAt: '2026-12-01T08:00:00+00:00', subject: 'Publish' };
const commits: Record<string, RepositoryCommit> = {
  [P]: published,
  [OLD]: { commit: OLD, committedAt: '2026-12-01T07:00:00+00:00', subject: 'Older' },
  [NEW]: { commit: NEW, committedAt: '2026-12-01T08:10:00+00:00', subject: 'Roll back', rollbackTo: OLD },
};
const lookup: CommitLookup = { info: c => commits[c], relation: c => (c === P ? 'published' : c === OLD ? 'behind' : c === NEW ? 'descendant' : 'unknown') };
const inventory = (notCurrent = 0) => ({
  found: true,
  total: 2,
  byStatus: { Current: 2 - notCurrent, ...(notCurrent ? { InProgress: notCurrent } : {}) },
  healthy: notCurrent === 0,
  reconciling: false,
  notCurrent: Array.from({ length: notCurrent }, () => ({ group: 'apps', kind: 'Deployment', namespace: 'up', name: 'upf', status: 'InProgress', messages: [] })),
});
const state = (over: Partial<ClusterSyncState>): ClusterSyncState => ({
  cluster: 'edge-1',
  context: 'edge-1',
  rootSync: { name: 'edge-1', namespace: 'config-management-system' },
  reachable: true,
  rootSyncFound: true,
  phase: 'synced',
  syncedCommit: P,
  syncedAt: '2026-12-01T08:01:30Z',
  errors: [],
  conditions: [],
  inventory: inventory(),
  readAt: '2026-12-01T09:00:00Z',
  ...over,
});

test('synced the published commit, all Current: verified, deployment time from the commit time', () => {
  const v = verifyCluster(state({}), published, lookup);
  expect(v).toMatchObject({ verified: true, relation: 'published', reasons: [], deploymentSeconds: 90, drift: { drifted: false, behind: false, notCurrent: 0 } });
  expect(v.rollbackSeconds).toBeUndefined();
});

test('a later commit that is a rollback: verified, measured as rollback time', () => {
  const v = verifyCluster(state({ syncedCommit: NEW, syncedAt: '2026-12-01T08:10:45Z' }), published, lookup);
  expect(v).toMatchObject({ verified: true, relation: 'descendant', rollbackSeconds: 45 });
  expect(v.deploymentSeconds).toBeUndefined();
});

test('behind, resources not Current, pending, unreachable: not verified, each with its reason', () => {
  expect(verifyCluster(state({ syncedCommit: OLD }), published, lookup)).toMatchObject({ verified: false, drift: { drifted: true, behind: true }, reasons: [`synced ${OLD.slice(0, 12)}, older than the published ${P.slice(0, 12)}`] });
  expect(verifyCluster(state({ inventory: inventory(1) }), published, lookup)).toMatchObject({ verified: false, drift: { drifted: true, behind: false, notCurrent: 1 }, reasons: ['up/deployment.apps/upf is InProgress'] });
  const pending = verifyCluster(state({ phase: 'pending', syncingCommit: P, syncedCommit: OLD, syncedAt: undefined }), published, lookup);
  expect(pending.reasons).toEqual([`ConfigSync is still syncing ${P.slice(0, 12)}`, `synced ${OLD.slice(0, 12)}, older than the published ${P.slice(0, 12)}`]);
  expect(pending.deploymentSeconds).toBeUndefined();
  expect(verifyCluster(state({ reachable: false, unreachableReason: 'connect ECONNREFUSED' }), published, lookup)).toMatchObject({ verified: false, reasons: ['unreachable: connect ECONNREFUSED'], drift: { drifted: false } });
  expect(verifyCluster(state({ inventory: { ...inventory(), found: false } }), published, lookup).reasons).toEqual(['no ResourceGroup config-management-system/edge-1: resource health unknown']);
});

test('figures over clusters', () => {
  const f = syncFigures([
    verifyCluster(state({ cluster: 'a' }), published, lookup),
    verifyCluster(state({ cluster: 'b', syncedAt: '2026-12-01T08:02:00Z' }), published, lookup),
    verifyCluster(state({ cluster: 'c', syncedCommit: OLD }), published, lookup),
    verifyCluster(state({ cluster: 'd', syncedCommit: NEW, syncedAt: '2026-12-01T08:11:00Z', inventory: inventory(1) }), published, lookup),
  ]);
  expect(f).toEqual({
    deployment: { count: 2, minSeconds: 90, maxSeconds: 120, meanSeconds: 105 },
    rollback: { count: 1, minSeconds: 60, maxSeconds: 60, meanSeconds: 60 },
    syncSuccess: { synced: 3, total: 4 },
    drift: { clusters: ['c', 'd'], behind: ['c'], notCurrent: ['d'] },
  });
  expect([formatSeconds(42), formatSeconds(185), formatSeconds(3720)]).toEqual(['42 s', '3 min 5 s', '1 h 2 min']);
});

test('RootSyncs are read from clusters/<cluster>/ of the published files', () => {
  const files = new Map<string, string>([
    ['clusters/edge-1/rootsync_edge-1.yaml', 'apiVersion: configsync.gke.io/v1beta1\nkind: RootSync\nmetadata:\n  name: edge-1\n  namespace: config-management-system\nspec:\n  git:\n    repo: https://git.example.com/nephio/fleet.git\n    branch: main\n    dir: deployments/prod/edge-1\n    auth: none\n'],
    ['clusters/core-1/rs.yml', 'apiVersion: configsync.gke.io/v1alpha1\nkind: RootSync\nmetadata:\n  name: root-sync\nspec:\n  git:\n    repo: git@git.example.com:nephio/core-1.git\n    revision: v1.2.0\n    auth: ssh\n'],
    ['clusters/edge-1/Kptfile', 'apiVersion: kpt.dev/v1\nkind: Kptfile\n'],
    ['clusters/edge-1/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: git-creds\n'],
    ['deployments/prod/edge-1/rootsync.yaml', 'apiVersion: configsync.gke.io/v1beta1\nkind: RootSync\nmetadata:\n  name: elsewhere\n'],
    ['clusters/edge-2/broken.yaml', 'a: [\n'],
  ]);
  expect(rootSyncsInFiles(files)).toEqual([
    { cluster: 'core-1', file: 'clusters/core-1/rs.yml', name: 'root-sync', namespace: 'config-management-system', repo: 'git@git.example.com:nephio/core-1.git', branch: 'master', revision: 'v1.2.0' },
    { cluster: 'edge-1', file: 'clusters/edge-1/rootsync_edge-1.yaml', name: 'edge-1', namespace: 'config-management-system', repo: 'https://git.example.com/nephio/fleet.git', branch: 'main', dir: 'deployments/prod/edge-1' },
  ]);
  expect(['https://git.example.com/nephio/edge-1.git', 'git@host:org/core-1.git', 'https://h/x/mgmt/'].map(repositoryName)).toEqual(['edge-1', 'core-1', 'mgmt']);
});

test('durations', () => {
  expect(['90s', '5m', '1h', '1m30s', '300', '500ms', '0.5'].map(d => parseDurationFlag(d, '--timeout'))).toEqual([90_000, 300_000, 3_600_000, 90_000, 300_000, 500, 500]);
  expect(() => parseDurationFlag('5 minutes', '--timeout')).toThrow('--timeout must be a duration such as 90s, 5m, 1h or 1m30s, not "5 minutes"');
  expect(() => parseDurationFlag('', '--timeout')).toThrow(/--timeout must be a duration/);
});
