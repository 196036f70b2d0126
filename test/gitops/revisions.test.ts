import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ALICE } from './fixtures';
import { Cluster, DeliveryMode, Environment, Fleet, FleetLayout, GitAuth, Placement } from '../../src/fleet';
import { ConflictError, diffTree, publish, publishRepoSet, PublishResult } from '../../src/gitops';
import { GitOpsRepository, readRepoSetFromFolder, RepoSet, RepoTree, writeRepoSetToFolder } from '../../src/repo';
import { TestWorkload } from '../fleet/support';
import { createBareRemote, git, removeTempDirs, showFile, tempDir, tryGit } from '../support/git';
import { onPath } from '../support/tmp';

// Real git (bare remotes over file://) and, where it is on PATH, the real kpt binary: the
// published variants must be what `kpt pkg update` accepts.

afterAll(removeTempDirs);

const FLEET_URL = 'https://git.example.com/telco/fleet.git';
const MGMT_URL = 'https://git.example.com/nephio/mgmt.git';
const TEMPLATE = 'https://git.example.com/nephio/{cluster}.git';
const BLUEPRINT = 'packages/network-functions/upf';

const HAS_KPT = onPath('kpt');
if (!HAS_KPT) process.stderr.write('SKIPPING the kpt pkg update checks of test/gitops/revisions.test.ts: `kpt` is not on PATH\n');
const kptTest = HAS_KPT ? test : test.skip;

/** A small fleet: a UPF blueprint placed on a production edge cluster and a staging lab cluster. */
function program(dnn: string, options: { layout?: FleetLayout; porch?: boolean; url?: string } = {}): RepoSet {
  const repo = new GitOpsRepository();
  const upf = new TestWorkload(repo, 'upf', { namespace: 'upf', configuration: { dnn, mtu: '1500' } });
  const fleet = new Fleet(repo, 'fleet', {
    repoUrl: options.url ?? FLEET_URL, auth: GitAuth.none(), layout: options.layout, deliveryMode: options.porch ? DeliveryMode.porch() : undefined,
  });
  const edge = new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west' });
  new Cluster(fleet, 'lab-01', { environment: Environment.STAGING, region: 'eu-west' });
  const placement = new Placement(fleet, 'upf-edge', { blueprint: upf });
  placement.addEnvironmentOverrides(Environment.STAGING, { replicas: 2 });
  void edge;
  return repo.synthTrees().repositories;
}

function single(dnn: string): RepoTree {
  const set = program(dnn);
  return set.tree(set.primary);
}

function yamlAt(repo: string, ref: string, file: string): any {
  const text = showFile(repo, ref, file);
  if (text === undefined) throw new Error(`no ${file} at ${ref} in ${repo}`);
  return parse(text, { version: '1.1' });
}

/** Every Kptfile at a ref that has an upstream, by folder. */
function variantKptfiles(repo: string, ref: string): Map<string, any> {
  const files = git(repo, 'ls-tree', '-r', '--name-only', ref).split('\n').filter(f => f.endsWith('/Kptfile') || f === 'Kptfile');
  const result = new Map<string, any>();
  for (const file of files) {
    const kptfile = yamlAt(repo, ref, file);
    if (kptfile.upstream) result.set(file === 'Kptfile' ? '' : file.slice(0, -'/Kptfile'.length), kptfile);
  }
  return result;
}

/** The lock of each variant names a real commit of the remote, holding the upstream package as the tag does. */
function expectLocksResolve(variantRepo: string, ref: string, upstreamRepo: string, expectedTag: string): Map<string, any> {
  const variants = variantKptfiles(variantRepo, ref);
  expect(variants.size).toBeGreaterThan(0);
  const tagCommit = git(upstreamRepo, 'rev-parse', `refs/tags/${expectedTag}^{commit}`);
  for (const [folder, kptfile] of variants) {
    const lock = kptfile.upstreamLock.git;
    expect([folder, kptfile.upstream.git.ref, lock.ref, lock.commit]).toEqual([folder, expectedTag, expectedTag, tagCommit]);
    expect(tryGit(upstreamRepo, 'cat-file', '-e', `${lock.commit}^{commit}`)).toBe('');
    // The locked commit holds the upstream folder with what the tag names.
    expect(git(upstreamRepo, 'rev-parse', `${lock.commit}:${lock.directory}`)).toBe(git(upstreamRepo, 'rev-parse', `${expectedTag}:${lock.directory}`));
  }
  return variants;
}

