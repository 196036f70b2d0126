import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { acquireCacheLock } from './cache-lock';
import { checkRemoteUrl, credentialsFromEnvironment, PublishCredentials, prepareGitAuth } from './credentials';
import { GitOpsError } from './errors';
import { GitRunner, readObjects } from './git';
import { nephoranCommand } from './hints';
import { formatIdentity, GitIdentity } from './identity';
import { FileOp, TreeEntry, TreeSnapshot } from './snapshot';
import { removeStaleTempFolders } from '../repo/temp-folders';

/** Where the deployment repository is and how to reach it. */
export interface WorkspaceOptions {
  /** URL or local path of the deployment repository. */
  readonly remote: string;
  /**
   * Folder holding the local copy of the remote.
   * @default `<cwd>/.nephoran/cache/<hash of the remote URL>`
   */
  readonly cacheDir?: string;
  /** Folder relative paths are resolved against. @default process.cwd() */
  readonly cwd?: string;
  /** How git authenticates. @default credentialsFromEnvironment() */
  readonly credentials?: PublishCredentials;
  /** How long to wait for another process using the same cache. @default 120000 */
  readonly lockTimeoutMs?: number;
  /** Receives one line per step. @default - silent */
  readonly log?: (line: string) => void;
  /**
   * The command-line arguments that named this repository (`--remote URL`, `--branch B`,
   * `--remotes-dir D --repository R`, forge flags), which every `nephoran ...` command a result
   * or error suggests carries, so that following it acts on the same repository.
   * @default - none: suggestions name the embedded default remote
   */
  readonly targetArgs?: readonly string[];
}

/** What one commit records. */
export interface CommitSpec {
  /** Parent commits; the first is the one `ops` apply to. Empty for a root commit. */
  readonly parents: readonly string[];
  readonly ops: readonly FileOp[];
  readonly message: string;
  readonly author: GitIdentity;
  readonly committer: GitIdentity;
}

/** One ref a push could not update. */
export interface RejectedRef {
  readonly ref: string;
  readonly reason: string;
}

/** The outcome of a push: done, or refused because the remote moved meanwhile. */
export interface PushOutcome {
  readonly ok: boolean;
  readonly rejected: readonly RejectedRef[];
  /**
   * The lock file on the remote that stopped the push (`.../refs/heads/main.lock`, as the server
   * names it), when a ref was locked there: another push in progress, or one that was killed.
   */
  readonly lockFile?: string;
}

/** A refspec to push, with the value the remote ref must have for it to be replaced. */
export interface PushSpec {
  /** Commit (or empty, to delete the ref). */
  readonly source: string;
  /** Full ref name on the remote. */
  readonly ref: string;
  /**
   * Replace the remote ref only when it still points here (`''`: only when it does not exist).
   * @default - no lease: the push must be a fast-forward
   */
  readonly expect?: string;
}

/** Rejections that mean "someone else updated the ref first": fetch and try again. */
const RACE_REASONS = /fetch first|non-fast-forward|stale info|failed to update ref|cannot lock ref|incorrect old value|already exists/;

/**
 * The local copy of a deployment repository: a bare mirror of the remote's branches, tags and
 * review refs, kept in a cache folder between runs. Commits are built from git objects directly
 * (fast-import), so no working tree is written and a 10,000-file repository costs what changed.
 * One process at a time uses a cache folder: `open` takes a lock that `close` releases.
 */
export class Workspace {
  /** Opens (creating on first use) the cache for a remote and fetches it. */
  public static async open(options: WorkspaceOptions): Promise<Workspace> {
    const cwd = options.cwd ?? process.cwd();
    const remote = normalizeRemote(options.remote, cwd);
    checkRemoteUrl(remote);
    const cacheDir = path.resolve(cwd, options.cacheDir ?? defaultCacheDir(remote, cwd));
    const releaseLock = await acquireCacheLock(cacheDir + '.lock', options.lockTimeoutMs ?? 120_000);
    // What killed runs left in the temporary folder (their credential helpers), whatever this run needs.
    removeStaleTempFolders();
    let auth;
    try {
      auth = prepareGitAuth(options.credentials ?? credentialsFromEnvironment(), remote);
    } catch (err) {
      releaseLock();
      throw err;
    }
    try {
      const git = new GitRunner({ cwd: cacheDir, env: auth.env, config: auth.config, secrets: auth.secrets });
      if (!fs.existsSync(path.join(cacheDir, 'HEAD'))) {
        fs.mkdirSync(cacheDir, { recursive: true });
        await git.run(['init', '--quiet', '--bare']);
      }
      await removeLeftovers(git, cacheDir);
      const configured = await git.tryText(['config', '--get', 'remote.origin.url']);
      if (configured === undefined) await git.run(['remote', 'add', 'origin', remote]);
      else if (configured !== remote) await git.run(['remote', 'set-url', 'origin', remote]);
      const format = (await git.text(['rev-parse', '--show-object-format'])) === 'sha256' ? 'sha256' : 'sha1';
      const emptyTree = await git.text(['hash-object', '-w', '-t', 'tree', '--stdin']);
      const dispose = auth.dispose;
      const release = () => {
        dispose();
        releaseLock();
      };
      const workspace = new Workspace(remote, cacheDir, git, format, emptyTree, options.log ?? (() => undefined), release, options.targetArgs ?? []);
      try {
        await workspace.fetch();
      } catch (err) {
        // The remote wants credentials nephoran did not send: say which token went where.
        if (auth.unboundHint && /could not read Username|Authentication failed|terminal prompts disabled/.test((err as Error).message)) {
          throw new GitOpsError(`${(err as Error).message.trim()}\n${auth.unboundHint}`);
        }
        throw err;
      }
      return workspace;
    } catch (err) {
      auth.dispose();
      releaseLock();
      throw err;
    }
  }

