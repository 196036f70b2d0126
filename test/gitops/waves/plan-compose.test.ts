import { composeWaveTree, pathsInWaves } from '../../../src/gitops/waves/compose';
import { groupRollouts } from '../../../src/gitops/waves/state';
import { formatWaveMark, parseWaveMark, rolloutTrailersOf } from '../../../src/gitops/waves/trailers';
import { RepoTree } from '../../../src/repo/repo-tree';
import { checkRolloutPlan, formatDuration, parseDuration, parseRolloutPlan, renderRolloutPlan, RolloutPlan, RolloutPlanError, waveIndexer, waveIndexOf } from '../../../src/repo/rollout-plan';

const PLAN: RolloutPlan = {
  waves: [
    { name: 'canary', soak: '10m', clusters: [{ name: 'edge-01', paths: ['clusters/edge-01/', 'deployments/production/edge-01/'] }] },
    { name: 'eu', clusters: [{ name: 'edge-02', paths: ['clusters/edge-02/', 'deployments/production/edge-02/'] }] },
    { name: 'rest', clusters: [{ name: 'lab-01', paths: ['clusters/lab-01/', 'deployments/staging/lab-01/'] }] },
  ],
};

describe('rollout plan', () => {
  test('renders deterministic text that parses back to the same plan', () => {
    const text = renderRolloutPlan(PLAN);
    expect(text).toBe(renderRolloutPlan(parseRolloutPlan(text)));
    expect(parseRolloutPlan(text)).toEqual(PLAN);
    expect(text).toContain('waves:\n  - name: canary\n    soak: 10m\n    clusters:\n      - name: edge-01\n        paths:\n          - "clusters/edge-01/"\n');
  });

  test('durations', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('10 minutes')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(61)).toBe('1m1s');
    expect(formatDuration(59.6)).toBe('1m');
    expect(formatDuration(539.7)).toBe('9m');
  });

  test('every mistake of a hand-edited plan is named with its field', () => {
    const bad = {
      waves: [
        { name: 'Canary', clusters: [{ name: 'edge-01', paths: ['deployments/production/edge-01/'] }] },
        { name: 'eu', soak: 'soon', clusters: [{ name: 'edge-01', paths: ['/abs/', 'deployments/production/'] }] },
        { name: 'eu', clusters: [] },
      ],
      extra: 1,
    };
    let message = '';
    try { checkRolloutPlan(bad, 'plan'); } catch (err) { expect(err).toBeInstanceOf(RolloutPlanError); message = (err as Error).message; }
    expect(message).toContain('unknown field "extra"');
    expect(message).toContain('waves[0].name "Canary" must be a DNS-1123 label');
    expect(message).toContain('waves[1].soak "soon" must be a duration');
    expect(message).toContain('waves[1].clusters[0]: cluster "edge-01" is already in wave');
    expect(message).toContain('"/abs/" must be a relative folder ending in "/"');
    expect(message).toContain('"deployments/production/" overlaps "deployments/production/edge-01/" of wave "Canary"');
    expect(message).toContain('waves[2].name "eu" is taken by an earlier wave');
    expect(message).toContain('waves[2].clusters must list at least one cluster');
    expect(() => parseRolloutPlan('waves: [', 'x')).toThrow(/x is not valid YAML/);
    expect(() => parseRolloutPlan('{}', 'x')).toThrow(/waves must be a list of at least one wave/);
  });

  test('paths are governed by the wave whose folder holds them; others by none', () => {
    const indexer = waveIndexer(PLAN);
    for (const [path, wave] of [
      ['deployments/production/edge-01/upf/Kptfile', 0],
      ['clusters/edge-02/rootsync.yaml', 1],
      ['deployments/staging/lab-01/namespaces/namespace_upf.yaml', 2],
      ['deployments/production/edge-010/x.yaml', undefined],
      ['packages/network-functions/upf/Kptfile', undefined],
      ['.nephoran/rollout', undefined],
    ] as const) {
      expect(indexer(path)).toBe(wave);
      expect(waveIndexOf(PLAN, path)).toBe(wave);
    }
  });
});