function tags(repo: string): string[] {
  return (tryGit(repo, 'tag', '--list') ?? '').split('\n').filter(t => t);
}

/** Runs kpt with git isolated from the machine: the fleet URL is redirected to the local remote. */
function kpt(cwd: string, home: string, args: string[]): { status: number | null; out: string } {
  const result = spawnSync('kpt', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, HOME: home, GIT_CONFIG_GLOBAL: path.join(home, 'gitconfig'), GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' },
  });
  return { status: result.status, out: `${result.stdout}\n${result.stderr}` };
}

function kptHome(redirects: Record<string, string>): string {
  const home = tempDir('nephoran-kpt-home-');
  const config = Object.entries(redirects).map(([url, remote]) => `[url "file://${remote}"]\n\tinsteadOf = ${url}\n`).join('');
  fs.writeFileSync(path.join(home, 'gitconfig'), config + '[user]\n\tname = Test\n\temail = test@example.com\n');
  return home;
}

function checkout(remote: string, commit: string): string {
  const dir = path.join(tempDir('nephoran-checkout-'), 'work');
  execFileSync('git', ['clone', '--quiet', remote, dir]);
  git(dir, 'checkout', '--quiet', commit);
  return dir;
}

function withoutKptBookkeeping(object: any): any {
  const copy = JSON.parse(JSON.stringify(object));
  const annotations = copy.metadata?.annotations;
  if (annotations) {
    for (const key of Object.keys(annotations)) if (key.startsWith('internal.kpt.dev/')) delete annotations[key];
    if (Object.keys(annotations).length === 0) delete copy.metadata.annotations;
  }
  return copy;
}

function readYaml(file: string): any {
  return parse(fs.readFileSync(file, 'utf8'), { version: '1.1' });
}

