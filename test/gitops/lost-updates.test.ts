import * as fs from 'fs';
import * as path from 'path';
import { ALICE, BOB, fleetTree } from './fixtures';
import { ConflictError, publish, RemoteLockedError, StaleSourceError } from '../../src/gitops';
import { commitAsPerson, createBareRemote, git, loseNextPushRace, refUpdates, removeTempDirs, showFile, tempDir } from '../support/git';

// Lost updates on real bare remotes: a program older than the remote never silently undoes what
// landed since its base (another publish, a person's hotfix); concurrent publishers all land; a
// lock file left on the remote is reported as such.

afterAll(removeTempDirs);

const PRODUCTION = 'deployments/production/edge01/amf/deployment-amf.yaml';
const STAGING = 'deployments/staging/lab01/amf/deployment-amf.yaml';

function setup() {
  const root = tempDir();
  const remote = createBareRemote(root);
  git(remote, 'config', 'core.logAllRefUpdates', 'always');
  const as = (who: string, author = ALICE) => ({ remote, cwd: root, cacheDir: path.join(root, `cache-${who}`), author });
  return { root, remote, as };
}

function neverForcePushed(remote: string): void {
  for (const [before, after] of refUpdates(remote, 'refs/heads/main')) {
    if (/^0+$/.test(before)) continue;
    expect(git(remote, 'merge-base', '--is-ancestor', before, after)).toBe('');
  }
}

async function refusal(attempt: Promise<unknown>): Promise<StaleSourceError> {
  try {
    await attempt;
  } catch (err) {
    if (err instanceof StaleSourceError) return err;
    throw err;
  }
  throw new Error('expected the publish to be refused');
}

