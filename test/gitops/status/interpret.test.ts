/**
 * How RootSync and ResourceGroup objects are read, without any server: the objects are written
 * as kpt-config-sync's reconciler writes them (pkg/parse/root_sync_client.go) and the expected
 * readings are those of `nomos status` (cmd/nomos/status/cluster_state.go).
 */
import { describeResource, interpretRootSync, knvCode, plainMessage, summarizeInventory } from '../../../src/gitops/status';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const T0 = '2026-12-01T08:00:00Z';
const T1 = '2026-12-01T08:05:00Z';

function knv(code: string, body: string, resources: object[] = []): object {
  return { code, errorMessage: `KNV${code}: ${body}\n\nFor more information, see https://g.co/cloud/acm-errors#knv${code}`, ...(resources.length > 0 ? { errorResources: resources } : {}) };
}

function rootSync(status: object): object {
  return { apiVersion: 'configsync.gke.io/v1beta1', kind: 'RootSync', metadata: { name: 'edge-1', namespace: 'config-management-system' }, spec: {}, status };
}

const stage = (commit: string | undefined, at: string, errors: object[] = []) => ({
  ...(commit ? { commit } : {}),
  lastUpdate: at,
  ...(errors.length ? { errors } : {}),
  errorSummary: { totalCount: errors.length, errorCountAfterTruncation: errors.length },
});
const syncing = (status: 'True' | 'False', reason: string, commit: string, refs: string[] = [], count = 0) => ({ type: 'Syncing', status, reason, message: reason, commit, lastUpdateTime: T1, ...(refs.length ? { errorSourceRefs: refs } : {}), errorSummary: { totalCount: count } });
const quiet = [{ type: 'Reconciling', status: 'False' }, { type: 'Stalled', status: 'False' }];