describe('single repository: blueprints published as numbered revisions, variants locked to them', () => {
  const dir = tempDir();
  const remote = createBareRemote(dir);
  const opts = { remote, cwd: dir, author: ALICE, committer: ALICE };
  let first: PublishResult;
  let second: PublishResult;

  test('synth writes the variant as declared and binds it to its blueprint; the binding survives a folder round trip', () => {
    const set = program('internet');
    const tree = set.tree(set.primary);
    const bindings = tree.revisionBindings();
    expect(bindings.map(b => [b.path, b.upstream])).toEqual([
      ['deployments/production/edge-01/upf/Kptfile', BLUEPRINT],
      ['deployments/staging/lab-01/upf/Kptfile', BLUEPRINT],
    ]);
    // The folder output: upstream ref as the program gives it (the branch), no lock commit.
    const kptfile = parse(tree.getText(bindings[0].path)!);
    expect(kptfile.upstreamLock.git.commit).toBeUndefined();
    const out = path.join(tempDir(), 'out');
    writeRepoSetToFolder(set, out);
    expect(readRepoSetFromFolder(out).tree(set.primary).revisionBindings()).toEqual(bindings);
  });

  test('the first publish tags the blueprint v1 and locks every variant to that commit, in one atomic push', async () => {
    first = await publish(single('internet'), opts);
    expect(first.changed).toBe(true);
    expect(first.tags).toEqual([`${BLUEPRINT}/v1`]);
    expect(tags(remote)).toEqual([`${BLUEPRINT}/v1`]);
    expectLocksResolve(remote, 'main', remote, `${BLUEPRINT}/v1`);
    // The revision commit is main's parent: the blueprint first, then the variants locked to it.
    expect(git(remote, 'rev-parse', 'main^')).toBe(git(remote, 'rev-parse', `${BLUEPRINT}/v1^{commit}`));
    expect(git(remote, 'log', '-1', '--format=%B', 'main^')).toMatch(new RegExp(`^Publish package revision ${BLUEPRINT}/v1\\n[\\s\\S]*Package-Revision: ${BLUEPRINT}/v1$`));
    expect(first.revisions!.map(r => [r.packagePath, r.revision, r.workspaceName])).toEqual([[BLUEPRINT, 1, 'v1']]);
  });

  test('publishing the same program again makes no commit and no tag; diff shows no difference', async () => {
    const main = git(remote, 'rev-parse', 'main');
    const again = await publish(single('internet'), opts);
    expect(again.changed).toBe(false);
    expect(git(remote, 'rev-parse', 'main')).toBe(main);
    expect(tags(remote)).toEqual([`${BLUEPRINT}/v1`]);
    const diff = await diffTree(single('internet'), { remote, cwd: dir });
    expect([diff.different, diff.newRevisions]).toEqual([false, []]);
    const changed = await diffTree(single('ims'), { remote, cwd: dir });
    expect([changed.different, changed.newRevisions]).toEqual([true, [`${BLUEPRINT}/v2`]]);
    expect(tags(remote)).toEqual([`${BLUEPRINT}/v1`]);
  });

  test('a blueprint change publishes v2 and moves every variant to it in the same push', async () => {
    second = await publish(single('ims'), opts);
    expect(second.tags).toEqual([`${BLUEPRINT}/v2`]);
    expect(tags(remote).sort()).toEqual([`${BLUEPRINT}/v1`, `${BLUEPRINT}/v2`]);
    const variants = expectLocksResolve(remote, 'main', remote, `${BLUEPRINT}/v2`);
    // v1 still names the first content.
    expect(yamlAt(remote, `${BLUEPRINT}/v1`, `${BLUEPRINT}/configmap_upf-config.yaml`).data.dnn).toBe('internet');
    expect(yamlAt(remote, `${BLUEPRINT}/v2`, `${BLUEPRINT}/configmap_upf-config.yaml`).data.dnn).toBe('ims');
    expect(variants.size).toBe(2);
  });

  test('a change outside the blueprints publishes no revision', async () => {
    const tree = single('ims');
    tree.setFile('README.md', 'fleet\n');
    const third = await publish(tree, opts);
    expect([third.changed, third.tags]).toEqual([true, []]);
    expect(tags(remote).sort()).toEqual([`${BLUEPRINT}/v1`, `${BLUEPRINT}/v2`]);
    expectLocksResolve(remote, 'main', remote, `${BLUEPRINT}/v2`);
  });

  kptTest('kpt pkg update brings a first-publish variant to v2, keeping its hydrated fields; on a v2 variant it has nothing to do', () => {
    const home = kptHome({ [FLEET_URL]: remote });
    const work = checkout(remote, first.commit!);
    const variant = [...variantKptfiles(remote, first.commit!).keys()].find(f => f.includes('/production/'))!;
    const before = readYaml(path.join(work, variant, 'configmap_upf-config.yaml'));
    expect(before.data.dnn).toBe('internet');
    expect(before.metadata.labels?.['nephio.org/cluster-name']).toBe('edge-01');
    const updated = kpt(work, home, ['pkg', 'update', `${variant}@${BLUEPRINT}/v2`]);
    expect([updated.status, updated.out]).toEqual([0, expect.stringContaining('Updated')]);
    const after = readYaml(path.join(work, variant, 'configmap_upf-config.yaml'));
    expect(after.data).toEqual({ ...before.data, dnn: 'ims' });
    // What synth hydrated for the cluster stays (kpt adds its own merge key annotation).
    const { annotations, ...metadata } = after.metadata;
    expect([metadata, annotations]).toEqual([before.metadata, { 'internal.kpt.dev/upstream-identifier': '|ConfigMap|upf|upf-config' }]);
    const lock = readYaml(path.join(work, variant, 'Kptfile')).upstreamLock.git;
    expect([lock.ref, lock.commit]).toEqual([`${BLUEPRINT}/v2`, git(remote, 'rev-parse', `${BLUEPRINT}/v2^{commit}`)]);

    // The control: the variant as synth writes it to a folder (no lock commit) is what kpt refuses.
    const unlocked = checkout(remote, first.commit!);
    fs.writeFileSync(path.join(unlocked, variant, 'Kptfile'), single('internet').getText(`${variant}/Kptfile`)!);
    const refused = kpt(unlocked, home, ['pkg', 'update', `${variant}@${BLUEPRINT}/v2`]);
    expect([refused.status === 0, refused.out]).toEqual([false, expect.stringContaining("ambiguous argument ''")]);

    const current = checkout(remote, second.commit!);
    // kpt records its merge key on every resource it merges (internal.kpt.dev/upstream-identifier);
    // apart from that bookkeeping nothing changes.
    const objects = () => fs.readdirSync(path.join(current, variant)).sort()
      .map(f => [f, withoutKptBookkeeping(readYaml(path.join(current, variant, f)))]);
    const beforeNoop = objects();
    const noop = kpt(current, home, ['pkg', 'update', variant]);
    expect([noop.status, noop.out]).toEqual([0, expect.not.stringContaining('Error')]);
    expect(objects()).toEqual(beforeNoop);
  });

  test('a rollback restores the older locks as they were: they still name existing tagged commits', async () => {
    const { rollback } = await import('../../src/gitops');
    const result = await rollback({ ...opts, to: first.commit! });
    expect(result.changed).toBe(true);
    expect(result.tags ?? []).toEqual([]);
    expectLocksResolve(remote, 'main', remote, `${BLUEPRINT}/v1`);
    // Publishing the program again would move the variants' locks the rollback restored: refused unless said so.
    await expect(publish(single('ims'), opts)).rejects.toThrow(/would undo changes made on main since [\s\S]*upf\/Kptfile: [0-9a-f]{12} .*Roll back to/);
    expectLocksResolve(remote, 'main', remote, `${BLUEPRINT}/v1`);
    // Said so, it re-resolves: its blueprint equals the latest revision, v2, so no new one.
    const forward = await publish(single('ims'), { ...opts, allowRevert: true });
    expect(forward.tags).toEqual([]);
    expect(forward.reverts).toEqual([result.commit]);
    expect(git(remote, 'log', '-1', '--format=%B', 'main')).toContain(`Reverts: ${result.commit}`);
    expectLocksResolve(remote, 'main', remote, `${BLUEPRINT}/v2`);
  });
});

