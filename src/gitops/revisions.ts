import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { planTreeChange, restrictChange } from './change';
import { buildCommitMessage, parseCommitMessage } from './commit-message';
import { GitOpsError } from './errors';
import { readObjects } from './git';
import { GitIdentity } from './identity';
import { TreeSnapshot } from './snapshot';
import { PushSpec, Workspace } from './workspace';
import { PackageRevision, pinRevisionFields, RepoTree, RevisionBinding, revisionTag } from '../repo/repo-tree';

/** Trailer of a revision commit: one `Package-Revision: <path>/v<N>` per revision it publishes. */
export const PACKAGE_REVISION_TRAILER = 'Package-Revision';

/** Published revisions of packages of other repositories of a set, by repository, then package path. */
export type ExternalRevisions = ReadonlyMap<string, ReadonlyMap<string, PackageRevision>>;

/** What publishing a tree's bound packages as revisions takes. */
export interface RevisionPlan {
  /** The tree with every bound file naming its revision. */
  readonly tree: RepoTree;
  /** The commit the deployment change goes on: the base, or the revision commit on top of it. */
  readonly base: TreeSnapshot;
  /** The revision each bound package of this repository resolved to, by package path. */
  readonly revisions: ReadonlyMap<string, PackageRevision>;
  /** The new revisions, in the order their commits were made. */
  readonly created: readonly PackageRevision[];
  /** Tags to push with the branch (expect: absent), one per new revision. */
  readonly tagPushes: readonly PushSpec[];
  /** Bindings left unresolved: their upstream is no package of the set. */
  readonly unresolved: readonly RevisionBinding[];
}

/** Settings of planRevisions. */
export interface RevisionPlanOptions {
  /** Revisions of other repositories' packages (resolved by their own publish first). */
  readonly external?: ExternalRevisions;
  /** Who the revision commits are by; asked only when one is made. */
  readonly identity: () => Promise<{ author: GitIdentity; committer: GitIdentity; trailers: ReadonlyArray<readonly [string, string | undefined]> }>;
  /**
   * Make new revisions. False (proposal mode): a bound package whose content differs from its
   * latest revision is an error naming it.
   * @default true
   */
  readonly createRevisions?: boolean;
  /**
   * Packages of this tree that other repositories of the set lock to (their variants): published
   * as revisions like the packages this tree's own files are bound to.
   * @default - none
   */
  readonly boundElsewhere?: readonly string[];
}

/**
 * Resolves the revision bindings of a tree against the remote's revision tags, the way Porch
 * numbers published package revisions (tags `<package path>/v<N>`):
 * - a bound package whose folder, once the tree is written, holds what its latest tag holds
 *   resolves to that tag;
 * - any other gets revision N+1: its content is committed on top of the base (one "revision
 *   commit" per level, see below) and tagged `<path>/v<N+1>`.
 * A package whose own files are bound to other packages (a Porch scope variant locked to its
 * blueprint) is resolved after them, in a revision commit on top of theirs. Nothing is pushed
 * here: the caller pushes the tags atomically with the branch.
 */
