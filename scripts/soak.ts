/**
 * The soak (`npm run soak`, not part of `npm test`): crash, race, fault and leak trials against
 * real git remotes, each counted and printed.
 *
 * 1. SIGKILL during `nephoran synth --out` (at least 50 trials): the folder must hold the old or
 *    the new tree, never a mix; the next run must converge and remove what the killed run left in
 *    the temporary folder.
 * 2. SIGKILL during `nephoran publish` (at least 50): the remote passes `git fsck`, main is the old
 *    or a complete new commit, the next run converges, and the cache and temporary folder hold
 *    nothing of the killed run afterwards.
 * 3. 8 `nephoran publish` processes started at once on one remote, 5 rounds, each publishing its
 *    own change on top of what the previous round left (as a pulled program would): changes lost
 *    (a publish that exited 0 whose change is not on main) and publishes failed. Once with a hook
 *    that lands no push before all 8 have planned, once without (a publisher that fetches after
 *    another landed keeps that change: it changed another file).
 * 4. Stale source and hotfix: a program without another's landed change, or a person's hotfix to
 *    a generated file, that changes the same file: refused, naming the commit (not lost); that
 *    changes another file: landed, keeping the change; with --allow-revert landed and recorded.
 * 5. Remote faults: a stale refs/heads/main.lock, an unreachable remote, a refusing hook, an HTTP
 *    500: a clear error, the remote unchanged.
 * 6. Credential leaks: a token bound to one host asked for by another (directly, after a
 *    redirect), GITHUB_TOKEN on a non-GitHub host, plain http, a token in a URL.
 *
 *   npm run soak                    compiles lib/ first, then runs everything (about 10 minutes on 2 cores)
 *   npx ts-node --transpile-only --project test/tsconfig.json scripts/soak.ts [--kills 50] [--rounds 5] [--publishers 8]
 *     [--only synth,publish,concurrent,stale,faults,credentials]
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { credentialsFromEnvironment, publish, RemoteLockedError, StaleSourceError } from '../src/gitops';
import { RepoTree } from '../src/repo/repo-tree';
import { startGitHttpServer } from '../test/support/git-http-server';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'nephoran');
const ALICE = { name: 'Alice Author', email: 'alice@example.com' };
const BOB = { name: 'Bob Builder', email: 'bob@example.com' };

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const KILLS = flag('kills', 50);
const ROUNDS = flag('rounds', 5);
const PUBLISHERS = flag('publishers', 8);
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : undefined;
const wanted = (part: string) => !ONLY || ONLY.includes(part);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-'));
let dirCounter = 0;
function dir(name: string): string {
  const d = path.join(scratch, `${name}-${++dirCounter}`);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-C', cwd, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

function tryGit(cwd: string, ...args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('git', ['-C', cwd, ...args], { encoding: 'utf8' });
  return { ok: r.status === 0, out: (r.stdout + r.stderr).trim() };
}

function bareRemote(parent: string): string {
  const remote = path.join(parent, 'remote.git');
  spawnSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
  return remote;
}

// An app writing NFS deployments whose replicas and a marker come from VALUE, and one ConfigMap
// per publisher whose value comes from VALUES (JSON: index -> value).
const APP = `
const fs = require('fs');
const path = require('path');
const out = process.env.CDK8S_OUTDIR;
const value = process.env.VALUE || '0';
const values = JSON.parse(process.env.VALUES || '{}');
const nfs = Number(process.env.NFS || '150');
const files = {};
for (let i = 0; i < nfs; i++) {
  const base = 'deployments/production/edge' + (i % 10) + '/nf' + i + '/';
  files[base + 'Kptfile'] = 'apiVersion: kpt.dev/v1\\nkind: Kptfile\\nmetadata:\\n  name: nf' + i + '\\n  annotations:\\n    config.kubernetes.io/local-config: "true"\\n';
  files[base + 'deployment.yaml'] = 'apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: nf' + i + '\\n  namespace: nf' + i + '\\n  annotations:\\n    soak/value: "' + value + '"\\nspec:\\n  replicas: ' + (1 + (Number(value) + i) % 5) + '\\n';
}
for (const [k, v] of Object.entries(values)) {
  files['deployments/development/dev01/p' + k + '/configmap.yaml'] = 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: p' + k + '\\n  namespace: p' + k + '\\ndata:\\n  round: "' + v + '"\\n';
}
for (const [file, content] of Object.entries(files)) {
  fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
  fs.writeFileSync(path.join(out, file), content);
}
fs.mkdirSync(path.join(out, '.nephoran'), { recursive: true });
fs.writeFileSync(path.join(out, '.nephoran/owned-paths'), '# generated\\n' + Object.keys(files).sort().join('\\n') + '\\n');
`;

function project(name: string): string {
  const d = dir(name);
  fs.writeFileSync(path.join(d, 'app.js'), APP);
  fs.writeFileSync(path.join(d, 'cdk8s.yaml'), 'app: node app.js\n');
  return d;
}

interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; pid: number; ms: number }

function start(cwd: string, args: string[], env: Record<string, string>): { child: ChildProcess; done: Promise<Run> } {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, GIT_AUTHOR_NAME: ALICE.name, GIT_AUTHOR_EMAIL: ALICE.email, GIT_COMMITTER_NAME: ALICE.name, GIT_COMMITTER_EMAIL: ALICE.email, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', d => { stdout += d; });
  child.stderr!.on('data', d => { stderr += d; });
  const done = new Promise<Run>(resolve => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, pid: child.pid!, ms: Date.now() - started })));
  return { child, done };
}

async function runCli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return start(cwd, args, env).done;
}

async function killedRun(cwd: string, args: string[], env: Record<string, string>, killAfterMs: number): Promise<Run> {
  const { child, done } = start(cwd, args, env);
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const run = await done;
  clearTimeout(timer);
  return run;
}

/** Every file under a folder, path -> content. */
function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(root)) return files;
  for (const entry of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    files.set(path.relative(root, full), fs.readFileSync(full, 'utf8'));
  }
  return files;
}