describe('repository per cluster: variants in cluster repositories lock to the management repository\'s revisions', () => {
  test('the management repository is published first; every cluster variant locks a commit it holds; a change bumps them all', async () => {
    const dir = tempDir();
    const layout = () => FleetLayout.repositoryPerCluster({ repoUrlTemplate: TEMPLATE });
    const set = program('internet', { layout: layout(), url: MGMT_URL });
    expect(set.names).toEqual(['mgmt', 'edge-01', 'lab-01']);
    expect(set.tree('edge-01').revisionBindings().map(b => [b.repository, b.upstream])).toEqual([['mgmt', BLUEPRINT]]);
    const remotes = set.names.map(repository => ({ repository, remote: createBareRemote(dir, `${repository}.git`) }));
    const remoteOf = (name: string) => remotes.find(r => r.repository === name)!.remote;
    const result = await publishRepoSet(set, remotes, { cwd: dir, author: ALICE, committer: ALICE, concurrency: 4 });
    expect([result.ok, result.landed, result.outcomes.map(o => o.error)]).toEqual([true, ['mgmt', 'edge-01', 'lab-01'], [undefined, undefined, undefined]]);
    for (const cluster of ['edge-01', 'lab-01']) expectLocksResolve(remoteOf(cluster), 'main', remoteOf('mgmt'), `${BLUEPRINT}/v1`);

    const again = await publishRepoSet(program('internet', { layout: layout(), url: MGMT_URL }), remotes, { cwd: dir, author: ALICE, committer: ALICE });
    expect(again.unchanged).toEqual(['mgmt', 'edge-01', 'lab-01']);

    const changed = await publishRepoSet(program('ims', { layout: layout(), url: MGMT_URL }), remotes, { cwd: dir, author: ALICE, committer: ALICE });
    expect(changed.landed).toEqual(['mgmt', 'edge-01', 'lab-01']);
    for (const cluster of ['edge-01', 'lab-01']) expectLocksResolve(remoteOf(cluster), 'main', remoteOf('mgmt'), `${BLUEPRINT}/v2`);

    // A cluster repository alone cannot be locked: its upstream revisions come from the management repository.
    await expect(publish(program('ims', { layout: layout(), url: MGMT_URL }).tree('edge-01'), { remote: remoteOf('edge-01'), cwd: dir, author: ALICE }))
      .rejects.toThrow(/lock to package revisions of repository mgmt, which was not published with this one/);
  });

  kptTest('kpt pkg update works on a cluster repository\'s variant, fetching the management repository\'s revision', async () => {
    const dir = tempDir();
    const set = program('internet', { layout: FleetLayout.repositoryPerCluster({ repoUrlTemplate: TEMPLATE }), url: MGMT_URL });
    const remotes = set.names.map(repository => ({ repository, remote: createBareRemote(dir, `${repository}.git`) }));
    const remoteOf = (name: string) => remotes.find(r => r.repository === name)!.remote;
    const first = await publishRepoSet(set, remotes, { cwd: dir, author: ALICE, committer: ALICE });
    const edgeCommit = first.outcomes.find(o => o.repository === 'edge-01')!.result!.commit!;
    await publishRepoSet(program('ims', { layout: FleetLayout.repositoryPerCluster({ repoUrlTemplate: TEMPLATE }), url: MGMT_URL }), remotes, { cwd: dir, author: ALICE, committer: ALICE });
    const work = checkout(remoteOf('edge-01'), edgeCommit);
    const variant = [...variantKptfiles(remoteOf('edge-01'), edgeCommit).keys()][0];
    const result = kpt(work, kptHome({ [MGMT_URL]: remoteOf('mgmt') }), ['pkg', 'update', `${variant}@${BLUEPRINT}/v2`]);
    expect([result.status, result.out]).toEqual([0, expect.stringContaining('Updated')]);
    expect(readYaml(path.join(work, variant, 'configmap_upf-config.yaml')).data.dnn).toBe('ims');
  });
});