  private workRefCounter = 0;
  /** The git ids of the buffers blobId has hashed. */
  private readonly blobIds = new WeakMap<Buffer, string>();

  private constructor(
    /** The remote, as git is given it. */
    public readonly remote: string,
    /** The cache folder (a bare repository). */
    public readonly cacheDir: string,
    /** Runs git in the cache folder, with the credentials. */
    public readonly git: GitRunner,
    /** The repository's hash algorithm. */
    public readonly objectFormat: 'sha1' | 'sha256',
    /** The id of the empty tree. */
    public readonly emptyTree: string,
    /** Progress lines. */
    public readonly log: (line: string) => void,
    private readonly release: () => void,
    /** The arguments that named this repository on the command line (see WorkspaceOptions.targetArgs). */
    public readonly targetArgs: readonly string[] = [],
  ) {}

  /** A complete `nephoran` command acting on this repository, for results and errors to suggest. */
  public command(...words: string[]): string {
    return nephoranCommand(words, this.targetArgs);
  }

  /** Mirrors the remote's branches, tags and refs/nephoran/* (review records) into the cache. */
  public async fetch(): Promise<void> {
    this.log(`fetching ${this.remote}`);
    await this.git.run(['fetch', '--quiet', '--prune', '--no-write-fetch-head', 'origin',
      '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*', '+refs/nephoran/*:refs/nephoran/*']);
  }