export async function planRevisions(ws: Workspace, tree: RepoTree, base: TreeSnapshot, options: RevisionPlanOptions): Promise<RevisionPlan> {
  const bindings = tree.revisionBindings();
  const external = options.external ?? new Map();
  const unresolved: RevisionBinding[] = [];
  const local = new Set<string>();
  for (const b of bindings) {
    if (b.repository !== undefined) {
      if (!external.get(b.repository)?.has(b.upstream)) unresolved.push(b);
    } else if (tree.has(`${b.upstream}/Kptfile`)) {
      local.add(b.upstream);
    } else {
      unresolved.push(b);
    }
  }
  for (const pkg of options.boundElsewhere ?? []) if (tree.has(`${pkg}/Kptfile`)) local.add(pkg);
  const resolved = new Map<string, PackageRevision>();
  const lookup = (b: RevisionBinding) => b.repository !== undefined ? external.get(b.repository)?.get(b.upstream) : resolved.get(b.upstream);
  if (local.size === 0) {
    return { tree: withRevisionsCached(ws, tree, lookup), base, revisions: resolved, created: [], tagPushes: [], unresolved };
  }

  const latest = await latestRevisions(ws, [...local]);
  // A package depends on the local packages its own bound files name.
  const dependsOn = new Map<string, Set<string>>();
  for (const pkg of local) dependsOn.set(pkg, new Set());
  for (const b of bindings) {
    if (b.repository !== undefined || !local.has(b.upstream)) continue;
    for (const pkg of local) if (b.path.startsWith(pkg + '/') && pkg !== b.upstream) dependsOn.get(pkg)!.add(b.upstream);
  }

  let current = base;
  const created: PackageRevision[] = [];
  const pending = new Set(local);
  while (pending.size > 0) {
    const ready = [...pending].filter(pkg => [...dependsOn.get(pkg)!].every(dep => resolved.has(dep))).sort();
    if (ready.length === 0) throw new GitOpsError(`packages ${[...pending].sort().join(', ')} are bound to each other's revisions in a cycle; a package cannot be its own upstream`);
    const readySet = new Set(ready);
    const inReady = (p: string) => {
      for (let slash = p.indexOf('/'); slash >= 0; slash = p.indexOf('/', slash + 1)) if (readySet.has(p.slice(0, slash))) return true;
      return false;
    };
    // Only the packages' own files are planned here (cheap on a large tree); the rest of the tree
    // is the deployment change's. Only their bindings are resolved: pinning every bound file of
    // the tree at each level would parse thousands of Kptfiles for nothing.
    const readyFiles = new RepoTree();
    for (const file of tree.paths()) if (inReady(file)) readyFiles.addFile(file, tree.get(file)!);
    for (const b of bindings) if (inReady(b.path) && readyFiles.has(b.path)) readyFiles.bindRevision(b);
    const packagesOnly = withRevisionsCached(ws, readyFiles, lookup);
    const full = await planTreeChange(ws, packagesOnly, current);
    const packageChange = restrictChange(ws, full, new Set(full.ops.map(op => op.path).filter(inReady)));
    // The packages' files, with the ownership manifest taking their additions and removals.
    const ops = packageChange.ops.some(op => inReady(op.path)) ? packageChange.ops : [];
    const candidate = ops.length === 0 ? current.commit : await ws.commit({ parents: current.commit ? [current.commit] : [], ops, message: 'candidate\n', author: PLACEHOLDER, committer: PLACEHOLDER });
    const folders = await folderIds(ws, [candidate, ...ready.map(pkg => latest.get(pkg)?.commit)], ready);
    const fresh: Array<{ pkg: string; revision: number }> = [];
    for (const pkg of ready) {
      const last = latest.get(pkg);
      const now = candidate ? folders.get(`${candidate}:${pkg}`) : undefined;
      if (last && now !== undefined && folders.get(`${last.commit}:${pkg}`) === now) resolved.set(pkg, last);
      else fresh.push({ pkg, revision: (last?.revision ?? 0) + 1 });
    }
    if (fresh.length > 0) {
      if (options.createRevisions === false) {
        throw new GitOpsError(`${fresh.map(f => `"${f.pkg}"`).join(', ')} differ${fresh.length === 1 ? 's' : ''} from ${fresh.length === 1 ? 'its' : 'their'} latest published revision, and the packages bound to ${fresh.length === 1 ? 'it' : 'them'} must lock a published one. Propose and approve ${fresh.length === 1 ? 'it' : 'them'} first (approval tags ${fresh.map(f => revisionTag(f.pkg, f.revision)).join(', ')}), or publish in direct or pull-request mode`);
      }
      const who = await options.identity();
      const tags = fresh.map(f => revisionTag(f.pkg, f.revision));
      const commit = await ws.commit({
        parents: current.commit ? [current.commit] : [],
        ops,
        message: buildCommitMessage({
          title: `Publish package revision${tags.length === 1 ? '' : 's'} ${tags.join(', ')}`,
          trailers: [...who.trailers, ...tags.map(t => [PACKAGE_REVISION_TRAILER, t] as const)],
        }),
        author: who.author,
        committer: who.committer,
      });
      for (const f of fresh) {
        const revision: PackageRevision = { packagePath: f.pkg, revision: f.revision, tag: revisionTag(f.pkg, f.revision), commit, workspaceName: `v${f.revision}` };
        resolved.set(f.pkg, revision);
        created.push(revision);
      }
      current = await ws.snapshot(commit);
    }
    // Otherwise every package equals its latest revision (also content restored to it after a
    // rollback): no revision commit; the deployment change writes whatever differs from the base.
    for (const pkg of ready) pending.delete(pkg);
  }
  return {
    tree: withRevisionsCached(ws, tree, lookup),
    base: current,
    revisions: resolved,
    created,
    tagPushes: created.map(r => ({ source: r.commit, ref: `refs/tags/${r.tag}`, expect: '' })),
    unresolved,
  };
}