describe('Porch fan-out: PackageVariantSets pin numbered revisions, bumped with the blueprint', () => {
  test('publish pins each set to its upstream\'s revision (never main), and a blueprint change bumps it in the same push', async () => {
    const dir = tempDir();
    const build = (dnn: string) => program(dnn, {
      layout: FleetLayout.repositoryPerCluster({ repoUrlTemplate: TEMPLATE }),
      porch: true,
      url: MGMT_URL,
    });
    const set = build('internet');
    const remotes = set.names.map(repository => ({ repository, remote: createBareRemote(dir, `${repository}.git`) }));
    const mgmt = remotes.find(r => r.repository === 'mgmt')!.remote;
    const pvs = () => git(mgmt, 'ls-tree', '-r', '--name-only', 'main', 'porch/').split('\n').filter(f => f.includes('packagevariantset_')).map(f => yamlAt(mgmt, 'main', f));
    expect((await publishRepoSet(set, remotes, { cwd: dir, author: ALICE, committer: ALICE })).ok).toBe(true);
    const upstreams = pvs().map(s => [s.metadata.name, s.spec.upstream]);
    // Production clones the blueprint; staging clones the variant rendered for its overrides.
    expect(upstreams).toEqual([
      ['upf-edge-production', { package: 'network-functions/upf', repo: 'mgmt-blueprints', revision: 1, workspaceName: 'v1' }],
      ['upf-edge-staging', { package: 'variants/upf-edge/staging', repo: 'mgmt-blueprints', revision: 1, workspaceName: 'v1' }],
    ]);
    expect(tags(mgmt).sort()).toEqual([`${BLUEPRINT}/v1`, 'packages/variants/upf-edge/staging/v1']);
    // The scope variant is locked to the blueprint revision, then published as its own revision on top.
    expectLocksResolve(mgmt, 'packages/variants/upf-edge/staging/v1', mgmt, `${BLUEPRINT}/v1`);

    expect((await publishRepoSet(build('internet'), remotes, { cwd: dir, author: ALICE, committer: ALICE })).unchanged).toEqual(set.names);
    expect((await publishRepoSet(build('ims'), remotes, { cwd: dir, author: ALICE, committer: ALICE })).ok).toBe(true);
    expect(pvs().map(s => [s.metadata.name, s.spec.upstream.revision, s.spec.upstream.workspaceName])).toEqual([
      ['upf-edge-production', 2, 'v2'], ['upf-edge-staging', 2, 'v2'],
    ]);
    expect(tags(mgmt).sort()).toEqual([`${BLUEPRINT}/v1`, `${BLUEPRINT}/v2`, 'packages/variants/upf-edge/staging/v1', 'packages/variants/upf-edge/staging/v2']);
    expect(yamlAt(mgmt, 'packages/variants/upf-edge/staging/v2', 'packages/variants/upf-edge/staging/configmap_upf-config.yaml').data.dnn).toBe('ims');
  });
});