describe('a stale program', () => {
  test('B, whose program lacks A\'s change and changes the same file, is refused naming A\'s commit, author and subject; nothing moves', async () => {
    const { remote, as } = setup();
    await publish(fleetTree(), as('a'));
    // B's program is at the same state: its no-op publish records that base.
    expect((await publish(fleetTree(), as('b', BOB))).changed).toBe(false);
    const a = await publish(fleetTree({ productionReplicas: 3 }), { ...as('a'), message: 'Production to 3' });

    // B's program, which never saw production at 3, sets it to 5. diff says so before publish does.
    const { diffTree, formatTreeDiff } = await import('../../src/gitops');
    const diff = await diffTree(fleetTree({ productionReplicas: 5 }), as('b', BOB));
    expect(diff.undone).toEqual([{ path: PRODUCTION, commits: [{ commit: a.commit, author: 'Alice Author <alice@example.com>', subject: 'Production to 3' }] }]);
    expect(formatTreeDiff(diff)).toContain(`Publishing would undo changes made on main since this program's base, and is refused unless --allow-revert:\n  ${PRODUCTION}: ${a.commit!.slice(0, 12)} Alice Author`);
    const err = await refusal(publish(fleetTree({ productionReplicas: 5 }), as('b', BOB)));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.changes).toEqual([{ path: PRODUCTION, commits: [{ commit: a.commit, author: 'Alice Author <alice@example.com>', subject: 'Production to 3' }] }]);
    expect(err.message).toContain(`${PRODUCTION}: ${a.commit!.slice(0, 12)} Alice Author <alice@example.com>: Production to 3`);
    expect(err.message).toMatch(/Update the program .* or, if undoing them is intended, publish with --allow-revert/);
    expect(git(remote, 'rev-parse', 'main')).toBe(a.commit);

    // Updated, B lands and A's change stays.
    const updated = await publish(fleetTree({ productionReplicas: 3, stagingReplicas: 5 }), as('b', BOB));
    expect([updated.changed, updated.kept]).toEqual([true, []]);
    expect(showFile(remote, 'main', PRODUCTION)).toContain('replicas: 3');
    expect(showFile(remote, 'main', STAGING)).toContain('replicas: 5');
    neverForcePushed(remote);
  });

  test('B, whose program lacks A\'s change and changes another file, lands and keeps A\'s change, saying so', async () => {
    const { remote, as } = setup();
    await publish(fleetTree(), as('a'));
    await publish(fleetTree(), as('b', BOB));
    await publish(fleetTree({ productionReplicas: 3 }), { ...as('a'), message: 'Production to 3' });
    const b = await publish(fleetTree({ stagingReplicas: 5 }), as('b', BOB));
    expect([b.changed, b.kept]).toEqual([true, [PRODUCTION]]);
    expect(b.description).toContain(`Kept as the branch has them a file changed since this program's base that the program does not hold: "${PRODUCTION}"`);
    expect(showFile(remote, 'main', PRODUCTION)).toContain('replicas: 3');
    expect(showFile(remote, 'main', STAGING)).toContain('replicas: 5');
    expect(git(remote, 'log', '-1', '--format=%B', 'main')).toMatch(/^Reapplied-From: [0-9a-f]{40}$/m);
    // B's program still lacks it: the next change to that file is refused, another file lands.
    await refusal(publish(fleetTree({ stagingReplicas: 5, productionReplicas: 4 }), as('b', BOB)));
    expect((await publish(fleetTree({ stagingReplicas: 6 }), as('b', BOB))).kept).toEqual([PRODUCTION]);
    expect(showFile(remote, 'main', PRODUCTION)).toContain('replicas: 3');
    neverForcePushed(remote);
  });

  test('with allowRevert the stale program lands and the commit records what it undid', async () => {
    const { remote, as } = setup();
    const initial = await publish(fleetTree(), as('a'));
    await publish(fleetTree(), as('b', BOB));
    const a = await publish(fleetTree({ productionReplicas: 3 }), { ...as('a'), message: 'Production to 3' });
    const reverted = await publish(fleetTree({ stagingReplicas: 5 }), { ...as('b', BOB), allowRevert: true });
    expect(reverted.reverts).toEqual([a.commit]);
    expect(reverted.description).toContain(`undoes, as allowed, the changes of ${a.commit!.slice(0, 12)}`);
    const message = git(remote, 'log', '-1', '--format=%B', 'main');
    expect(message).toContain(`Reverts: ${a.commit}`);
    expect(message).toContain(`Nephoran-Base: ${initial.commit}`);
    expect(showFile(remote, 'main', PRODUCTION)).toContain('replicas: 2');
    neverForcePushed(remote);
  });

  test('a program changing a file a person hotfixed is refused, naming the person; one leaving it keeps the hotfix', async () => {
    const { remote, as } = setup();
    await publish(fleetTree(), as('a'));
    const hotfix = commitAsPerson(remote, 'main', { [PRODUCTION]: fleetTree({ productionReplicas: 9 }).getText(PRODUCTION)! }, 'Hotfix: production to 9 during the incident');
    const err = await refusal(publish(fleetTree({ productionReplicas: 4 }), as('a')));
    expect(err.message).toContain(`${PRODUCTION}: ${hotfix.slice(0, 12)} Pat Person <pat@example.com>: Hotfix: production to 9 during the incident`);
    expect(git(remote, 'rev-parse', 'main')).toBe(hotfix);
    expect(showFile(remote, 'main', PRODUCTION)).toContain('replicas: 9');

    // A change elsewhere keeps the hotfix.
    const elsewhere = await publish(fleetTree({ developmentReplicas: 2 }), as('a'));
    expect(elsewhere.kept).toEqual([PRODUCTION]);
    expect(showFile(remote, 'main', PRODUCTION)).toContain('replicas: 9');
    // The program takes the hotfix over: it lands. A person's own file (not generated) never conflicts.
    const notes = commitAsPerson(remote, 'main', { 'docs/runbook.md': '# runbook\n' }, 'Runbook');
    const landed = await publish(fleetTree({ productionReplicas: 9, developmentReplicas: 3 }), as('a'));
    expect(landed.kept).toEqual([]);
    expect(git(remote, 'rev-parse', 'main~1')).toBe(notes);
    expect(landed.commit).toBe(git(remote, 'rev-parse', 'main'));
    expect(showFile(remote, 'main', 'docs/runbook.md')).toBe('# runbook');
  });

  test('--base names the program\'s base when the cache has none (a fresh checkout)', async () => {
    const { remote, as } = setup();
    const initial = await publish(fleetTree(), as('a'));
    const a = await publish(fleetTree({ productionReplicas: 3 }), { ...as('a'), message: 'Production to 3' });
    const err = await refusal(publish(fleetTree({ productionReplicas: 5 }), { ...as('fresh', BOB), base: initial.commit }));
    expect(err.changes.map(c => [c.path, c.commits[0].commit])).toEqual([[PRODUCTION, a.commit]]);
    await expect(publish(fleetTree(), { ...as('fresh', BOB), base: 'no-such-commit' })).rejects.toThrow(/the base "no-such-commit" is not a commit/);
    expect(git(remote, 'rev-parse', 'main')).toBe(a.commit);
  });

  test('a fresh cache (a CI runner) takes as base the newest publish from a commit its program\'s sources hold', async () => {
    const { root, remote, as } = setup();
    const source = path.join(root, 'program');
    fs.mkdirSync(source);
    git(source, 'init', '--quiet');
    fs.writeFileSync(path.join(source, 'main.ts'), '// v1\n');
    git(source, 'add', '-A');
    git(source, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '--quiet', '-m', 'v1');
    const first = await publish(fleetTree(), { ...as('runner-1'), sourceDir: source });
    expect(git(remote, 'log', '-1', '--format=%B', 'main')).toContain(`Source-Commit: ${git(source, 'rev-parse', 'HEAD')}`);
    // Someone else's program (no source repository) changes production.
    const a = await publish(fleetTree({ productionReplicas: 3 }), { ...as('elsewhere'), message: 'Production to 3' });
    // The next commit of the program, published from a fresh runner, still lacks it.
    fs.writeFileSync(path.join(source, 'main.ts'), '// v2\n');
    git(source, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '--quiet', '-am', 'v2');
    const err = await refusal(publish(fleetTree({ productionReplicas: 5 }), { ...as('runner-2'), sourceDir: source }));
    expect(err.message).toContain(`since ${first.commit!.slice(0, 12)}`);
    expect(err.changes.map(c => [c.path, c.commits[0].commit])).toEqual([[PRODUCTION, a.commit]]);
    // A program holding the change lands from a fresh runner too.
    expect((await publish(fleetTree({ productionReplicas: 3, stagingReplicas: 5 }), { ...as('runner-3'), sourceDir: source })).changed).toBe(true);
  });

  test('a publish that lost a race keeps the change that landed meanwhile, and its program is still held to it afterwards', async () => {
    const { remote, as } = setup();
    await publish(fleetTree(), as('a'));
    const theirs = commitAsPerson(remote, 'main', { [STAGING]: fleetTree({ stagingReplicas: 4 }).getText(STAGING)! }, 'Staging to 4', BOB, 'side');
    loseNextPushRace(remote, theirs);
    const raced = await publish(fleetTree({ productionReplicas: 3 }), as('a'));
    expect(raced.attempts).toBe(2);
    // The landed commit says it holds changes its program does not: no fresh cache takes it as a base.
    expect(git(remote, 'log', '-1', '--format=%B', 'main')).toMatch(/^Reapplied-From: [0-9a-f]{40}$/m);
    expect(showFile(remote, 'main', STAGING)).toContain('replicas: 4');
    expect(showFile(remote, 'main', PRODUCTION)).toContain('replicas: 3');
    // The same program, one more change, still without staging 4: staging 4 is kept; a change of
    // its own to staging would undo Bob's and is refused.
    expect((await publish(fleetTree({ productionReplicas: 3, developmentReplicas: 2 }), as('a'))).kept).toEqual([STAGING]);
    const err = await refusal(publish(fleetTree({ productionReplicas: 3, developmentReplicas: 2, stagingReplicas: 6 }), as('a')));
    expect(err.changes.map(c => [c.path, c.commits.map(x => x.commit)])).toEqual([[STAGING, [theirs]]]);
    // Its own landed change is no conflict for it.
    const next = await publish(fleetTree({ productionReplicas: 5, stagingReplicas: 4 }), as('a'));
    expect(next.changed).toBe(true);
    neverForcePushed(remote);
  });

  test('a rollback is a change the program has not seen: publishing the program again keeps it; allowRevert rolls forward', async () => {
    const { rollback } = await import('../../src/gitops');
    const { remote, as } = setup();
    const first = await publish(fleetTree(), as('a'));
    await publish(fleetTree({ productionReplicas: 3 }), as('a'));
    const back = await rollback({ ...as('a'), to: first.commit! });
    const kept = await publish(fleetTree({ productionReplicas: 3 }), as('a'));
    expect([kept.changed, kept.kept]).toEqual([false, [PRODUCTION]]);
    expect(showFile(remote, 'main', PRODUCTION)).toContain('replicas: 2');
    const err = await refusal(publish(fleetTree({ productionReplicas: 4 }), as('a')));
    expect(err.changes[0].commits[0]).toMatchObject({ commit: back.commit, subject: `Roll back to ${first.commit!.slice(0, 12)}` });
    const forward = await publish(fleetTree({ productionReplicas: 3 }), { ...as('a'), allowRevert: true });
    expect(forward.reverts).toEqual([back.commit]);
    expect(showFile(remote, 'main', PRODUCTION)).toContain('replicas: 3');
  });
});

