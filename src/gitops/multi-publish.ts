import * as fs from 'fs';
import * as path from 'path';
import { formatCounts } from './change-summary';
import { checkRemoteUrl } from './credentials';
import { ensureBareRepository } from './default-remote';
import { GitOpsError } from './errors';
import { PackageRevision, RepoTree } from '../repo/repo-tree';
import { ForgeProvider } from './forges/forge';
import { publish, PublishOptions, PublishResult } from './publish';
import { RepoSet } from '../repo/repo-set';

/** Where the bare repositories of a set live by default, under the project root: `<dir>/<repository>.git`. */
export const DEFAULT_REMOTES_DIR = '.nephoran/remotes';

/** The placeholder a remote URL template holds where the repository name goes. */
export const REPOSITORY_PLACEHOLDER = '{repository}';

/** How many repositories are published at once unless told otherwise. */
export const DEFAULT_PUBLISH_CONCURRENCY = 4;

/** The remote one repository of a set is published to. */
export interface RepositoryRemote {
  /** The repository's name in the set. */
  readonly repository: string;
  /** URL or local path of its remote. */
  readonly remote: string;
  /** The forge hosting it, for pull requests. @default - plain git */
  readonly forge?: ForgeProvider;
  /**
   * The command-line arguments that name this repository (`--remotes-dir D --repository R`),
   * carried by the commands its result suggests. @default - none
   */
  readonly targetArgs?: readonly string[];
}

/** How to publish a set; every option of publish() but the remote, which each repository has its own of. */
export interface MultiPublishOptions extends Omit<PublishOptions, 'remote' | 'cacheDir' | 'forge'> {
  /** How many repositories are published at once. @default 4 */
  readonly concurrency?: number;
}

/** What happened to one repository of a set. */
export interface RepositoryPublishOutcome {
  readonly repository: string;
  readonly remote: string;
  /** `landed`: a commit, review branch or proposal was pushed; `unchanged`: the remote already held it; `failed`: see error. */
  readonly status: 'landed' | 'unchanged' | 'failed';
  /** The publish result (landed and unchanged). */
  readonly result?: PublishResult;
  /** Why it failed (failed only). */
  readonly error?: string;
  /** How long this repository took, in milliseconds. */
  readonly durationMs: number;
}

/** What publishing a set did, repository by repository, in the set's order. */
export interface MultiPublishResult {
  readonly outcomes: readonly RepositoryPublishOutcome[];
  /** True when no repository failed. */
  readonly ok: boolean;
  readonly landed: readonly string[];
  readonly unchanged: readonly string[];
  readonly failed: readonly string[];
  /** What happened, in one sentence. */
  readonly description: string;
}

/**
 * Publishes every repository of a set to its own remote, at most `concurrency` at once. Each
 * repository is one publish(): atomic on its own, with its own cache, lock, retries and review
 * gate. A repository that fails does not stop the others; its error is in its outcome and the
 * result is not `ok`. Every repository must have a remote, else nothing is published.
 *
 * Repositories whose packages others lock to (the management repository, whose blueprints the
 * cluster repositories' variants name) are published first, with their revision tags; the
 * others then lock to those revisions. When such a repository fails, the repositories locking
 * to it are not published (failed, saying why).
 */
export async function publishRepoSet(
  set: RepoSet,
  remotes: readonly RepositoryRemote[],
  options: MultiPublishOptions = {},
): Promise<MultiPublishResult> {
  const concurrency = options.concurrency ?? DEFAULT_PUBLISH_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new GitOpsError(`concurrency must be a whole number of at least 1; got ${concurrency}`);
  const byRepository = new Map<string, RepositoryRemote>();
  for (const remote of remotes) {
    if (byRepository.has(remote.repository)) throw new GitOpsError(`two remotes for repository "${remote.repository}"`);
    byRepository.set(remote.repository, remote);
  }
  const missing = set.names.filter(name => !byRepository.has(name));
  if (missing.length > 0) throw new GitOpsError(`no remote for repositor${missing.length === 1 ? 'y' : 'ies'} ${missing.join(', ')}; nothing was published`);
  const unknown = [...byRepository.keys()].filter(name => !set.has(name));
  if (unknown.length > 0) throw new GitOpsError(`remotes given for repositories the set does not have: ${unknown.join(', ')}; it holds ${set.names.join(', ')}`);

  const { concurrency: _unused, ...publishOptions } = options;
  void _unused;
  const upstreamsOf = (tree: RepoTree) => new Set(tree.revisionBindings().map(b => b.repository).filter((r): r is string => r !== undefined));
  const referenced = new Set(set.entries().flatMap(([, tree]) => [...upstreamsOf(tree)]));
  const boundIn = boundElsewhere(set);
  const external = new Map<string, ReadonlyMap<string, PackageRevision>>();
  const failedUpstreams = new Set<string>();
  const publishOne = async ([name, tree]: [string, RepoTree]): Promise<RepositoryPublishOutcome> => {
    const { remote, forge, targetArgs } = byRepository.get(name)!;
    const started = Date.now();
    const log = options.log ? (line: string) => options.log!(`[${name}] ${line}`) : undefined;
    const blocked = [...upstreamsOf(tree)].filter(r => failedUpstreams.has(r));
    if (blocked.length > 0) {
      return { repository: name, remote, status: 'failed', error: `not published: its variants lock to package revisions of ${blocked.join(', ')}, which failed`, durationMs: 0 };
    }
    try {
      const result = await publish(tree, {
        ...publishOptions,
        remote,
        forge,
        log,
        targetArgs,
        externalRevisions: external,
        boundElsewhere: boundIn.get(name),
      });
      if (referenced.has(name)) external.set(name, new Map((result.revisions ?? []).map(r => [r.packagePath, r] as const)));
      return { repository: name, remote, status: result.changed ? 'landed' : 'unchanged', result, durationMs: Date.now() - started } as RepositoryPublishOutcome;
    } catch (err) {
      if (referenced.has(name)) failedUpstreams.add(name);
      return { repository: name, remote, status: 'failed', error: (err as Error).message, durationMs: Date.now() - started } as RepositoryPublishOutcome;
    }
  };
  const entries = set.entries();
  const firstWave = entries.filter(([name]) => referenced.has(name));
  const secondWave = entries.filter(([name]) => !referenced.has(name));
  const done = new Map<string, RepositoryPublishOutcome>();
  for (const wave of [firstWave, secondWave]) {
    const results = await runBounded(wave, concurrency, publishOne);
    wave.forEach(([name], i) => done.set(name, results[i]));
  }
  const outcomes = entries.map(([name]) => done.get(name)!);
  const of = (status: RepositoryPublishOutcome['status']) => outcomes.filter(o => o.status === status).map(o => o.repository);
  const landed = of('landed');
  const unchanged = of('unchanged');
  const failed = of('failed');
  const counts = [`${landed.length} landed`, `${unchanged.length} unchanged`, `${failed.length} failed`].join(', ');
  return {
    outcomes,
    ok: failed.length === 0,
    landed,
    unchanged,
    failed,
    description: failed.length === 0
      ? `Published ${set.size} repositor${set.size === 1 ? 'y' : 'ies'}: ${counts}.`
      : `Published ${set.size - failed.length} of ${set.size} repositories (${counts}); ${failed.join(', ')} failed and must be published again.`,
  };
}