describe('review modes: a revision is published when main takes it', () => {
  test('pull-request: the review branch carries the revision commit; merging pushes its tag with main', async () => {
    const { mergeReview } = await import('../../src/gitops');
    const dir = tempDir();
    const remote = createBareRemote(dir);
    const opts = { remote, cwd: dir, author: ALICE, committer: ALICE, mode: 'pull-request' as const };
    const proposed = await publish(single('internet'), opts);
    expect([proposed.changed, proposed.tags]).toEqual([true, [`${BLUEPRINT}/v1`]]);
    expect(proposed.description).toContain(`Merging it publishes ${BLUEPRINT}/v1.`);
    expect(tags(remote)).toEqual([]);
    const again = await publish(single('internet'), opts);
    expect(again.description).toMatch(/^Already proposed on /);
    expect(git(remote, 'rev-parse', `refs/heads/${proposed.reviewBranch}`)).toBe(proposed.commit);

    const merged = await mergeReview(proposed.reviewBranch!, { remote, cwd: dir, committer: ALICE });
    expect(tags(remote)).toEqual([`${BLUEPRINT}/v1`]);
    expect(git(remote, 'rev-parse', 'main')).toBe(merged.commit);
    expectLocksResolve(remote, 'main', remote, `${BLUEPRINT}/v1`);
    expect((await publish(single('internet'), { ...opts, mode: 'direct' })).changed).toBe(false);
  });

  test('pull-request: a revision number taken meanwhile by a direct publish refuses the merge, and nothing moves', async () => {
    const { mergeReview } = await import('../../src/gitops');
    const dir = tempDir();
    const remote = createBareRemote(dir);
    const opts = { remote, cwd: dir, author: ALICE, committer: ALICE };
    await publish(single('internet'), opts);
    const review = await publish(single('ims'), { ...opts, mode: 'pull-request' });
    await publish(single('n6'), opts);
    const main = git(remote, 'rev-parse', 'main');
    await expect(mergeReview(review.reviewBranch!, { remote, cwd: dir, committer: ALICE })).rejects.toThrow(`revision ${BLUEPRINT}/v2 was published meanwhile by another change`);
    expect(git(remote, 'rev-parse', 'main')).toBe(main);
    expect(yamlAt(remote, `${BLUEPRINT}/v2`, `${BLUEPRINT}/configmap_upf-config.yaml`).data.dnn).toBe('n6');
  });

  test('proposal: variants lock only published revisions, so a changed blueprint is proposed and approved first', async () => {
    const dir = tempDir();
    const remote = createBareRemote(dir);
    const opts = { remote, cwd: dir, author: ALICE, committer: ALICE };
    await publish(single('internet'), opts);
    await expect(publish(single('ims'), { ...opts, mode: 'proposal' })).rejects.toThrow(`"${BLUEPRINT}" differs from its latest published revision`);
    expect(tags(remote)).toEqual([`${BLUEPRINT}/v1`]);
    // A change that leaves the blueprint alone is proposed with the variants still locked to v1.
    const tree = single('internet');
    tree.setFile('deployments/production/edge-01/upf/README.md', 'edge\n');
    const proposed = await publish(tree, { ...opts, mode: 'proposal' });
    expect(proposed.proposals!.map(p => p.packagePath)).toEqual(['deployments/production/edge-01/upf']);
  });
});