describe('concurrent publishers', () => {
  // A pre-receive hook holds every push until all publishers have pushed once: they all planned
  // on the same head, and all but one lose the first race. A barrier, not a delay.
  function holdFirstPushes(remote: string, count: number): void {
    fs.writeFileSync(path.join(remote, 'hooks', 'pre-receive'), [
      '#!/bin/sh',
      'cat >/dev/null',
      'dir="$GIT_DIR/barrier"',
      '[ -f "$GIT_DIR/barrier-open" ] && exit 0',
      'mkdir -p "$dir" && : > "$dir/$$"',
      `while [ "$(ls "$dir" | wc -l)" -lt ${count} ] && [ ! -f "$GIT_DIR/barrier-open" ]; do sleep 0.02; done`,
      ': > "$GIT_DIR/barrier-open"',
      'exit 0',
      '',
    ].join('\n'), { mode: 0o755 });
  }

  test('8 publishers of independent changes, colliding on their first push, all land; nothing is lost', async () => {
    const { root, remote, as } = setup();
    const files = (i: number, value: string) => ({ [`deployments/development/dev01/nf${i}/configmap.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nf${i}\n  namespace: nf${i}\ndata:\n  version: "${value}"\n` });
    const program = (values: string[]) => {
      const tree = fleetTree();
      values.forEach((v, i) => { for (const [p, c] of Object.entries(files(i, v))) tree.addFile(p, c); });
      return tree;
    };
    const start = Array.from({ length: 8 }, () => '0');
    await publish(program(start), as('setup'));
    for (let i = 0; i < 8; i++) expect((await publish(program(start), as(`p${i}`))).changed).toBe(false);
    holdFirstPushes(remote, 8);
    const results = await Promise.all(start.map((_, i) => publish(program(start.map((v, j) => (j === i ? '1' : v))), { ...as(`p${i}`), message: `nf${i} to 1` })));
    expect(results.map(r => r.changed)).toEqual(Array(8).fill(true));
    expect(Math.max(...results.map(r => r.attempts))).toBeGreaterThan(1);
    for (let i = 0; i < 8; i++) expect(showFile(remote, 'main', `deployments/development/dev01/nf${i}/configmap.yaml`)).toContain('version: "1"');
    expect(git(remote, 'rev-list', '--count', 'main')).toBe('9');
    expect(fs.existsSync(path.join(remote, 'barrier-open'))).toBe(true);
    neverForcePushed(remote);
    void root;
    // Eight publishers and their retries against one remote: about 7 s alone, more on a busy machine.
  }, 120_000);
});

describe('a lock left on the remote', () => {
  test('refs/heads/main.lock is reported as a lock with how to clear it, not as a lost race', async () => {
    const { remote, as } = setup();
    await publish(fleetTree(), as('a'));
    const lock = path.join(remote, 'refs', 'heads', 'main.lock');
    fs.writeFileSync(lock, '');
    const attempt = publish(fleetTree({ productionReplicas: 3 }), { ...as('a'), pushDeadlineMs: 30_000 });
    await expect(attempt).rejects.toThrow(RemoteLockedError);
    await attempt.catch((err: RemoteLockedError) => {
      expect(err.message).toMatch(/^main is locked on the remote: the lock file .*refs\/heads\/main.lock exists and stayed for \d+\.\d s/);
      expect(err.message).toContain(`rm '${lock}'`);
      expect(err.message).not.toMatch(/publish again\.$/);
      expect(err.lockFile).toBe(lock);
    });
    fs.rmSync(lock);
    expect((await publish(fleetTree({ productionReplicas: 3 }), as('a'))).changed).toBe(true);
  });
});