describe('interpretRootSync', () => {
  test('Syncing False without errors: synced at status.sync.lastUpdate on the condition commit', () => {
    const r = interpretRootSync(rootSync({ lastSyncedCommit: B, source: stage(B, T0), rendering: stage(B, T0), sync: stage(B, T1), conditions: [...quiet, syncing('False', 'Sync', B)] }));
    expect(r).toMatchObject({ phase: 'synced', syncedCommit: B, syncedAt: T1, syncCommit: B, errors: [] });
  });

  test('Syncing True is not finished, even when status.sync.commit already names the commit', () => {
    const r = interpretRootSync(rootSync({ lastSyncedCommit: A, source: stage(B, T1), rendering: stage(B, T1), sync: stage(B, T1), conditions: [...quiet, syncing('True', 'Sync', B)] }));
    expect(r.phase).toBe('pending');
    expect(r.syncingCommit).toBe(B);
    // The earlier commit it finished is what it runs.
    expect(r.syncedCommit).toBe(A);
    expect(r.syncedAt).toBeUndefined();
  });

  test('a source error (git fetch) stops at the source stage: status.sync.commit is still the old commit', () => {
    const err = knv('2004', 'error in the git-sync container: fatal: could not read from remote repository');
    const r = interpretRootSync(rootSync({
      lastSyncedCommit: A,
      source: stage(B, T1, [err]),
      rendering: stage(A, T0),
      sync: stage(A, T0),
      conditions: [...quiet, syncing('False', 'Source', B, ['status.source.errors'], 1)],
    }));
    expect(r.phase).toBe('error');
    expect(r.sourceCommit).toBe(B);
    expect(r.syncCommit).toBe(A);
    expect(r.syncedCommit).toBe(A);
    expect(r.errors).toEqual([expect.objectContaining({ stage: 'source', code: 'KNV2004', title: 'the source (git) could not be fetched', summary: 'error in the git-sync container: fatal: could not read from remote repository' })]);
  });

  test('rendering errors are told apart from source errors, and only the referenced stages are reported', () => {
    const rendering = knv('1068', 'failed to render the source configs: kustomization.yaml not found');
    const staleSync = knv('2009', 'old apply error of the previous commit');
    const r = interpretRootSync(rootSync({
      source: stage(B, T1),
      rendering: stage(B, T1, [rendering]),
      sync: stage(A, T0, [staleSync]),
      conditions: [...quiet, syncing('False', 'Rendering', B, ['status.rendering.errors'], 1)],
    }));
    expect(r.phase).toBe('error');
    expect(r.errors.map(e => `${e.stage} ${e.code}`)).toEqual(['rendering KNV1068']);
    // Each stage keeps its own errors.
    expect(r.sync.errors.map(e => e.code)).toEqual(['KNV2009']);
  });

  test('apply errors name the objects (errorResources) with their source file', () => {
    const err = knv('2009', 'failed to apply Deployment.apps, amf/amf: admission webhook "policy" denied the request', [
      { sourcePath: 'deployments/prod/edge-1/amf/deployment.yaml', name: 'amf', namespace: 'amf', gvk: { group: 'apps', version: 'v1', kind: 'Deployment' } },
    ]);
    const r = interpretRootSync(rootSync({
      lastSyncedCommit: A,
      source: stage(B, T1),
      rendering: stage(B, T1),
      sync: stage(B, T1, [err]),
      conditions: [...quiet, syncing('False', 'Sync', B, ['status.sync.errors'], 1)],
    }));
    expect(r.phase).toBe('error');
    expect(r.syncedCommit).toBe(A);
    expect(r.errors[0]).toEqual({
      stage: 'sync',
      code: 'KNV2009',
      title: 'applying objects to the cluster failed',
      summary: 'failed to apply Deployment.apps, amf/amf: admission webhook "policy" denied the request',
      message: expect.stringContaining('For more information'),
      objects: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'amf', name: 'amf', sourcePath: 'deployments/prod/edge-1/amf/deployment.yaml' }],
    });
  });

  test('an error summary counts errors the status truncated', () => {
    const r = interpretRootSync(rootSync({
      source: stage(B, T1),
      rendering: stage(B, T1),
      sync: { commit: B, lastUpdate: T1, errors: [knv('2009', 'one')], errorSummary: { totalCount: 40, truncated: true, errorCountAfterTruncation: 1 } },
      conditions: [...quiet, { ...syncing('False', 'Sync', B, ['status.sync.errors']), errorSummary: { totalCount: 40, truncated: true, errorCountAfterTruncation: 1 } }],
    }));
    expect(r.sync).toMatchObject({ errorCount: 40, truncated: true });
    expect(r.errors).toHaveLength(1);
  });

  test('Stalled True wins over everything, with its errors', () => {
    const r = interpretRootSync(rootSync({
      lastSyncedCommit: A,
      sync: stage(A, T0),
      conditions: [
        { type: 'Reconciling', status: 'False' },
        { type: 'Stalled', status: 'True', reason: 'Validation', message: 'KNV1061: RootSyncs must declare spec.sourceType', errors: [knv('1061', 'RootSyncs must declare spec.sourceType')], errorSummary: { totalCount: 1 } },
        syncing('False', 'Sync', A),
      ],
    }));
    expect(r.phase).toBe('stalled');
    expect(r.errors.map(e => `${e.stage} ${e.code} ${e.summary}`)).toEqual(['stalled KNV1061 RootSyncs must declare spec.sourceType']);
    expect(r.syncedCommit).toBe(A);
  });

  test('Reconciling True: the reconciler is being set up', () => {
    const r = interpretRootSync(rootSync({ conditions: [{ type: 'Reconciling', status: 'True', reason: 'Deployment', message: 'Reconciler deployment is progressing' }, { type: 'Stalled', status: 'False' }] }));
    expect(r.phase).toBe('reconciling');
    expect(r.syncedCommit).toBeUndefined();
  });

  test('no Syncing condition (a reconciler before it existed): decided from the stage commits', () => {
    expect(interpretRootSync(rootSync({ source: stage(B, T0), rendering: stage(B, T0), sync: stage(B, T1) }))).toMatchObject({ phase: 'synced', syncedCommit: B, syncedAt: T1 });
    expect(interpretRootSync(rootSync({ source: stage(B, T1), rendering: stage(B, T1), sync: stage(A, T0) })).phase).toBe('pending');
    expect(interpretRootSync(rootSync({ source: stage(B, T1, [knv('2004', 'x')]), sync: stage(A, T0) })).phase).toBe('error');
    expect(interpretRootSync(rootSync({})).phase).toBe('pending');
    expect(interpretRootSync({}).phase).toBe('pending');
  });

  test('older Syncing conditions carry their errors inline; the reason names the stage', () => {
    const r = interpretRootSync(rootSync({ source: stage(B, T1), sync: stage(A, T0), conditions: [{ type: 'Syncing', status: 'False', reason: 'Source', commit: B, errors: [knv('2004', 'auth failed')] }] }));
    expect(r.phase).toBe('error');
    expect(r.errors.map(e => `${e.stage} ${e.code}`)).toEqual(['source KNV2004']);
  });
});