describe('races: a publish that loses the push plans its revisions again on the new head', () => {
  test('main moved meanwhile: the revision commit is rebuilt on the new head, tagged, and nothing of theirs is lost', async () => {
    const { commitAsPerson, loseNextPushRace } = await import('../support/git');
    const dir = tempDir();
    const remote = createBareRemote(dir);
    const opts = { remote, cwd: dir, author: ALICE, committer: ALICE };
    await publish(single('internet'), opts);
    const theirs = commitAsPerson(remote, 'main', { 'NOTES.md': 'by hand\n' }, 'Notes', undefined, 'side');
    loseNextPushRace(remote, theirs);
    const result = await publish(single('ims'), opts);
    expect([result.attempts, result.tags]).toEqual([2, [`${BLUEPRINT}/v2`]]);
    expect(git(remote, 'rev-parse', `${BLUEPRINT}/v2^{commit}^`)).toBe(theirs);
    expect(showFile(remote, 'main', 'NOTES.md')).toBe('by hand');
    expectLocksResolve(remote, 'main', remote, `${BLUEPRINT}/v2`);
  });

  test('another publisher revised the same blueprint meanwhile: the atomic push lands nothing, and the different content is a conflict', async () => {
    const { loseNextPushRace } = await import('../support/git');
    const dir = tempDir();
    const remote = createBareRemote(dir);
    const opts = { remote, cwd: dir, author: ALICE, committer: ALICE };
    await publish(single('internet'), opts);
    // Another publisher (own cache) publishes v2 while this one pushes.
    const other = await publish(single('n6'), { ...opts, cacheDir: path.join(dir, 'other-cache') });
    git(remote, 'update-ref', 'refs/heads/main', `${other.commit}~2`);
    git(remote, 'update-ref', '-d', `refs/tags/${BLUEPRINT}/v2`);
    const v2 = other.revisions!.find(r => r.packagePath === BLUEPRINT)!.commit;
    fs.writeFileSync(path.join(remote, 'hooks', 'pre-receive'), `#!/bin/sh\ncat >/dev/null\n[ -f "$GIT_DIR/race-once" ] || exit 0\nrm -f "$GIT_DIR/race-once"\nenv -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES git update-ref refs/tags/${BLUEPRINT}/v2 ${v2}\nenv -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES git update-ref refs/heads/main ${other.commit}\nexit 0\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(remote, 'race-once'), 'x');
    void loseNextPushRace;
    // Their blueprint change landed after this program's base: publishing would undo it.
    const lost = publish(single('ims'), opts);
    await expect(lost).rejects.toThrow(ConflictError);
    await expect(lost).rejects.toThrow(/would undo changes made on main since [0-9a-f]{12}.*\n(.*\n)*  packages\/network-functions\/upf\/configmap_upf-config.yaml: [0-9a-f]{12} Alice Author <alice@example.com>: Publish package revision packages\/network-functions\/upf\/v2/);
    // Theirs stands: their v2, their main; no tag of this publish.
    expect([git(remote, 'rev-parse', 'main'), git(remote, 'rev-parse', `${BLUEPRINT}/v2^{commit}`), tags(remote).sort()])
      .toEqual([other.commit, v2, [`${BLUEPRINT}/v1`, `${BLUEPRINT}/v2`]]);
    // The same content as theirs is no conflict: it resolves to their v2.
    const same = await publish(single('n6'), opts);
    expect([same.changed, same.revisions!.map(r => r.tag)]).toEqual([false, [`${BLUEPRINT}/v2`]]);
  });
});
