import * as YAML from 'yaml';
import { CLUSTERS_FOLDER } from '../../repo/layout-paths';
import { parseCommitMessage, TRAILER } from '../commit-message';
import { GitOpsError } from '../errors';
import { Workspace, withWorkspace } from '../workspace';
import { readClusterSyncStates } from './read';
import { ClusterSyncTarget, CONFIG_SYNC_NAMESPACE } from './types';
import { ClusterVerification, CommitRelation, RepositoryCommit, SyncFigures, syncFigures, verifyCluster } from './verify';

/** The folder of the management repository that holds each cluster's RootSync (`clusters/<cluster>/`). */
export { CLUSTERS_FOLDER };

/** A RootSync found in the published repository, and what it syncs. */
export interface PublishedRootSync {
  /** The cluster: the folder under `clusters/`. */
  readonly cluster: string;
  readonly file: string;
  readonly name: string;
  readonly namespace: string;
  /** `spec.git.repo`. */
  readonly repo: string;
  /** `spec.git.branch` (ConfigSync's default `master` when unset). */
  readonly branch: string;
  /** `spec.git.revision`, when it pins something else than the branch head. */
  readonly revision?: string;
  readonly dir?: string;
}

/**
 * The RootSyncs of `clusters/<cluster>/` in a set of files (path -> YAML text), sorted by cluster.
 * Files that are not YAML objects are skipped; ConfigSync reads only `.yaml`, `.yml` and `.json`.
 */