/** For each repository, the packages of it that other repositories' variants lock to. */
export function boundElsewhere(set: RepoSet): Map<string, string[]> {
  const result = new Map<string, Set<string>>();
  for (const [, tree] of set.entries()) {
    for (const b of tree.revisionBindings()) {
      if (b.repository === undefined) continue;
      let paths = result.get(b.repository);
      if (!paths) result.set(b.repository, paths = new Set());
      paths.add(b.upstream);
    }
  }
  return new Map([...result].map(([name, paths]) => [name, [...paths].sort()]));
}

/** A set's remotes from a URL template holding `{repository}`, e.g. `https://git.example.com/nephio/{repository}.git`. */
export function remotesFromTemplate(template: string, names: readonly string[]): RepositoryRemote[] {
  checkRemoteUrl(template, 'the remote template');
  if (!template.includes(REPOSITORY_PLACEHOLDER)) {
    throw new GitOpsError(`the remote template must hold "${REPOSITORY_PLACEHOLDER}" where the repository name goes, e.g. "https://git.example.com/nephio/${REPOSITORY_PLACEHOLDER}.git"; got "${template}"`);
  }
  return names.map(repository => ({ repository, remote: template.split(REPOSITORY_PLACEHOLDER).join(repository) }));
}

/**
 * A set's remotes as local bare repositories `<dir>/<repository>.git`, created on first use with
 * their HEAD on `branch` (so a clone checks it out). `dir` is resolved against `cwd`.
 */
export async function ensureLocalRemotes(names: readonly string[], dir: string = DEFAULT_REMOTES_DIR, cwd: string = process.cwd(), branch: string = 'main'): Promise<RepositoryRemote[]> {
  const root = path.resolve(cwd, dir);
  const remotes: RepositoryRemote[] = [];
  for (const repository of names) {
    const remote = path.join(root, `${repository}.git`);
    await ensureBareRepository(remote, branch);
    remotes.push({ repository, remote });
  }
  return remotes;
}

/** The repositories `<name>.git` a folder of bare repositories holds (as ensureLocalRemotes made them), sorted. */
export function localRepositories(dir: string, cwd: string = process.cwd()): string[] {
  const root = path.resolve(cwd, dir);
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).filter(n => n.endsWith('.git') && fs.existsSync(path.join(root, n, 'HEAD'))).map(n => n.slice(0, -'.git'.length)).sort();
}

/** A set's publish for people: one line for the whole, then one per repository saying what landed where. */
export function formatMultiPublishResult(result: MultiPublishResult): string {
  const width = Math.max(...result.outcomes.map(o => o.repository.length), 0);
  const lines = [result.description];
  for (const o of result.outcomes) {
    const name = o.repository.padEnd(width);
    if (o.status === 'failed') {
      lines.push(`  ${name}  FAILED     ${o.remote}: ${o.error}`);
      continue;
    }
    const r = o.result!;
    const where = r.commit ? `${r.reviewBranch ?? r.branch} at ${r.commit.slice(0, 12)}` : r.proposals?.length ? r.proposals.map(p => p.branch).join(', ') : r.branch;
    const counts = r.changed ? `; files ${formatCounts(r.summary.files)}` : '';
    lines.push(`  ${name}  ${o.status.padEnd(9)}  ${o.remote} ${where} (change ${r.changeId})${counts}`);
    for (const command of r.next ?? []) lines.push(`  ${' '.repeat(width)}  next: ${command}`);
  }
  return lines.join('\n');
}

/** Runs `work` over `items` with at most `limit` running at once; results keep the items' order. */
async function runBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