  /** The commit a ref or revision names in the cache, or undefined. */
  public async resolve(revision: string): Promise<string | undefined> {
    if (revision.startsWith('-')) return undefined;
    return this.git.tryText(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]);
  }

  /** The commit at the head of a branch, or undefined when the branch does not exist yet. */
  public async branchHead(branch: string): Promise<string | undefined> {
    return this.resolve(`refs/heads/${branch}`);
  }

  /** All files of a commit (an empty snapshot for `undefined`). */
  public async snapshot(commit: string | undefined): Promise<TreeSnapshot> {
    const entries = new Map<string, TreeEntry>();
    if (commit) {
      const { stdout } = await this.git.run(['ls-tree', '-r', '-z', '--full-tree', commit]);
      for (const record of stdout.toString('utf8').split('\0')) {
        if (!record) continue;
        const tab = record.indexOf('\t');
        const [mode, type, id] = record.slice(0, tab).split(' ');
        entries.set(record.slice(tab + 1), { mode, type, id });
      }
    }
    return new TreeSnapshot(commit, entries);
  }

  /** Contents of files of a snapshot (files that are absent are left out). */
  public async readFiles(snapshot: TreeSnapshot, paths: readonly string[]): Promise<Map<string, Buffer>> {
    const wanted = paths.filter(p => snapshot.get(p)?.type === 'blob');
    const objects = await readObjects(this.git, wanted.map(p => snapshot.get(p)!.id));
    const result = new Map<string, Buffer>();
    for (const p of wanted) {
      const content = objects.get(snapshot.get(p)!.id);
      if (content) result.set(p, content);
    }
    return result;
  }

  /** Reads one file of a snapshot as text. */
  public async readText(snapshot: TreeSnapshot, filePath: string): Promise<string | undefined> {
    return (await this.readFiles(snapshot, [filePath])).get(filePath)?.toString('utf8');
  }

  /** The git id a file with this content has. */
  public blobId(content: Buffer): string {
    // A tree's buffers are shared by its copies (resolved revisions, kept files), and a publish
    // plans the same tree more than once: hash each buffer once.
    let id = this.blobIds.get(content);
    if (id === undefined) {
      id = createHash(this.objectFormat).update(`blob ${content.length}\0`).update(content).digest('hex');
      this.blobIds.set(content, id);
    }
    return id;
  }

  /** The best common ancestor of two commits, or undefined when they share no history. */
  public async tryMergeBase(a: string, b: string): Promise<string | undefined> {
    return this.git.tryText(['merge-base', a, b]);
  }

  /** Paths that differ between two commits (`undefined`: the empty tree). */
  public async changedPaths(from: string | undefined, to: string): Promise<Set<string>> {
    const { stdout } = await this.git.run(['diff', '--name-only', '-z', '--no-renames', from ?? this.emptyTree, to]);
    return new Set(stdout.toString('utf8').split('\0').filter(p => p));
  }

  /** Writes a commit with fast-import (inline blobs, no working tree) and returns its id. */
  public async commit(spec: CommitSpec): Promise<string> {
    const ref = `refs/nephoran-work/${process.pid}-${++this.workRefCounter}-${randomBytes(4).toString('hex')}`;
    const now = Math.floor(Date.now() / 1000);
    const message = Buffer.from(spec.message.endsWith('\n') ? spec.message : spec.message + '\n', 'utf8');
    const chunks: Buffer[] = [Buffer.from(
      `commit ${ref}\n` +
      `author ${formatIdentity(spec.author)} ${now} +0000\n` +
      `committer ${formatIdentity(spec.committer)} ${now} +0000\n` +
      `data ${message.length}\n`), message, Buffer.from('\n')];
    const [first, ...merges] = spec.parents;
    if (first) chunks.push(Buffer.from(`from ${first}\n`));
    for (const parent of merges) chunks.push(Buffer.from(`merge ${parent}\n`));
    for (const op of spec.ops) if (!op.after) chunks.push(Buffer.from(`D ${quotePath(op.path)}\n`));
    for (const op of spec.ops) {
      if (!op.after) continue;
      if (op.after.content) {
        chunks.push(Buffer.from(`M 100644 inline ${quotePath(op.path)}\ndata ${op.after.content.length}\n`), op.after.content, Buffer.from('\n'));
      } else {
        chunks.push(Buffer.from(`M ${op.after.mode ?? '100644'} ${op.after.id} ${quotePath(op.path)}\n`));
      }
    }
    chunks.push(Buffer.from('done\n'));
    await this.git.run(['fast-import', '--quiet', '--done', '--date-format=raw'], { input: Buffer.concat(chunks) });
    const id = await this.git.text(['rev-parse', '--verify', ref]);
    await this.git.run(['update-ref', '-d', ref]);
    return id;
  }

  /**
   * Pushes refs in one atomic push. Fast-forward only unless a lease (`expect`) is given; never
   * a plain force. Returns the rejected refs when the remote moved meanwhile; throws when the
   * remote refuses for any other reason.
   */
  public async push(specs: readonly PushSpec[]): Promise<PushOutcome> {
    const args = ['push', '--porcelain', '--atomic'];
    for (const spec of specs) if (spec.expect !== undefined) args.push(`--force-with-lease=${spec.ref}:${spec.expect}`);
    args.push('origin', ...specs.map(s => `${s.source}:${s.ref}`));
    this.log(`pushing ${specs.map(s => s.source ? s.ref : `(delete) ${s.ref}`).join(', ')}`);
    const result = await this.git.run(args, { allowFailure: true });
    const rejected: RejectedRef[] = [];
    for (const line of result.stdout.toString('utf8').split('\n')) {
      const match = /^([ +\-*!=])\t([^\t]*)\t(.*)$/.exec(line);
      if (match && match[1] === '!') rejected.push({ ref: match[2].split(':').pop() ?? match[2], reason: match[3] });
    }
    if (result.exitCode === 0) return { ok: true, rejected: [] };
    // A ref locked on the remote: git names the lock file it could not create.
    const locked = /Unable to create '([^']*\.lock)': File exists/.exec(result.stderr);
    if (locked) return { ok: false, rejected, lockFile: locked[1].replace(/\/\.\//g, '/') };
    const realRejections = rejected.filter(r => !/atomic push failed/.test(r.reason));
    // An atomic push reports a lost race as a failed transaction; git's message says which lock.
    const lostRace = (r: RejectedRef) => RACE_REASONS.test(r.reason) || (/atomic transaction failed/.test(r.reason) && /cannot lock ref|but expected/.test(result.stderr));
    if (realRejections.length > 0 && realRejections.every(lostRace)) return { ok: false, rejected: realRejections };
    const reasons = realRejections.map(r => `${r.ref}: ${r.reason}`).join('; ');
    throw new GitOpsError(`the remote refused the push${reasons ? ` (${reasons})` : ''}: ${result.stderr.trim() || 'no message'}`);
  }

  /**
   * The commits of a branch this cache's program has seen (see publish's stale-source check):
   * the one its last direct publish (or no-op) left the branch at, then the review commits it
   * pushed since. Kept in the cache as refs outside what fetch mirrors
   * (`refs/nephoran-base/heads/<branch>`, `refs/nephoran-seen/<hash of branch>/<commit>`), so the
   * commits stay in the cache even when they never reached the remote.
   */
  public async recordedBases(branch: string): Promise<string[]> {
    const primary = await this.resolve(`refs/nephoran-base/heads/${branch}`);
    const seen = await this.git.tryText(['for-each-ref', '--format=%(objectname)', `refs/nephoran-seen/${branchKey(branch)}/`]);
    return [...new Set([...(primary ? [primary] : []), ...(seen ? seen.split('\n').filter(l => l) : [])])];
  }

  /**
   * Records a commit the program's tree is on. `replace`: it is now the only one (a direct
   * publish landed); else it is added (a review branch the target may merge).
   */
  public async recordBase(branch: string, commit: string, replace = true): Promise<void> {
    if (!replace) {
      await this.git.run(['update-ref', `refs/nephoran-seen/${branchKey(branch)}/${commit}`, commit]);
      return;
    }
    const seen = await this.git.tryText(['for-each-ref', '--format=%(refname)', `refs/nephoran-seen/${branchKey(branch)}/`]);
    const lines = [`update refs/nephoran-base/heads/${branch} ${commit}`, ...(seen ? seen.split('\n').filter(l => l).map(r => `delete ${r}`) : [])];
    await this.git.run(['update-ref', '--stdin'], { input: lines.join('\n') + '\n' });
  }

  /** Creates a commit object directly (used for review records). */
  public async commitTree(
    tree: string,
    parents: readonly string[],
    message: string,
    author: GitIdentity,
    committer: GitIdentity = author,
  ): Promise<string> {
    return this.git.text(['commit-tree', tree, ...parents.flatMap(p => ['-p', p])], {
      input: message,
      env: {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: committer.name,
        GIT_COMMITTER_EMAIL: committer.email,
      },
    });
  }

  /** Releases the cache lock and removes the credential helper. */
  public close(): void {
    this.release();
  }
}