export function rootSyncsInFiles(files: ReadonlyMap<string, string | Buffer>): PublishedRootSync[] {
  const found: PublishedRootSync[] = [];
  for (const [file, content] of files) {
    const match = new RegExp(`^${CLUSTERS_FOLDER}/([^/]+)/.+\\.(ya?ml|json)$`).exec(file);
    if (!match) continue;
    let docs: unknown[];
    try {
      docs = YAML.parseAllDocuments(content.toString()).map(d => d.toJS());
    } catch {
      continue;
    }
    for (const doc of docs) {
      const o = doc as Record<string, any> | null;
      if (!o || o.kind !== 'RootSync' || !String(o.apiVersion ?? '').startsWith('configsync.gke.io/')) continue;
      const git = o.spec?.git ?? {};
      const revision = typeof git.revision === 'string' && git.revision !== 'HEAD' && git.revision !== '' ? git.revision : undefined;
      found.push({
        cluster: match[1],
        file,
        name: String(o.metadata?.name ?? match[1]),
        namespace: String(o.metadata?.namespace ?? CONFIG_SYNC_NAMESPACE),
        repo: String(git.repo ?? ''),
        branch: typeof git.branch === 'string' && git.branch ? git.branch : 'master',
        ...(revision ? { revision } : {}),
        ...(typeof git.dir === 'string' ? { dir: git.dir } : {}),
      });
    }
  }
  return found.sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A repository the fleet publishes to, and where it is reached. */
export interface StatusRepository {
  /** Its name: the last path segment of the URL RootSyncs sync (without `.git`). */
  readonly name: string;
  readonly remote: string;
  readonly cacheDir?: string;
}

/** What `fleetSyncStatus` reads. */
export interface FleetSyncStatusOptions {
  /** The deployment repositories; the first holds `clusters/<cluster>/` (the management repository). */
  readonly repositories: readonly StatusRepository[];
  /** The branch of the first repository to read the RootSyncs from. @default 'main' */
  readonly branch?: string;
  /** Cluster -> kubeconfig context. @default - the context named like the cluster */
  readonly contexts?: Readonly<Record<string, string>>;
  /** @default - KUBECONFIG, else ~/.kube/config */
  readonly kubeconfig?: string;
  /** Only these clusters. @default - every cluster with a RootSync */
  readonly clusters?: readonly string[];
  /** Per-cluster request timeout. @default 10000 */
  readonly clusterTimeoutMs?: number;
  readonly cwd?: string;
  readonly log?: (line: string) => void;
  /**
   * The commit each repository's branch is checked against (repository name -> commit).
   * @default - the branch head, read now
   */
  readonly publishedCommits?: Readonly<Record<string, string>>;
}

/** A repository's published commit, as read. */
export interface PublishedRepositoryState {
  readonly name: string;
  readonly remote: string;
  readonly branch: string;
  readonly commit?: RepositoryCommit;
}

/** The fleet's sync, checked against what is published. */
export interface FleetSyncReport {
  /** The branch the RootSyncs were read from. */
  readonly branch: string;
  readonly repositories: readonly PublishedRepositoryState[];
  readonly clusters: readonly ClusterVerification[];
  readonly figures: SyncFigures;
  /** True when every cluster read is verified. */
  readonly verified: boolean;
  readonly readAt: string;
}

/**
 * Reads the published commit(s) and the clusters' RootSyncs from git, then each cluster's sync
 * status through its kubeconfig context, and checks each cluster against what was published.
 */
export async function fleetSyncStatus(options: FleetSyncStatusOptions): Promise<FleetSyncReport> {
  if (options.repositories.length === 0) throw new GitOpsError('no repository to read: give the deployment repository\'s remote');
  const branch = options.branch ?? 'main';
  const log = options.log ?? (() => undefined);
  // 1. The RootSyncs, from the management repository's published branch: the first repository
  //    whose branch holds clusters/<cluster>/ RootSyncs.
  let management: StatusRepository | undefined;
  let rootSyncs: PublishedRootSync[] = [];
  for (const repo of options.repositories) {
    rootSyncs = await withWorkspace({ remote: repo.remote, cacheDir: repo.cacheDir, cwd: options.cwd, log }, async ws => {
      const head = await ws.branchHead(branch);
      if (!head) {
        if (options.repositories.length === 1) throw new GitOpsError(`${ws.remote} has no branch ${branch} yet: nothing has been published there`);
        return [];
      }
      const snapshot = await ws.snapshot(head);
      const paths = [...snapshot.paths()].filter(p => p.startsWith(CLUSTERS_FOLDER + '/'));
      return rootSyncsInFiles(await ws.readFiles(snapshot, paths));
    });
    if (rootSyncs.length > 0) {
      management = repo;
      break;
    }
  }
  if (!management) {
    throw new GitOpsError(`${options.repositories.map(r => r.remote).join(', ')} (${branch}) ${options.repositories.length === 1 ? 'has' : 'have'} no RootSync under ${CLUSTERS_FOLDER}/<cluster>/: no cluster to check`);
  }
  let selected = rootSyncs;
  if (options.clusters && options.clusters.length > 0) {
    const known = [...new Set(rootSyncs.map(r => r.cluster))];
    const unknown = options.clusters.filter(c => !known.includes(c));
    if (unknown.length > 0) throw new GitOpsError(`no RootSync for cluster${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} under ${CLUSTERS_FOLDER}/ of ${branch} (clusters: ${known.join(', ')})`);
    selected = rootSyncs.filter(r => options.clusters!.includes(r.cluster));
  }
  // 2. Which repository each RootSync syncs, and that repository's published commit.
  const repositoryOf = (rs: PublishedRootSync): StatusRepository => {
    if (options.repositories.length === 1) return management!;
    const name = repositoryName(rs.repo);
    const repo = options.repositories.find(r => r.name === name);
    if (!repo) throw new GitOpsError(`RootSync ${rs.file} syncs ${rs.repo}, which is none of the repositories given (${options.repositories.map(r => r.name).join(', ')})`);
    return repo;
  };
  const wanted = new Map<string, { repo: StatusRepository; refs: Set<string> }>();
  for (const rs of selected) {
    const repo = repositoryOf(rs);
    const entry = wanted.get(repo.name) ?? { repo, refs: new Set<string>() };
    entry.refs.add(rs.revision ?? rs.branch);
    wanted.set(repo.name, entry);
  }
  // 3. The clusters, read in parallel.
  const targets: ClusterSyncTarget[] = selected.map(rs => ({
    cluster: rs.cluster,
    context: options.contexts?.[rs.cluster] ?? rs.cluster,
    rootSyncName: rs.name,
    rootSyncNamespace: rs.namespace,
  }));
  const states = await readClusterSyncStates(targets, { kubeconfig: options.kubeconfig, timeoutMs: options.clusterTimeoutMs });
  // 4. Git facts about the published and the synced commits, per repository.
  const repositories: PublishedRepositoryState[] = [];
  const clusters: ClusterVerification[] = [];
  for (const { repo, refs } of [...wanted.values()].sort((a, b) => (a.repo.name < b.repo.name ? -1 : 1))) {
    await withWorkspace({ remote: repo.remote, cacheDir: repo.cacheDir, cwd: options.cwd, log }, async ws => {
      for (const ref of [...refs].sort()) {
        const pinned = options.publishedCommits?.[repo.name];
        const head = pinned ?? (await ws.resolve(`refs/heads/${ref}`)) ?? (await ws.resolve(ref));
        const published = head ? await commitInfo(ws, head) : undefined;
        repositories.push({ name: repo.name, remote: ws.remote, branch: ref, ...(published ? { commit: published } : {}) });
        for (const rs of selected) {
          if (repositoryOf(rs).name !== repo.name || (rs.revision ?? rs.branch) !== ref) continue;
          const state = states[selected.indexOf(rs)];
          const infos = new Map<string, RepositoryCommit | undefined>();
          const relations = new Map<string, CommitRelation>();
          for (const c of [state.syncedCommit, state.syncingCommit].filter((x): x is string => !!x)) {
            infos.set(c, await commitInfo(ws, c));
            relations.set(c, head ? await relationOf(ws, c, head) : 'unknown');
          }
          clusters.push(verifyCluster(state, published, { info: c => infos.get(c), relation: c => relations.get(c) ?? 'unknown' }, options.repositories.length > 1 ? repo.name : undefined));
        }
      }
    });
  }
  clusters.sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0));
  return {
    branch,
    repositories,
    clusters,
    figures: syncFigures(clusters),
    verified: clusters.length > 0 && clusters.every(c => c.verified),
    readAt: new Date().toISOString(),
  };
}