function sameTree(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Temporary folders of nephoran runs whose process is the given one (`nephoran-<purpose>-<pid>.<start>-XXXXXX`). */
function tempLeftovers(pid: number): string[] {
  return fs.readdirSync(os.tmpdir()).filter(n => new RegExp(`^nephoran-[a-z0-9-]+-${pid}\\.`).test(n));
}

function cacheLeftovers(projectDir: string): string[] {
  const cacheRoot = path.join(projectDir, '.nephoran', 'cache');
  if (!fs.existsSync(cacheRoot)) return [];
  const found: string[] = [];
  for (const name of fs.readdirSync(cacheRoot)) {
    const cache = path.join(cacheRoot, name);
    if (name.endsWith('.lock')) {
      found.push(`lock ${name}`);
      continue;
    }
    if (!fs.statSync(cache).isDirectory()) continue;
    const work = tryGit(cache, 'for-each-ref', '--format=%(refname)', 'refs/nephoran-work/');
    if (work.out) found.push(...work.out.split('\n').map(r => `ref ${r}`));
    for (const sub of ['objects', 'objects/pack']) {
      const d = path.join(cache, sub);
      if (fs.existsSync(d)) found.push(...fs.readdirSync(d).filter(n => /^(tmp_|incoming-)/.test(n)).map(n => `${sub}/${n}`));
    }
  }
  return found;
}

const report: string[] = [];
function line(text: string): void {
  report.push(text);
  process.stdout.write(text + '\n');
}

async function synthKills(): Promise<void> {
  const proj = project('synth');
  const out = path.join(proj, 'out');
  const first = await runCli(proj, ['synth', '--out', 'out'], { VALUE: '0' });
  if (first.code !== 0) throw new Error(`synth failed: ${first.stderr}`);
  // A run that changes the folder, as the trials do: kills land anywhere from start to exit.
  const full = (await runCli(proj, ['synth', '--out', 'out'], { VALUE: '1000' })).ms;
  let old = readTree(out);
  const counts = { trials: 0, killed: 0, old: 0, new: 0, torn: 0, leftAfterKill: 0, leftAfterNext: 0, notConverged: 0 };
  for (let i = 1; i <= KILLS; i++) {
    counts.trials++;
    const env = { VALUE: String(i) };
    const killed = await killedRun(proj, ['synth', '--out', 'out'], env, Math.floor(Math.random() * full * 2));
    if (killed.signal === 'SIGKILL') counts.killed++;
    const after = readTree(out);
    counts.leftAfterKill += tempLeftovers(killed.pid).length;
    const next = await runCli(proj, ['synth', '--out', 'out'], env);
    const converged = readTree(out);
    if (next.code !== 0) counts.notConverged++;
    if (sameTree(after, old)) counts.old++;
    else if (sameTree(after, converged)) counts.new++;
    else counts.torn++;
    counts.leftAfterNext += tempLeftovers(killed.pid).length;
    old = converged;
  }
  line(`synth --out, SIGKILL at a random moment (full run ${full} ms): ${counts.trials} trials, ${counts.killed} killed before exit; folder afterwards: ${counts.old} old tree, ${counts.new} new tree, ${counts.torn} torn; next run failed ${counts.notConverged}; temporary folders of the killed run: ${counts.leftAfterKill} right after the kill, ${counts.leftAfterNext} after the next run`);
}

async function publishKills(): Promise<void> {
  const proj = project('publish');
  const remote = bareRemote(proj);
  // A token makes publish write its credential helper into the temporary folder (cleanup is counted).
  const env = { NEPHORAN_GIT_TOKEN: 'soak-token-not-used-by-file-remotes' };
  const first = await runCli(proj, ['publish', '--remote', remote], { ...env, VALUE: '0' });
  if (first.code !== 0) throw new Error(`publish failed: ${first.stderr}`);
  const full = (await runCli(proj, ['publish', '--remote', remote], { ...env, VALUE: '1' })).ms;
  let oldMain = git(remote, 'rev-parse', 'main');
  const fsckNotes: string[] = [];
  const counts = {
    trials: 0,
    killed: 0,
    fsckFailed: 0,
    fsckFailedDuring: 0,
    old: 0,
    complete: 0,
    torn: 0,
    notConverged: 0,
    cacheLeft: 0,
    tempLeftAfterKill: 0,
    tempLeftAfterNext: 0,
    slowNext: 0,
  };
  for (let i = 2; i < KILLS + 2; i++) {
    counts.trials++;
    const runEnv = { ...env, VALUE: String(i) };
    const killed = await killedRun(proj, ['publish', '--remote', remote], runEnv, Math.floor(Math.random() * full * 1.3));
    if (killed.signal === 'SIGKILL') counts.killed++;
    // git children of the killed process (a push to a local remote runs receive-pack) may still be
    // finishing: a failure now is checked again once the next run is done.
    const fsckNow = tryGit(remote, 'fsck', '--no-progress', '--no-dangling');
    const mainAfterKill = git(remote, 'rev-parse', 'main');
    counts.tempLeftAfterKill += tempLeftovers(killed.pid).length;
    const next = await runCli(proj, ['publish', '--remote', remote], runEnv);
    if (next.ms > 10_000) counts.slowNext++;
    const converged = git(remote, 'rev-parse', 'main');
    const value = tryGit(remote, 'show', `${converged}:deployments/production/edge0/nf0/deployment.yaml`).out;
    if (next.code !== 0 || !value.includes(`soak/value: "${i}"`)) counts.notConverged++;
    if (mainAfterKill === oldMain) counts.old++;
    // A new main must be the complete new commit: the next run then has nothing to add.
    else if (mainAfterKill === converged) counts.complete++;
    else counts.torn++;
    if (!fsckNow.ok) {
      counts.fsckFailedDuring++;
      const fsckAfter = tryGit(remote, 'fsck', '--no-progress', '--no-dangling');
      if (!fsckAfter.ok) counts.fsckFailed++;
      fsckNotes.push(`trial ${i}: ${fsckNow.out.split('\n').slice(0, 2).join(' | ')}${fsckAfter.ok ? ' (passes after the next run)' : ` | after the next run: ${fsckAfter.out.split('\n')[0]}`}`);
    }
    counts.cacheLeft += cacheLeftovers(proj).length;
    counts.tempLeftAfterNext += tempLeftovers(killed.pid).length;
    oldMain = converged;
  }
  line(`publish, SIGKILL at a random moment (full run ${full} ms): ${counts.trials} trials, ${counts.killed} killed before exit; git fsck failed ${counts.fsckFailedDuring} right after the kill, ${counts.fsckFailed} after the next run; main afterwards: ${counts.old} old, ${counts.complete} complete new commit, ${counts.torn} torn; next run failed or did not converge ${counts.notConverged} (slower than 10 s: ${counts.slowNext}); after the next run: ${counts.cacheLeft} leftovers in the cache (work refs, temporary packs, locks), temporary folders of the killed run ${counts.tempLeftAfterKill} right after the kill and ${counts.tempLeftAfterNext} after the next run`);
  for (const note of fsckNotes.slice(0, 5)) line(`  fsck ${note}`);
}

/**
 * A pre-receive hook that holds each round's pushes until all publishers have pushed once (or
 * 60 s passed): no publish lands before every publisher has planned, as when they start at the
 * very same moment. A condition, not a delay.
 */
function installRoundBarrier(remote: string, count: number): void {
  fs.writeFileSync(path.join(remote, 'hooks', 'pre-receive'), [
    '#!/bin/sh',
    'cat >/dev/null',
    'r=$(cat "$GIT_DIR/soak-round" 2>/dev/null) || exit 0',
    '[ -f "$GIT_DIR/barrier-open-$r" ] && exit 0',
    'mkdir -p "$GIT_DIR/barrier-$r" && : > "$GIT_DIR/barrier-$r/$$"',
    'n=0',
    `while [ "$(ls "$GIT_DIR/barrier-$r" | wc -l)" -lt ${count} ] && [ ! -f "$GIT_DIR/barrier-open-$r" ] && [ $n -lt 3000 ]; do sleep 0.02; n=$((n + 1)); done`,
    ': > "$GIT_DIR/barrier-open-$r"',
    'exit 0',
    '',
  ].join('\n'), { mode: 0o755 });
}

async function concurrentPublishers(barrier: boolean): Promise<void> {
  const root = dir('concurrent');
  const remote = bareRemote(root);
  if (barrier) installRoundBarrier(remote, PUBLISHERS);
  const publishers = Array.from({ length: PUBLISHERS }, (_, i) => project(`publisher-${i}`));
  const valuesOnMain = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (let i = 0; i < PUBLISHERS; i++) {
      const text = tryGit(remote, 'show', `main:deployments/development/dev01/p${i}/configmap.yaml`).out;
      out[i] = /round: "(\d+)"/.exec(text)?.[1] ?? '0';
    }
    return out;
  };
  const zero = Object.fromEntries(publishers.map((_, i) => [i, '0']));
  const setup = await runCli(publishers[0], ['publish', '--remote', remote], { VALUES: JSON.stringify(zero), NFS: '40' });
  if (setup.code !== 0) throw new Error(`setup publish failed: ${setup.stderr}`);
  // Each publisher's program is at main: a no-op publish records that base in its cache.
  for (const p of publishers) await runCli(p, ['publish', '--remote', remote], { VALUES: JSON.stringify(zero), NFS: '40' });
  const totals = { publishes: 0, landed: 0, lost: 0, failed: 0, stale: 0, keptMoving: 0, other: 0, maxAttempts: 0, slowest: 0 };
  const failures: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Each program pulls what main holds, then makes its own change.
    const pulled = valuesOnMain();
    fs.writeFileSync(path.join(remote, 'soak-round'), String(round));
    const runs = await Promise.all(publishers.map((p, i) => runCli(p, ['publish', '--remote', remote, '--json', '--message', `p${i} round ${round}`], { VALUES: JSON.stringify({ ...pulled, [i]: String(round) }), NFS: '40' })));
    const onMain = valuesOnMain();
    runs.forEach((run, i) => {
      totals.publishes++;
      totals.slowest = Math.max(totals.slowest, run.ms);
      if (run.code === 0) {
        totals.landed++;
        totals.maxAttempts = Math.max(totals.maxAttempts, JSON.parse(run.stdout).attempts ?? 0);
        if (onMain[i] !== String(round)) totals.lost++;
      } else {
        totals.failed++;
        if (/would undo changes/.test(run.stderr)) totals.stale++;
        else if (/kept moving/.test(run.stderr)) totals.keptMoving++;
        else totals.other++;
        failures.push(`round ${round} p${i}: ${run.stderr.split('\n')[0]}`);
      }
    });
  }
  const fsck = tryGit(remote, 'fsck', '--no-progress').ok;
  line(`${PUBLISHERS} publish processes at once x ${ROUNDS} rounds, ${barrier ? 'no push landing before all have planned (barrier hook)' : 'started together, no barrier'}: ${totals.publishes} publishes, ${totals.landed} landed, ${totals.lost} changes lost, ${totals.failed} failed (${totals.stale} refused as stale, ${totals.keptMoving} gave up, ${totals.other} other); most attempts by one publish ${totals.maxAttempts}, slowest publish ${(totals.slowest / 1000).toFixed(1)} s; remote fsck ${fsck ? 'ok' : 'FAILED'}; main has ${git(remote, 'rev-list', '--count', 'main')} commits`);
  for (const f of failures.slice(0, 5)) line(`  ${f}`);
}