describe('summarizeInventory', () => {
  const rg = (statuses: object[], conditions: object[] = []) => ({ apiVersion: 'kpt.dev/v1alpha1', kind: 'ResourceGroup', metadata: { name: 'edge-1', namespace: 'config-management-system' }, status: { resourceStatuses: statuses, conditions } });
  const res = (kind: string, name: string, status: string, extra: object = {}) => ({ group: kind === 'Deployment' ? 'apps' : '', kind, namespace: kind === 'Namespace' ? '' : 'amf', name, status, ...extra });

  test('all Current and the controller done: healthy', () => {
    const s = summarizeInventory(rg([res('Namespace', 'amf', 'Current'), res('Deployment', 'amf', 'Current')], [{ type: 'Reconciling', status: 'False' }, { type: 'Stalled', status: 'False' }]));
    expect(s).toEqual({ found: true, total: 2, byStatus: { Current: 2 }, notCurrent: [], healthy: true, reconciling: false });
  });

  test('lists every resource that is not Current, sorted, with its condition messages', () => {
    const s = summarizeInventory(rg([
      res('Deployment', 'upf', 'Failed', { conditions: [{ type: 'Stalled', status: 'True', message: 'Progress deadline exceeded' }] }),
      res('Deployment', 'amf', 'InProgress', { sourceHash: 'bbbbbbb' }),
      res('ConfigMap', 'amf', 'Current'),
      res('Service', 'gone', 'NotFound'),
      res('ConfigMap', 'old', 'Terminating'),
      res('ConfigMap', 'x', 'Unknown'),
    ]));
    expect(s.healthy).toBe(false);
    expect(s.byStatus).toEqual({ Current: 1, Failed: 1, InProgress: 1, NotFound: 1, Terminating: 1, Unknown: 1 });
    expect(s.notCurrent.map(r => `${describeResource(r)} ${r.status}`)).toEqual([
      'amf/configmap/old Terminating', 'amf/configmap/x Unknown', 'amf/deployment.apps/amf InProgress', 'amf/deployment.apps/upf Failed', 'amf/service/gone NotFound',
    ]);
    expect(s.notCurrent.find(r => r.name === 'upf')!.messages).toEqual(['Progress deadline exceeded']);
  });

  test('an OwnershipOverlap condition makes a resource a Conflict, as nomos shows it', () => {
    const s = summarizeInventory(rg([res('ConfigMap', 'shared', 'Current', { conditions: [{ type: 'OwnershipOverlap', status: 'True', reason: 'Overlap', message: 'This resource is owned by another ResourceGroup core-1' }] })]));
    expect(s.notCurrent.map(r => r.status)).toEqual(['Conflict']);
    expect(s.healthy).toBe(false);
  });

  test('the controller still reconciling or stalled is not healthy, even with every resource Current', () => {
    expect(summarizeInventory(rg([res('Namespace', 'amf', 'Current')], [{ type: 'Reconciling', status: 'True' }])).healthy).toBe(false);
    const stalled = summarizeInventory(rg([res('Namespace', 'amf', 'Current')], [{ type: 'Reconciling', status: 'False' }, { type: 'Stalled', status: 'True', reason: 'ExceedTimeout', message: 'Exceed timeout, the .status.ResourceStatuses and .status.subgroupStatuses may not reflect the actual status' }]));
    expect(stalled.healthy).toBe(false);
    expect(stalled.stalled).toMatch(/Exceed timeout/);
  });

  test('no ResourceGroup: not found, not healthy', () => {
    expect(summarizeInventory(undefined)).toMatchObject({ found: false, healthy: false, total: 0 });
  });
});

test('codes and messages', () => {
  expect(knvCode('2009')).toBe('KNV2009');
  expect(knvCode('KNV1021')).toBe('KNV1021');
  expect(knvCode(undefined)).toBe('KNV????');
  expect(plainMessage('KNV1021: The server has no kind Widget.\n\nsource: a.yaml\nmetadata.name: w\n\nFor more information, see https://g.co/cloud/acm-errors#knv1021')).toBe('The server has no kind Widget.');
});