/** The highest `<path>/v<N>` tag of each package, with its commit and Porch workspace name. */
export async function latestRevisions(ws: Workspace, packages: readonly string[]): Promise<Map<string, PackageRevision>> {
  const wanted = new Set(packages);
  const result = new Map<string, PackageRevision>();
  const out = await ws.git.text(['for-each-ref', '--format=%(refname:strip=2) %(objectname) %(*objectname)', 'refs/tags/']);
  for (const line of out.split('\n')) {
    const [tag, object, peeled] = line.split(' ');
    const match = /^(.+)\/v([1-9][0-9]*)$/.exec(tag ?? '');
    if (!match || !wanted.has(match[1])) continue;
    const revision = Number(match[2]);
    const previous = result.get(match[1]);
    if (previous && previous.revision >= revision) continue;
    result.set(match[1], { packagePath: match[1], revision, tag, commit: peeled || object, workspaceName: `v${revision}` });
  }
  // Porch takes a tagged revision's workspace name from the `kpt:` line of its commit (an approval).
  // One `cat-file --batch` for every tagged commit rather than a git process per package.
  const objects = await readObjects(ws.git, [...result.values()].map(rev => rev.commit));
  for (const [pkg, rev] of result) {
    const object = objects.get(rev.commit);
    if (!object) continue;
    const kpt = parseCommitMessage(commitObjectMessage(object)).kpt;
    if (kpt?.package === pkg && kpt.workspaceName) result.set(pkg, { ...rev, workspaceName: kpt.workspaceName });
  }
  return result;
}

/** The message of a raw commit object: what follows the headers' blank line (what `%B` prints). */
function commitObjectMessage(object: Buffer): string {
  const text = object.toString('utf8');
  const end = text.indexOf('\n\n');
  return end < 0 ? '' : text.slice(end + 2);
}

/** The git tree id of each folder at each commit (`<commit>:<folder>`); absent folders are left out. */
async function folderIds(ws: Workspace, commits: ReadonlyArray<string | undefined>, folders: readonly string[]): Promise<Map<string, string>> {
  const keys = [...new Set(commits.filter((c): c is string => !!c))].flatMap(c => folders.map(f => `${c}:${f}`));
  const result = new Map<string, string>();
  if (keys.length === 0) return result;
  const { stdout } = await ws.git.run(['cat-file', '--batch-check=%(objectname) %(objecttype)'], { input: keys.join('\n') + '\n' });
  const lines = stdout.toString('utf8').split('\n');
  keys.forEach((key, i) => {
    const [id, type] = (lines[i] ?? '').split(' ');
    if (type === 'tree') result.set(key, id);
  });
  return result;
}

const PLACEHOLDER: GitIdentity = { name: 'nephoran', email: 'nephoran@localhost' };

/** The revisions the `Package-Revision` trailers of the commits in `base..head` publish, by package path. */
export async function revisionCommitsIn(ws: Workspace, base: string | undefined, head: string): Promise<Map<string, PackageRevision>> {
  const out = await ws.git.text(['log', '--format=%H%x00%B%x01', base ? `${base}..${head}` : head]);
  const result = new Map<string, PackageRevision>();
  for (const record of out.split('\x01')) {
    const [commit, message] = record.replace(/^\s+/, '').split('\0');
    if (!commit || message === undefined) continue;
    for (const tag of parseCommitMessage(message).trailers.get(PACKAGE_REVISION_TRAILER) ?? []) {
      const match = /^(.+)\/v([1-9][0-9]*)$/.exec(tag);
      if (!match || result.has(match[1])) continue;
      result.set(match[1], { packagePath: match[1], revision: Number(match[2]), tag, commit, workspaceName: `v${match[2]}` });
    }
  }
  return result;
}

/**
 * The tree locked to the revisions a review branch carries (its revision commits), and to the
 * latest published revisions for packages it does not revise: what the branch holds when it
 * holds this tree.
 */
export async function revisionsOnBranch(
  ws: Workspace,
  base: string | undefined,
  head: string,
  tree: RepoTree,
  external?: ExternalRevisions,
): Promise<RepoTree> {
  const carried = await revisionCommitsIn(ws, base, head);
  const upstreams = [...new Set(tree.revisionBindings().filter(b => b.repository === undefined).map(b => b.upstream))];
  const latest = await latestRevisions(ws, upstreams);
  return withRevisionsCached(ws, tree, b => b.repository !== undefined
    ? external?.get(b.repository)?.get(b.upstream)
    : carried.get(b.upstream) ?? latest.get(b.upstream));
}

/**
 * The tags to push when a review merges: one per revision commit it carries. A tag that already
 * names that commit is left out; one that names another commit means the revision number was
 * taken meanwhile, and the review must be published again.
 */
export async function revisionTagPushes(ws: Workspace, base: string | undefined, head: string): Promise<PushSpec[]> {
  const pushes: PushSpec[] = [];
  for (const revision of (await revisionCommitsIn(ws, base, head)).values()) {
    const existing = await ws.resolve(`refs/tags/${revision.tag}`);
    if (existing === revision.commit) continue;
    if (existing) {
      throw new GitOpsError(`revision ${revision.tag} was published meanwhile by another change (${existing.slice(0, 12)}), so this review's revision of "${revision.packagePath}" has no number left: publish the change again to renumber it, then merge`);
    }
    pushes.push({ source: revision.commit, ref: `refs/tags/${revision.tag}`, expect: '' });
  }
  return pushes.sort((a, b) => (a.ref < b.ref ? -1 : 1));
}