function fleetTree(values: Record<string, string>): RepoTree {
  const files: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) files[`deployments/production/edge01/${k}/deployment.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${k}\n  namespace: ${k}\nspec:\n  replicas: ${v}\n`;
  return RepoTree.fromRecord(files);
}

function personCommit(remote: string, file: string, content: string, message: string): string {
  const work = dir('person');
  git(work, 'clone', '--quiet', remote, 'w');
  const clone = path.join(work, 'w');
  fs.mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
  fs.writeFileSync(path.join(clone, file), content);
  git(clone, 'add', '-A');
  git(clone, '-c', 'user.name=Pat Person', '-c', 'user.email=pat@example.com', 'commit', '--quiet', '-m', message);
  git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
  return git(clone, 'rev-parse', 'HEAD');
}

async function staleAndHotfix(trials = 10): Promise<void> {
  const c = {
    stale: 0,
    staleRefused: 0,
    staleLost: 0,
    staleNamed: 0,
    disjointLanded: 0,
    disjointKept: 0,
    revertLanded: 0,
    revertRecorded: 0,
    hotfix: 0,
    hotfixRefused: 0,
    hotfixLost: 0,
    hotfixNamed: 0,
    hotfixKeptElsewhere: 0,
    updatedLanded: 0,
  };
  const amf = 'deployments/production/edge01/amf/deployment.yaml';
  const upf = 'deployments/production/edge01/upf/deployment.yaml';
  for (let t = 0; t < trials; t++) {
    const root = dir('stale');
    const remote = bareRemote(root);
    const as = (who: string, author = ALICE) => ({ remote, cwd: root, cacheDir: path.join(root, `cache-${who}`), author });
    await publish(fleetTree({ amf: '2', smf: '2', upf: '2' }), as('a'));
    await publish(fleetTree({ amf: '2', smf: '2', upf: '2' }), as('b', BOB));
    const a = await publish(fleetTree({ amf: '12', smf: '2', upf: '2' }), as('a'));
    c.stale++;
    // B's program never saw amf at 12 and sets it to 7: that would undo A's change.
    try {
      await publish(fleetTree({ amf: '7', smf: '2', upf: '2' }), as('b', BOB));
    } catch (err) {
      if (err instanceof StaleSourceError) {
        c.staleRefused++;
        if (err.message.includes(a.commit!.slice(0, 12)) && err.message.includes('Alice Author')) c.staleNamed++;
      }
    }
    if (!git(remote, 'show', `main:${amf}`).includes('replicas: 12')) c.staleLost++;
    // B's stale program changing another file lands and keeps A's change.
    const disjoint = await publish(fleetTree({ amf: '2', smf: '3', upf: '2' }), as('b', BOB)).catch(() => undefined);
    if (disjoint?.changed) c.disjointLanded++;
    if (git(remote, 'show', `main:${amf}`).includes('replicas: 12') && disjoint?.kept?.includes(amf)) c.disjointKept++;
    const reverted = await publish(fleetTree({ amf: '2', smf: '3', upf: '2' }), { ...as('b', BOB), allowRevert: true }).catch(() => undefined);
    if (reverted?.changed) c.revertLanded++;
    if (git(remote, 'log', '-1', '--format=%B', 'main').includes(`Reverts: ${a.commit}`)) c.revertRecorded++;

    c.hotfix++;
    await publish(fleetTree({ amf: '2', smf: '3', upf: '2' }), as('a') ).catch(() => undefined);
    const hotfix = personCommit(remote, upf, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: upf\n  namespace: upf\nspec:\n  replicas: 9\n', 'Hotfix: upf to 9');
    try {
      await publish(fleetTree({ amf: '2', smf: '3', upf: '3' }), as('a'));
    } catch (err) {
      if (err instanceof StaleSourceError) {
        c.hotfixRefused++;
        if (err.message.includes(hotfix.slice(0, 12)) && err.message.includes('Pat Person')) c.hotfixNamed++;
      }
    }
    if (!git(remote, 'show', `main:${upf}`).includes('replicas: 9')) c.hotfixLost++;
    const elsewhere = await publish(fleetTree({ amf: '4', smf: '3', upf: '2' }), as('a')).catch(() => undefined);
    if (elsewhere?.kept?.includes(upf) && git(remote, 'show', `main:${upf}`).includes('replicas: 9')) c.hotfixKeptElsewhere++;
    const updated = await publish(fleetTree({ amf: '5', smf: '3', upf: '9' }), as('a')).catch(() => undefined);
    if (updated?.changed) c.updatedLanded++;
  }
  line(`stale source: ${c.stale} trials; changing the file another publish changed: ${c.staleRefused} refused (${c.staleNamed} naming the commit and author), ${c.staleLost} changes lost; changing another file: ${c.disjointLanded} landed, ${c.disjointKept} keeping the other change; with --allow-revert ${c.revertLanded} landed, ${c.revertRecorded} recorded as Reverts:`);
  line(`hotfix to a generated file: ${c.hotfix} trials; the program changing that file: ${c.hotfixRefused} refused (${c.hotfixNamed} naming the commit and person), ${c.hotfixLost} hotfixes lost; changing another file: ${c.hotfixKeptElsewhere} landed keeping the hotfix; the program updated with the hotfix: ${c.updatedLanded} landed`);
}

async function remoteFaults(): Promise<void> {
  const results: string[] = [];
  const tree = fleetTree({ amf: '2' });
  // Stale lock.
  {
    const root = dir('fault-lock');
    const remote = bareRemote(root);
    await publish(tree, { remote, cwd: root, author: ALICE });
    const before = git(remote, 'rev-parse', 'main');
    fs.writeFileSync(path.join(remote, 'refs', 'heads', 'main.lock'), '');
    const started = Date.now();
    const err = await publish(fleetTree({ amf: '3' }), { remote, cwd: root, author: ALICE }).then(() => undefined, e => e as Error);
    const ok = err instanceof RemoteLockedError && git(remote, 'rev-parse', 'main') === before;
    results.push(`stale main.lock: ${ok ? 'reported as a lock with how to clear it' : `NOT reported (${err?.message})`} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  // Unreachable remote.
  {
    const root = dir('fault-missing');
    const err = await publish(tree, { remote: path.join(root, 'nowhere.git'), cwd: root, author: ALICE }).then(() => undefined, e => e as Error);
    results.push(`missing remote: ${err ? `error "${err.message.split('\n')[0].slice(0, 90)}"` : 'NO ERROR'}`);
  }
  // A hook refusing every push.
  {
    const root = dir('fault-hook');
    const remote = bareRemote(root);
    await publish(tree, { remote, cwd: root, author: ALICE });
    const before = git(remote, 'rev-parse', 'main');
    fs.writeFileSync(path.join(remote, 'hooks', 'pre-receive'), '#!/bin/sh\necho "policy: pushes are frozen" >&2\nexit 1\n', { mode: 0o755 });
    const err = await publish(fleetTree({ amf: '3' }), { remote, cwd: root, author: ALICE }).then(() => undefined, e => e as Error);
    const ok = !!err && /pushes are frozen/.test(err.message) && git(remote, 'rev-parse', 'main') === before;
    results.push(`refusing hook: ${ok ? 'error with the hook\'s message, main unchanged' : `UNEXPECTED (${err?.message})`}`);
  }
  // An HTTP server failing with 500.
  {
    const server = http.createServer((_req, res) => { res.writeHead(500); res.end('boom'); });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const root = dir('fault-500');
    const err = await publish(tree, { remote: `http://${host}/fleet.git`, cwd: root, author: ALICE, credentials: {} }).then(() => undefined, e => e as Error);
    server.close();
    results.push(`HTTP 500: ${err ? `error "${err.message.split('\n')[0].slice(0, 90)}"` : 'NO ERROR'}`);
  }
  line(`remote faults: ${results.join('; ')}`);
}

async function credentialLeaks(): Promise<void> {
  const token = `tok_soak_${Date.now().toString(16)}`;
  const cases: Array<[string, number]> = [];
  const authorizations: Array<string | undefined> = [];
  const recorder = http.createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
    res.end();
  });
  await new Promise<void>(r => recorder.listen(0, '127.0.0.1', r));
  const b = `127.0.0.1:${(recorder.address() as AddressInfo).port}`;
  const redirector = http.createServer((req, res) => { res.writeHead(302, { Location: `http://${b}${(req.url ?? '/')}` }); res.end(); });
  await new Promise<void>(r => redirector.listen(0, '127.0.0.1', r));
  const r = `127.0.0.1:${(redirector.address() as AddressInfo).port}`;
  const served = dir('cred-srv');
  spawnSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', path.join(served, 'fleet.git')]);
  const a = await startGitHttpServer({ projectRoot: served, username: 'deployer', token });
  const hostA = new URL(a.url('fleet.git')).host;
  const tree = fleetTree({ amf: '2' });
  const root = dir('cred');
  const attempt = (remote: string, credentials: object) => publish(tree, { remote, cwd: root, author: ALICE, credentials }).then(() => '', (e: Error) => e.message);
  try {
    const bound = { token, username: 'deployer', tokenHost: hostA, allowHttpHosts: [hostA, b, r] };
    const landed = await attempt(a.url('fleet.git'), bound);
    cases.push([`token sent to its own host A (control: ${landed === '' ? 'landed' : 'FAILED'})`, 0]);
    let before = authorizations.length;
    await attempt(`http://${b}/fleet.git`, bound);
    cases.push([`host B asked directly (${authorizations.length - before} requests)`, authorizations.slice(before).filter(h => h).length]);
    before = authorizations.length;
    await attempt(`http://${r}/fleet.git`, bound);
    cases.push([`redirect to host B (${authorizations.length - before} requests)`, authorizations.slice(before).filter(h => h).length]);
    before = authorizations.length;
    await attempt(`http://${b}/fleet.git`, credentialsFromEnvironment({ GITHUB_TOKEN: token, NEPHORAN_GIT_ALLOW_HTTP: b }));
    cases.push([`GITHUB_TOKEN on a non-GitHub host (${authorizations.length - before} requests)`, authorizations.slice(before).filter(h => h).length]);
    const requestsBefore = a.requests.length;
    const http1 = await attempt(a.url('fleet.git'), { token, username: 'deployer' });
    cases.push([`plain http not allowed (${/plain http/.test(http1) ? 'refused' : 'NOT refused'})`, a.requests.length - requestsBefore]);
    const inUrl = await attempt(`https://git.example.com/fleet.git?access_token=${token}`, {});
    const userinfo = await attempt(`https://${token}@git.example.com/fleet.git`, {});
    cases.push(['token in the URL query or user info, in the error', [inUrl, userinfo].filter(m => m.includes(token) || !m).length]);
    const files = readTree(root);
    cases.push([`token in any file of the caches (${files.size} files)`, [...files.values()].filter(v => v.includes(token)).length]);
  } finally {
    await a.stop();
    recorder.close();
    redirector.close();
  }
  const leaks = cases.reduce((n, [, count]) => n + count, 0);
  line(`credential leaks: ${leaks} in ${cases.length} cases: ${cases.map(([what, n]) => `${what}: ${n}`).join('; ')}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  process.stdout.write(`nephoran soak (git ${git(ROOT, '--version').replace('git version ', '')}, ${os.cpus().length} CPUs, node ${process.version}); scratch ${scratch}\n`);
  if (wanted('synth')) await synthKills();
  if (wanted('publish')) await publishKills();
  if (wanted('concurrent')) {
    await concurrentPublishers(true);
    await concurrentPublishers(false);
  }
  if (wanted('stale')) await staleAndHotfix();
  if (wanted('faults')) await remoteFaults();
  if (wanted('credentials')) await credentialLeaks();
  line(`soak done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  fs.rmSync(scratch, { recursive: true, force: true });
}

main().catch(err => {
  process.stderr.write(`soak failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