/** Opens a workspace, runs `work`, and always closes it. */
export async function withWorkspace<T>(options: WorkspaceOptions, work: (ws: Workspace) => Promise<T>): Promise<T> {
  const ws = await Workspace.open(options);
  try {
    return await work(ws);
  } finally {
    ws.close();
  }
}

/** A local path becomes an absolute path; URLs and scp-like `host:path` stay as given. */
export function normalizeRemote(remote: string, cwd: string): string {
  if (!remote || !remote.trim()) throw new GitOpsError('the remote is empty: pass a URL or the path of a git repository');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(remote)) return remote;
  if (/^[^/\\:]+:/.test(remote) && !/^[A-Za-z]:[\\/]/.test(remote)) return remote;
  return path.resolve(cwd, remote);
}

/** A branch name as one ref component. */
function branchKey(branch: string): string {
  return createHash('sha256').update(branch).digest('hex').slice(0, 16);
}

/** `<cwd>/.nephoran/cache/<first 16 hex digits of sha256(remote)>`. */
export function defaultCacheDir(remote: string, cwd: string = process.cwd()): string {
  return path.join(cwd, '.nephoran', 'cache', createHash('sha256').update(remote).digest('hex').slice(0, 16));
}

/** fast-import's C-style quoting, which every path may use. */
function quotePath(p: string): string {
  return '"' + p.replace(/[\\"\x00-\x1f\x7f]/g, c => {
    if (c === '\\') return '\\\\';
    if (c === '"') return '\\"';
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return '\\' + c.charCodeAt(0).toString(8).padStart(3, '0');
  }) + '"';
}

/**
 * Removes what a killed run left in the cache (this process holds the cache lock, so nothing
 * else is using it): its work refs, and git's temporary object and pack files.
 */
async function removeLeftovers(git: GitRunner, cacheDir: string): Promise<void> {
  const objects = path.join(cacheDir, 'objects');
  for (const dir of [objects, path.join(objects, 'pack')]) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (/^(tmp_|incoming-)/.test(name)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    }
  }
  if (!fs.existsSync(path.join(cacheDir, 'HEAD'))) return;
  const refs = await git.tryText(['for-each-ref', '--format=%(refname)', 'refs/nephoran-work/']);
  if (refs) await git.run(['update-ref', '--stdin'], { input: refs.split('\n').filter(r => r).map(r => `delete ${r}\n`).join('') });
}