/** File of the cache folder holding the bound files as pinned by earlier runs (see withRevisionsCached). */
const PINNED_FILE = 'nephoran-pinned.json';

/** Pinned bound files of a workspace: loaded once, written back after each use. */
interface PinnedMemo {
  /** What the file held when loaded. */
  readonly entries: Map<string, string>;
  /** What this run pinned, which the file is rewritten to hold. */
  readonly used: Map<string, string>;
  /** The keys the file holds now. */
  onDisk: Set<string>;
}

const pinnedMemos = new WeakMap<Workspace, PinnedMemo>();
let pinVersion: string | undefined;

/**
 * `tree.withRevisions(resolve)`, remembering each bound file's pinned text in the cache folder.
 * Pinning parses and writes YAML; a fleet has a bound Kptfile per cluster and variant, the same
 * every run, so re-pinning them all made every publish and diff pay for thousands of YAML round
 * trips. The text is a function of the file's bytes, the bound fields and the revision, and of the
 * code that pins (its source and the yaml library's version are part of the key), so a
 * remembered text is exactly what pinning would give.
 */
export function withRevisionsCached(ws: Workspace, tree: RepoTree, resolve: (binding: RevisionBinding) => PackageRevision | undefined): RepoTree {
  const memo = loadPinned(ws);
  const copy = tree.withRevisions(() => undefined);
  for (const binding of tree.revisionBindings()) {
    const content = tree.get(binding.path);
    const revision = content ? resolve(binding) : undefined;
    if (!content || !revision) continue;
    const key = createHash('sha256').update(JSON.stringify([pinningVersion(), ws.blobId(content), binding.fields, revision.tag, revision.commit, revision.revision, revision.workspaceName])).digest('hex');
    let text = memo.used.get(key) ?? memo.entries.get(key);
    if (text === undefined) text = pinRevisionFields(content.toString('utf8'), binding, revision);
    memo.used.set(key, text);
    // Removing drops the binding, as withRevisions does for a resolved one.
    copy.removeFile(binding.path);
    copy.setFile(binding.path, text);
  }
  if (memo.used.size !== memo.onDisk.size || [...memo.used.keys()].some(key => !memo.onDisk.has(key))) savePinned(ws, memo);
  return copy;
}

function loadPinned(ws: Workspace): PinnedMemo {
  let memo = pinnedMemos.get(ws);
  if (memo) return memo;
  const entries = new Map<string, string>();
  try {
    const stored = JSON.parse(fs.readFileSync(path.join(ws.cacheDir, PINNED_FILE), 'utf8'));
    if (stored && stored.version === pinningVersion() && stored.entries && typeof stored.entries === 'object') {
      for (const [key, text] of Object.entries(stored.entries)) if (typeof text === 'string') entries.set(key, text);
    }
  } catch {
    // no memo yet, or an unreadable one: pin again
  }
  memo = { entries, used: new Map(), onDisk: new Set(entries.keys()) };
  pinnedMemos.set(ws, memo);
  return memo;
}

/** Keeps only the entries this run used, so the file holds one tree's bound files, not every run's. */
function savePinned(ws: Workspace, memo: PinnedMemo): void {
  const file = path.join(ws.cacheDir, PINNED_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    // A run killed while writing left its temporary file; this process holds the cache lock.
    for (const name of fs.readdirSync(ws.cacheDir)) if (name.startsWith(`${PINNED_FILE}.`) && name.endsWith('.tmp')) fs.rmSync(path.join(ws.cacheDir, name), { force: true });
    const entries: Record<string, string> = {};
    for (const key of [...memo.used.keys()].sort()) entries[key] = memo.used.get(key)!;
    fs.writeFileSync(temp, JSON.stringify({ version: pinningVersion(), entries }));
    fs.renameSync(temp, file);
    memo.onDisk = new Set(memo.used.keys());
  } catch {
    // a memo that cannot be written only costs the next run the pinning
    fs.rmSync(temp, { force: true });
  }
}

/** The code that pins: the modules writing the YAML and the yaml library's version. */
function pinningVersion(): string {
  if (pinVersion === undefined) {
    const hash = createHash('sha256');
    for (const module of ['../repo/repo-tree', '../repo/yaml-output', 'yaml/package.json']) {
      try {
        hash.update(fs.readFileSync(require.resolve(module)));
      } catch {
        hash.update(`${module}: unreadable ${Date.now()} ${Math.random()}`);
      }
    }
    pinVersion = hash.digest('hex');
  }
  return pinVersion;
}