/** How `--wait` polls. */
export interface WaitOptions {
  /** Give up after this long. */
  readonly timeoutMs: number;
  /** @default 2000 */
  readonly intervalMs?: number;
  /** Called after each read. */
  readonly onRead?: (report: FleetSyncReport) => void;
}

/** The outcome of waiting for a fleet to sync. */
export interface WaitResult {
  readonly report: FleetSyncReport;
  readonly verified: boolean;
  readonly timedOut: boolean;
  /** Why the wait ended without verification (one line per cluster that is not verified). */
  readonly reason?: string;
}

/**
 * Reads the fleet's status until every targeted cluster has synced the commit published when
 * the wait began (or a later one) and is healthy, or the timeout passes. A cluster whose sync
 * failed on the published commit ends the wait early: ConfigSync retries, but only a new commit
 * changes the outcome.
 */
export async function waitForFleetSync(options: FleetSyncStatusOptions, wait: WaitOptions): Promise<WaitResult> {
  const deadline = Date.now() + wait.timeoutMs;
  const interval = wait.intervalMs ?? 2000;
  let report = await fleetSyncStatus(options);
  // The change waited for: the commits published now, even if the branch moves while waiting.
  const pinned: Record<string, string> = { ...options.publishedCommits };
  for (const r of report.repositories) if (r.commit && pinned[r.name] === undefined) pinned[r.name] = r.commit.commit;
  for (;;) {
    wait.onRead?.(report);
    if (report.verified) return { report, verified: true, timedOut: false };
    const failed = report.clusters.filter(c => c.state.phase === 'error' && c.state.syncingCommit !== undefined && c.publishedCommit !== undefined
      && (c.state.syncingCommit === c.publishedCommit));
    if (failed.length > 0) return { report, verified: false, timedOut: false, reason: notVerified(report, 'failed') };
    if (Date.now() + interval > deadline) return { report, verified: false, timedOut: true, reason: notVerified(report, 'timed out') };
    await new Promise(resolve => setTimeout(resolve, interval));
    report = await fleetSyncStatus({ ...options, publishedCommits: pinned });
  }
}

function notVerified(report: FleetSyncReport, how: string): string {
  const lines = report.clusters.filter(c => !c.verified).map(c => `${c.cluster}: ${c.reasons.join('; ') || 'not verified'}`);
  return `${how}: ${lines.length} of ${report.clusters.length} cluster${report.clusters.length === 1 ? '' : 's'} not verified\n  ${lines.join('\n  ')}`;
}

/** The repository name a git URL ends with (`.../edge-1.git` -> `edge-1`). */
export function repositoryName(url: string): string {
  return url.replace(/\/+$/, '').split(/[/:]/).pop()!.replace(/\.git$/, '');
}

async function commitInfo(ws: Workspace, commit: string): Promise<RepositoryCommit | undefined> {
  if (!/^[0-9a-f]{7,64}$/i.test(commit)) return undefined;
  const out = await ws.git.tryText(['log', '-1', '--format=%H%x00%cI%x00%B', commit, '--']);
  if (!out) return undefined;
  const [full, committedAt, message] = out.split('\0');
  const parsed = parseCommitMessage(message ?? '');
  const rollbackTo = parsed.trailers.get(TRAILER.rollbackTo)?.[0];
  return { commit: full, committedAt, subject: parsed.subject, ...(rollbackTo ? { rollbackTo } : {}) };
}

async function relationOf(ws: Workspace, commit: string, published: string): Promise<CommitRelation> {
  if (!/^[0-9a-f]{7,64}$/i.test(commit)) return 'unknown';
  const full = await ws.resolve(commit);
  if (!full) return 'unknown';
  if (full === published) return 'published';
  const isAncestor = async (a: string, b: string) => (await ws.git.tryText(['merge-base', '--is-ancestor', a, b])) !== undefined;
  if (await isAncestor(published, full)) return 'descendant';
  if (await isAncestor(full, published)) return 'behind';
  return 'unrelated';
}