describe('composing a wave', () => {
  const next = RepoTree.fromRecord({
    '.nephoran/rollout': 'plan v2\n',
    'packages/network-functions/upf/Kptfile': 'blueprint v2\n',
    'deployments/production/edge-01/upf/Kptfile': 'variant edge-01 v2\n',
    'deployments/production/edge-02/upf/Kptfile': 'variant edge-02 v2\n',
    'deployments/production/edge-02/upf/new.yaml': 'only in v2\n',
    'deployments/staging/lab-01/upf/Kptfile': 'variant lab-01 v2\n',
  });
  for (const path of ['deployments/production/edge-01/upf/Kptfile', 'deployments/production/edge-02/upf/Kptfile', 'deployments/staging/lab-01/upf/Kptfile']) {
    next.bindRevision({ path, upstream: 'packages/network-functions/upf', fields: [{ field: ['upstream', 'git', 'ref'], value: 'tag' }] });
  }
  const current = new Map(Object.entries({
    'deployments/production/edge-01/upf/Kptfile': Buffer.from('variant edge-01 v1 (pinned upf/v1)\n'),
    'deployments/production/edge-02/upf/Kptfile': Buffer.from('variant edge-02 v1 (pinned upf/v1)\n'),
    'deployments/production/edge-02/upf/old.yaml': Buffer.from('only in v1\n'),
    'deployments/staging/lab-01/upf/Kptfile': Buffer.from('variant lab-01 v1 (pinned upf/v1)\n'),
  }));

  test('wave 1: new files for the first wave and ungoverned paths, current files (and their pins) for the others; only new files stay bound', () => {
    const tree = composeWaveTree(next, current, PLAN, new Set([0]));
    expect(Object.fromEntries(tree.entries().map(([p, c]) => [p, c.toString()]))).toEqual({
      '.nephoran/rollout': 'plan v2\n',
      'packages/network-functions/upf/Kptfile': 'blueprint v2\n',
      'deployments/production/edge-01/upf/Kptfile': 'variant edge-01 v2\n',
      'deployments/production/edge-02/upf/Kptfile': 'variant edge-02 v1 (pinned upf/v1)\n',
      'deployments/production/edge-02/upf/old.yaml': 'only in v1\n',
      'deployments/staging/lab-01/upf/Kptfile': 'variant lab-01 v1 (pinned upf/v1)\n',
    });
    expect(tree.revisionBindings().map(b => b.path)).toEqual(['deployments/production/edge-01/upf/Kptfile']);
  });

  test('waves 1-2, then all: the later waves follow; a rollback wave set leaves its wave as current', () => {
    const two = composeWaveTree(next, current, PLAN, new Set([0, 1]));
    expect(two.has('deployments/production/edge-02/upf/new.yaml')).toBe(true);
    expect(two.has('deployments/production/edge-02/upf/old.yaml')).toBe(false);
    expect(two.getText('deployments/staging/lab-01/upf/Kptfile')).toBe('variant lab-01 v1 (pinned upf/v1)\n');
    const all = composeWaveTree(next, current, PLAN, new Set([0, 1, 2]));
    expect(all.equals(next)).toBe(true);
    expect(all.revisionBindings()).toHaveLength(3);
    const skipping = composeWaveTree(next, current, PLAN, new Set([0, 2]));
    expect(skipping.getText('deployments/production/edge-02/upf/Kptfile')).toBe('variant edge-02 v1 (pinned upf/v1)\n');
    expect(pathsInWaves(next.paths(), PLAN, new Set([1]))).toEqual(['deployments/production/edge-02/upf/Kptfile', 'deployments/production/edge-02/upf/new.yaml']);
  });
});

describe('rollout trailers', () => {
  test('wave marks and trailers read back', () => {
    expect(formatWaveMark({ name: 'canary', number: 1, count: 3 })).toBe('canary (1/3)');
    expect(parseWaveMark('eu (2/3)')).toEqual({ name: 'eu', number: 2, count: 3 });
    expect(parseWaveMark('eu 2/3')).toBeUndefined();
    const t = rolloutTrailersOf('Promote\n\nbody\n\nChange-Id: Iabc\nNephoran-Rollout: Ixyz\nNephoran-Wave: eu (2/3)\nNephoran-Verified: edge-01 synced 0123456789ab at 2026-12-01T08:00:00Z\n');
    expect(t).toEqual({ changeId: 'Ixyz', wave: { name: 'eu', number: 2, count: 3 }, rollback: undefined, verified: ['edge-01 synced 0123456789ab at 2026-12-01T08:00:00Z'], skipped: false, reviewedCommit: undefined });
  });

  test('the log groups into rollouts: a revision commit and its deployment commit are one step; a rollback marks its wave', () => {
    const rec = (commit: string, parent: string, changeId: string | undefined, wave?: string, rollback?: string) => ({
      commit,
      parents: [parent],
      at: `2026-12-01T0${commit.length}:00:00Z`,
      subject: commit,
      trailers: { changeId, wave: parseWaveMark(wave), rollback: parseWaveMark(rollback), verified: [], skipped: false },
    });
    const newestFirst = [
      rec('r3', 'p3', 'IB', undefined, 'rest (3/3)'),
      rec('p3', 'p2', 'IB', 'rest (3/3)'),
      rec('p2', 'x', 'IB', 'eu (2/3)'),
      rec('x', 'd1', undefined),
      rec('d1', 'v1', 'IB', 'canary (1/3)'),
      rec('v1', 'a', 'IB', 'canary (1/3)'),
      rec('a', '', 'IA', 'rest (3/3)'),
    ];
    const [b, a] = groupRollouts(newestFirst);
    expect(a.changeId).toBe('IA');
    expect(a.reached).toBe(3);
    expect(b.changeId).toBe('IB');
    expect(b.steps.map(s => `${s.action} ${s.wave.name} ${s.commit}`)).toEqual(['publish canary d1', 'publish eu p2', 'publish rest p3', 'rollback rest r3']);
    expect(b.reached).toBe(3);
    expect([...b.rolledBack]).toEqual([3]);
    expect(b.waveCommits.get(1)!.commit).toBe('d1');
    expect(b.firstCommit).toBe('v1');
    expect(b.before).toBe('a');
  });
});
