import { ChangeSet, contentPaths, isEmptyChange, planTreeChange } from './change';
import { ChangeSummary, NO_CHANGES, summarizeChange } from './change-summary';
import { buildCommitMessage, changeIdOf, summaryForCommit, TRAILER } from './commit-message';
import { GitOpsError, RemoteLockedError, ReviewGateError } from './errors';
import { ForgeProvider, PullRequest } from './forges/forge';
import { GitIdentity, resolveIdentity, sourceCommit } from './identity';
import { RepositoryLayout } from './layout';
import { ProposalBranch, publishProposals } from './proposal';
import { pullRequestBody } from './pull-request-body';
import { checkRemoteHead } from './remote-head';
import { checkPipelineFiles, GateRequirement, gateRequirements, loadReviewPolicy, needsReview, ReviewPolicy } from './review-gate';
import { ExternalRevisions, planRevisions, RevisionPlan, revisionsOnBranch } from './revisions';
import { TreeSnapshot } from './snapshot';
import { findUndoneChanges, keepLanded, programBases, staleSourceError } from './stale-source';
import { checkUnownedFiles } from './unowned-files';
import { publishRolloutWave } from './waves/publish-wave';
import { withWorkspace, Workspace, WorkspaceOptions } from './workspace';
import { PackageRevision, RepoTree } from '../repo/repo-tree';
import { ROLLOUT_PLAN_PATH } from '../repo/rollout-plan';
import { findSecretData } from '../repo/synthesizer';

/**
 * direct: commit on the target branch. pull-request: commit on a review branch named after the
 * change and open a pull request (on a forge) or a review (plain git). proposal: Porch's
 * `proposed/<package>/<workspace>` branches, one per changed package.
 */
export type PublishMode = 'direct' | 'pull-request' | 'proposal';

/** The publish modes, for argument checking. */
export const PUBLISH_MODES: readonly PublishMode[] = ['direct', 'pull-request', 'proposal'];

/** How and where to publish a tree. */
export interface PublishOptions extends WorkspaceOptions {
  /** The target branch. @default 'main' */
  readonly branch?: string;
  /** @default 'direct' */
  readonly mode?: PublishMode;
  /** Title of the commit and pull request. @default 'Publish synthesized configuration' */
  readonly message?: string;
  /** @default - GIT_AUTHOR_NAME/EMAIL, else git config user.name/user.email */
  readonly author?: GitIdentity;
  /** @default - GIT_COMMITTER_NAME/EMAIL, else git config, else the author */
  readonly committer?: GitIdentity;
  /** Folder of the source program, whose HEAD goes into the Source-Commit trailer. @default cwd */
  readonly sourceDir?: string;
  /** Forge that hosts the remote, for pull requests. @default - plain git: the review branch is the review */
  readonly forge?: ForgeProvider;
  /** @default - the repository's .nephoran/review-policy on the target branch, else no gate */
  readonly reviewPolicy?: ReviewPolicy;
  /**
   * Review branch of pull-request mode. Publishing again to the same branch replaces the commit
   * under review, which voids its approvals.
   * @default `nephoran/change-<first 12 hex digits of the change id>`
   */
  readonly reviewBranch?: string;
  /** Porch workspace name of proposals. @default `ws-<first 8 hex digits of the change id>` */
  readonly workspaceName?: string;
  /**
   * Pushes tried at most when the branch moves meanwhile. Between attempts the publish waits a
   * random time that grows with each attempt (full jitter), so publishers that collided spread out.
   * @default - no limit but `pushDeadlineMs`
   */
  readonly maxPushAttempts?: number;
  /** How long a publish keeps trying when the branch keeps moving, in milliseconds. @default 60000 */
  readonly pushDeadlineMs?: number;
  /**
   * The commit of the target branch this program was last synthesized against: changes that
   * landed on the branch since then are never undone unless `allowRevert`.
   * @default - the commit this cache's previous publish (or no-op publish) left the program at
   */
  readonly base?: string;
  /**
   * Publish even when the tree undoes changes that landed since `base` (another publish, a
   * person's commit). The commit records each undone commit in a `Reverts:` trailer.
   * @default false
   */
  readonly allowRevert?: boolean;
  /**
   * Published revisions of packages in other repositories of a set, which this tree's variants
   * lock to (publishRepoSet passes the management repository's).
   * @default - none: a variant bound to another repository's package is an error
   */
  readonly externalRevisions?: ExternalRevisions;
  /**
   * Packages of this tree that other repositories of a set lock to: published as revisions too
   * (publishRepoSet passes what the cluster repositories' variants name).
   * @default - none
   */
  readonly boundElsewhere?: readonly string[];
  /**
   * The command words that ran this publish, without the mode and the arguments naming the
   * repository (`publish --app "node app.js"`): the review gate's refusal suggests it again with
   * `--mode pull-request`, complete.
   * @default - the refusal names the flag only
   */
  readonly retryCommand?: readonly string[];
}

/** What a publish did. */
export interface PublishResult {
  /** False when the remote already holds the tree: no commit, branch or pull request was made. */
  readonly changed: boolean;
  readonly mode: PublishMode;
  readonly remote: string;
  readonly branch: string;
  readonly changeId: string;
  /** The commit pushed (direct and pull-request modes). */
  readonly commit?: string;
  /** The branch under review (pull-request mode). */
  readonly reviewBranch?: string;
  readonly pullRequest?: { readonly number: number; readonly url: string };
  /** Proposal branches (proposal mode). */
  readonly proposals?: readonly ProposalBranch[];
  readonly summary: ChangeSummary;
  /** The review gates the change must meet. */
  readonly requirements: readonly GateRequirement[];
  /** Pushes tried (more than one when the branch moved meanwhile). */
  readonly attempts: number;
  /** Commits whose changes this publish undid, as `allowRevert` allowed. */
  readonly reverts?: readonly string[];
  /**
   * Files changed on the branch since the program's base (by another publish or a person) that
   * the program does not hold and did not change: kept as the branch has them, not undone.
   */
  readonly kept?: readonly string[];
  /**
   * The published package revisions the tree's variants and PackageVariantSets lock to, sorted
   * by package path (tags `<path>/v<N>`); new ones among them are in `tags`.
   */
  readonly revisions?: readonly PackageRevision[];
  /**
   * Revision tags this publish created: pushed with the branch (direct), or pushed when the
   * review merges (pull-request).
   */
  readonly tags?: readonly string[];
  /**
   * The commands to run next, complete (they carry the arguments that named the repository, see
   * WorkspaceOptions.targetArgs): approve and merge a review branch or proposal.
   */
  readonly next?: readonly string[];
  /**
   * Things to fix outside this publish, for people (the CLI prints them on stderr): e.g. the
   * remote's HEAD names a branch that does not exist, so `git clone` warns.
   */
  readonly hints?: readonly string[];
  /** What happened, in one or two sentences. */
  readonly description: string;
}

/** Extra settings rollback uses. */
export interface PublishExtras {
  readonly defaultTitle?: string;
  readonly trailers?: ReadonlyArray<readonly [string, string]>;
  /** Push directly even when the gate needs approvals (emergency rollback). */
  readonly bypassGate?: boolean;
  /** The tree restores an older one on purpose (rollback): no stale-source check. */
  readonly restores?: boolean;
  readonly reviewBranch?: string;
  /**
   * The command words that redo this operation (rollback: `rollback --to <rev>`), for the review
   * gate's refusal to suggest the ways that pass it.
   * @default - a publish: the refusal names --mode pull-request and --mode proposal
   */
  readonly retryCommand?: readonly string[];
}

/**
 * Publishes a tree: fetches the remote into the cache, writes the tree into the paths it owns
 * (removing its own stale files, keeping everything else), commits with attribution and trailers,
 * and pushes according to the mode. An unchanged tree makes no commit, branch or pull request.
 */
export async function publish(tree: RepoTree, options: PublishOptions): Promise<PublishResult> {
  // A fleet with rollout waves: a new change reaches the first wave only (waves/publish-wave.ts).
  return withWorkspace(options, async ws => {
    const result = tree.has(ROLLOUT_PLAN_PATH) ? await publishRolloutWave(ws, tree, options) : await publishInWorkspace(ws, tree, options);
    return withRemoteHead(ws, result);
  });
}

/**
 * A result with the remote's HEAD checked once its branch landed: pointed at the branch in a
 * repository nephoran created, else a hint when a clone would check nothing out (remote-head.ts).
 */
export async function withRemoteHead<T extends { readonly hints?: readonly string[] }>(ws: Workspace, result: T, landedOn?: string): Promise<T> {
  const r = result as unknown as Partial<PublishResult>;
  const branch = landedOn ?? (r.changed && r.mode === 'direct' && r.commit ? r.branch : undefined);
  if (!branch) return result;
  const hint = await checkRemoteHead(ws, branch);
  return hint ? { ...result, hints: [...(result.hints ?? []), hint] } : result;
}

/** Everything a publish needs once the workspace is open. */
export interface PreparedPublish {
  readonly ws: Workspace;
  readonly options: PublishOptions;
  readonly branch: string;
  readonly changeId: string;
  readonly source?: string;
  readonly author: GitIdentity;
  readonly committer: GitIdentity;
  readonly title: string;
  readonly trailers: ReadonlyArray<readonly [string, string | undefined]>;
  /** The tree restores an older one (rollback): the program's base is left as it was. */
  readonly restores?: boolean;
}

/** publish() on an open workspace. */
export async function publishInWorkspace(ws: Workspace, tree: RepoTree, options: PublishOptions, extras: PublishExtras = {}): Promise<PublishResult> {
  const branch = options.branch ?? 'main';
  await checkBranchName(ws, branch);
  const mode = options.mode ?? 'direct';
  if (!PUBLISH_MODES.includes(mode)) throw new GitOpsError(`unknown mode "${mode}": use ${PUBLISH_MODES.join(', ')}`);
  const changeId = changeIdOf(tree);
  // Whatever produced the tree (synth here, or an app's output folder), Secret values never reach git.
  const secrets = extras.restores ? [] : findSecretData(tree);
  if (secrets.length > 0) throw new GitOpsError(`the tree holds Secret data; nothing was published:\n  ${secrets.slice(0, 20).join('\n  ')}`);
  const cwd = options.cwd ?? process.cwd();
  const sourceDir = options.sourceDir ?? cwd;
  // Who commits is asked only once something is committed: a no-op publish needs no identity.
  let people: Promise<{ author: GitIdentity; committer: GitIdentity; source?: string }> | undefined;
  const who = () => people ??= (async () => {
    const author = await resolveIdentity('author', options.author, sourceDir);
    const committer = options.committer ?? await resolveIdentity('committer', undefined, sourceDir, '--author').catch(() => author);
    return { author, committer, source: await sourceCommit(sourceDir) };
  })();
  // The base the program last saw: what the remote held when this program's tree last matched it.
  const bases = await programBases(ws, branch, options.base, extras.restores ? undefined : sourceDir);
  const views = bases.all;
  const trailersFor = (source?: string): ReadonlyArray<readonly [string, string | undefined]> => [
    [TRAILER.changeId, changeId],
    [TRAILER.sourceCommit, source],
    [TRAILER.base, views[0]],
    ...(extras.trailers ?? []),
  ];
  // Commits the first plan found it would undo, which allowRevert allows; a retry may undo no other.
  let allowed: Set<string> | undefined;
  const plan = async (input: RepoTree, head: TreeSnapshot, previousHeads: readonly string[] = []): Promise<Planned> => {
    // Changes that landed since the program's base in files it did not change are kept, not undone
    // (allowRevert: the program's tree wins, and what it undoes is recorded). Heads planned on
    // before a lost race count as bases: what landed during the publish is always kept.
    const mergeBases = [...(options.allowRevert || extras.restores ? [] : bases.onBranch), ...previousHeads];
    const merged = await keepLanded(ws, input, mergeBases, head);
    const revisions = await planRevisions(ws, merged.tree, head, {
      external: options.externalRevisions,
      boundElsewhere: options.boundElsewhere,
      createRevisions: mode !== 'proposal',
      identity: async () => { const w = await who(); return { ...w, trailers: trailersFor(w.source) }; },
    });
    checkResolved(revisions);
    const change = await planTreeChange(ws, revisions.tree, revisions.base);
    // What the publisher adds beside the tree (its ownership manifest) must stay invisible to ConfigSync.
    checkPipelineFiles(change.ops.filter(op => op.after && !revisions.tree.has(op.path)).map(op => op.path));
    // The whole change from the head (revision commits included), for the gate and the summary.
    const overall = revisions.base === head ? change : await planTreeChange(ws, revisions.tree, head);
    // Hand-written files in a synced folder the change touches that ConfigSync would refuse.
    await checkUnownedFiles(ws, revisions.tree, overall);
    const undone = views.length > 0 && !extras.restores ? await findUndoneChanges(ws, views, head, overall) : [];
    const undoneCommits = [...new Set(undone.flatMap(u => u.commits.map(c => c.commit)))];
    if (undone.length > 0) {
      const first = allowed === undefined;
      if (!options.allowRevert || (!first && undoneCommits.some(c => !allowed!.has(c)))) {
        throw staleSourceError(branch, views[0], undone, options.allowRevert === true);
      }
      if (first) allowed = new Set(undoneCommits);
    }
    allowed ??= new Set();
    return { head, tree: input, revisions, change, overall, reverts: undoneCommits, kept: merged.kept };
  };
  const base = await ws.snapshot(await ws.branchHead(branch));
  if (views.length === 0) ws.log(`no base recorded for ${branch} in this cache: changes already on ${branch} are taken as the program's (pass --base <commit> to check against an older one)`);
  const first = await plan(tree, base);
  const result = { mode, remote: ws.remote, branch, changeId, attempts: 0, revisions: sortedRevisions(first.revisions) };
  if (isEmptyChange(first.overall) && first.revisions.created.length === 0) {
    // The program's tree is what the branch holds: that is now the base it has seen (not when
    // the branch holds changes the program does not: the base stays where the program is).
    if (base.commit && mode !== 'proposal' && !extras.restores && first.kept.length === 0) await ws.recordBase(branch, base.commit);
    return {
      ...result,
      changed: false,
      summary: NO_CHANGES,
      requirements: [],
      kept: first.kept,
      description: first.kept.length === 0
        ? `No change: ${branch} already holds this tree (change ${changeId}). Nothing was committed or pushed.`
        : `No change: ${branch} holds every change this program makes. ${keptNote(first.kept)} Nothing was committed or pushed.`,
    };
  }
  const { author, committer, source } = await who();
  const prepared: PreparedPublish = {
    ws,
    options,
    branch,
    changeId,
    source,
    author,
    committer,
    title: options.message ?? extras.defaultTitle ?? 'Publish synthesized configuration',
    trailers: [...trailersFor(source), ...first.reverts.map(c => [TRAILER.reverts, c] as const)],
    restores: extras.restores,
  };
  const policy = await loadReviewPolicy(ws, base, options.reviewPolicy);
  const requirements = gateRequirements(policy, contentPaths(first.overall), layoutOf(base, first.overall));
  const summary = await summarizeChange(ws, first.overall);
  if (mode === 'proposal') {
    const proposals = await publishProposals(prepared, first.revisions.tree, first.change, summary);
    const made = proposals.filter(p => p.commit);
    const next = [...made.map(p => ws.command('review', 'approve', p.branch)), ...made.map(p => ws.command('review', 'merge', p.branch))];
    // Each proposal holds the program's package on the target's head: what the target holds once approved.
    if (!extras.restores) for (const proposal of made) await ws.recordBase(branch, proposal.commit!, false);
    return {
      ...result,
      changed: true,
      proposals,
      summary,
      requirements,
      attempts: 1,
      next,
      description: made.length === 0
        ? `Already proposed: ${proposals.map(p => p.branch).join(', ')} hold this change. Nothing was pushed.`
        : `Proposed ${made.map(p => `${p.packagePath} on ${p.branch}`).join(', ')}.\n${nextSteps(next)}`,
    };
  }
  if (mode === 'pull-request') return publishForReview(prepared, tree, first, summary, requirements, extras);
  if (needsReview(requirements) && !extras.bypassGate) {
    const gated = requirements.filter(r => r.approvals > 0).map(r => `${r.scope} needs ${r.approvals} approval${r.approvals === 1 ? '' : 's'}`);
    // Each suggested command on a line of its own, so that it can be pasted as it is.
    const how = extras.retryCommand
      ? `Send it through review, then approve and merge the review branch it names:\n  ${ws.command(...extras.retryCommand, '--mode', 'pull-request')}\nor bypass the gate (recorded in the commit as Emergency: true):\n  ${ws.command(...extras.retryCommand, '--emergency')}`
      : options.retryCommand
        ? `Send it through review, then approve and merge the review branch it names:\n  ${ws.command(...options.retryCommand, '--mode', 'pull-request')}\n(or --mode proposal, for changes inside kpt packages only, as Porch proposals)`
        : 'Publish it again with --mode pull-request (or --mode proposal for kpt packages), then approve and merge the review branch it names.';
    throw new ReviewGateError(`this ${extras.retryCommand ? extras.retryCommand[0] : 'change'} cannot go directly to ${branch}: ${gated.join('; ')}. ${how}`, gated);
  }
  return pushDirect(prepared, first, summary, requirements, plan);
}

/** A tree planned on a head: its revisions, the deployment change on top of them, and the whole change. */
interface Planned {
  /** The branch head planned on. */
  readonly head: TreeSnapshot;
  /** The tree planned (the program's, or after a lost race the program's with the changes that landed meanwhile). */
  readonly tree: RepoTree;
  /** Commits whose changes the plan undoes (allowRevert). */
  readonly reverts: readonly string[];
  /** Files changed on the branch since the program's base, which the program does not hold, kept. */
  readonly kept: readonly string[];
  readonly revisions: RevisionPlan;
  /** The deployment change, on the revision commit (or the head when no revision is made). */
  readonly change: ChangeSet;
  /** The change from the head to the final tree. */
  readonly overall: ChangeSet;
}

/** A variant bound to a package of another repository that was not published first cannot be locked. */
function checkResolved(plan: RevisionPlan): void {
  const missing = plan.unresolved.filter(b => b.repository !== undefined);
  if (missing.length === 0) return;
  const repositories = [...new Set(missing.map(b => b.repository!))].sort();
  throw new GitOpsError(`${missing.map(b => `"${b.path}"`).slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} lock to package revisions of repositor${repositories.length === 1 ? 'y' : 'ies'} ${repositories.join(', ')}, which ${repositories.length === 1 ? 'was' : 'were'} not published with this one; publish the whole set (publishRepoSet, or nephoran publish of the app), the management repository first`);
}

function sortedRevisions(plan: RevisionPlan): PackageRevision[] {
  return [...plan.revisions.values()].sort((a, b) => (a.packagePath < b.packagePath ? -1 : a.packagePath > b.packagePath ? 1 : 0));
}

/**
 * Commits on the target branch and pushes it with the new revision tags in one atomic push. When
 * the branch or a tag moved meanwhile, waits a random, growing time (full jitter), fetches, and
 * plans again on the new head the program's tree with the changes that landed meanwhile kept
 * (mergeLanded); tries until `pushDeadlineMs` (or `maxPushAttempts`). A lock file left on the
 * remote is reported as such, with how to clear it.
 */
async function pushDirect(
  p: PreparedPublish,
  first: Planned,
  firstSummary: ChangeSummary,
  requirements: readonly GateRequirement[],
  replan: (tree: RepoTree, head: TreeSnapshot, previousHeads: readonly string[]) => Promise<Planned>,
): Promise<PublishResult> {
  const maxAttempts = Math.max(1, p.options.maxPushAttempts ?? Number.POSITIVE_INFINITY);
  const deadlineMs = Math.max(0, p.options.pushDeadlineMs ?? 60_000);
  const started = Date.now();
  let planned = first;
  let summary = firstSummary;
  // The program's own tree on the first head: the base it has seen once this publish lands.
  let seen: string | undefined;
  let locked: { file: string; since: number; count: number } | undefined;
  // Heads planned on so far: what landed after them landed during this publish, and is kept.
  const heads: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const { change, revisions } = planned;
    const commit = isEmptyChange(change) ? change.base.commit! : await p.ws.commit({
      parents: change.base.commit ? [change.base.commit] : [],
      ops: change.ops,
      message: buildCommitMessage({
        title: p.title,
        body: summaryForCommit(summary),
        trailers: [
          ...p.trailers.filter(([k]) => k !== TRAILER.reverts),
          ...planned.reverts.map(c => [TRAILER.reverts, c] as const),
          // Re-applied on a moved branch: this commit also holds changes the program does not.
          ...(attempt > 1 || planned.kept.length > 0 ? [[TRAILER.reappliedFrom, first.head.commit] as const] : []),
        ],
      }),
      author: p.author,
      committer: p.committer,
    });
    if (seen === undefined) {
      // The program's own tree on the first head (without what it kept of others): its base once this lands.
      seen = first.kept.length === 0 ? commit : await programCommit(p, first);
    }
    const outcome = await p.ws.push([{ source: commit, ref: `refs/heads/${p.branch}` }, ...revisions.tagPushes]);
    const tags = revisions.created.map(r => r.tag);
    const result = { mode: 'direct' as const, remote: p.ws.remote, branch: p.branch, changeId: p.changeId, summary, requirements, attempts: attempt, revisions: sortedRevisions(revisions), reverts: planned.reverts, kept: planned.kept };
    if (outcome.ok) {
      // A rollback is not the program's tree: the program has not seen it.
      if (!p.restores) await p.ws.recordBase(p.branch, seen);
      const reverted = planned.reverts.length > 0 ? ` It undoes, as allowed, the changes of ${planned.reverts.map(c => c.slice(0, 12)).join(', ')} (recorded as Reverts: trailers).` : '';
      return {
        ...result,
        changed: true,
        commit,
        tags,
        description: `Published change ${p.changeId} to ${p.branch} as ${commit.slice(0, 12)}${tags.length > 0 ? ` with package revision${tags.length === 1 ? '' : 's'} ${tags.join(', ')}` : ''}${attempt > 1 ? ` (re-applied on the moved branch, attempt ${attempt})` : ''}.${reverted}${planned.kept.length > 0 ? ' ' + keptNote(planned.kept) : ''}`,
      };
    }
    const elapsed = Date.now() - started;
    if (outcome.lockFile) {
      locked = locked && locked.file === outcome.lockFile
        ? { ...locked, count: locked.count + 1 }
        : { file: outcome.lockFile, since: Date.now(), count: 1 };
      // A push in progress holds a ref lock for milliseconds; one that stays is a leftover.
      if ((locked.count >= 3 && Date.now() - locked.since >= 2000) || elapsed >= deadlineMs || attempt >= maxAttempts) {
        throw remoteLockedError(p.branch, locked.file, Date.now() - locked.since);
      }
    } else {
      locked = undefined;
    }
    if (attempt >= maxAttempts || elapsed >= deadlineMs) {
      throw new GitOpsError(`${p.branch} kept moving: gave up after ${attempt} attempt${attempt === 1 ? '' : 's'} in ${(elapsed / 1000).toFixed(1)} s (--push-deadline ${Math.round(deadlineMs / 1000)} s${Number.isFinite(maxAttempts) ? `, at most ${maxAttempts} attempts` : ''}). Nothing of this change was pushed; publish again, or allow more time with --push-deadline.`);
    }
    await sleep(Math.min(backoffMs(attempt), Math.max(0, deadlineMs - elapsed)));
    p.ws.log(`${p.branch} or a revision tag moved meanwhile${outcome.lockFile ? ` (${outcome.lockFile} was locked)` : ''}: fetching and planning again (attempt ${attempt + 1})`);
    await p.ws.fetch();
    const head = await p.ws.snapshot(await p.ws.branchHead(p.branch));
    heads.push(planned.head.commit!);
    planned = await replan(first.tree, head, heads);
    if (isEmptyChange(planned.overall) && planned.revisions.created.length === 0) {
      if (!p.restores) await p.ws.recordBase(p.branch, seen);
      return { ...result, changed: false, summary: NO_CHANGES, description: `No change left: ${p.branch} received the same content from another publisher meanwhile. Nothing was pushed.` };
    }
    summary = await summarizeChange(p.ws, planned.overall);
  }
}

/** Full jitter: a random wait up to 50 ms doubled per attempt, at most 2 s. */
function backoffMs(attempt: number): number {
  return Math.floor(Math.random() * Math.min(2000, 50 * 2 ** Math.min(attempt, 10)));
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * The program's own tree on the head it first planned on, as a local commit (never pushed): the
 * base it has seen, when its publish kept changes of others that the program does not hold.
 */
async function programCommit(p: PreparedPublish, first: Planned): Promise<string> {
  const own = first.revisions.tree.withRevisions(() => undefined);
  for (const path of first.kept) {
    const content = first.tree.get(path);
    if (content === undefined) own.removeFile(path);
    else own.setFile(path, content);
  }
  const change = await planTreeChange(p.ws, own, first.head);
  if (isEmptyChange(change)) return first.head.commit!;
  return p.ws.commit({ parents: first.head.commit ? [first.head.commit] : [], ops: change.ops, message: 'The program\'s tree (nephoran base record, never pushed)\n', author: p.author, committer: p.committer });
}

/** What a publish kept of the changes the program does not hold. */
function keptNote(kept: readonly string[]): string {
  const shown = kept.slice(0, 5).map(k => `"${k}"`).join(', ') + (kept.length > 5 ? ` and ${kept.length - 5} more` : '');
  return `Kept as the branch has them ${kept.length === 1 ? 'a file' : `${kept.length} files`} changed since this program's base that the program does not hold: ${shown}; update the program to hold ${kept.length === 1 ? 'that change' : 'those changes'}.`;
}

function remoteLockedError(branch: string, lockFile: string, forMs: number): RemoteLockedError {
  return new RemoteLockedError(
    `${branch} is locked on the remote: the lock file ${lockFile} exists${forMs > 0 ? ` and stayed for ${(forMs / 1000).toFixed(1)} s` : ''}, left by a git process on the server that did not finish (a push killed there). ` +
    `Nothing was pushed, and publishing again will not help while it is there. When no push to this repository is running, remove that file on the server (rm '${lockFile}'); on a hosted forge, ask its administrators.`, lockFile);
}

/**
 * Pushes the change to a review branch and opens (or updates) its pull request. Revision commits
 * ride on the review branch; their tags are pushed when the review merges (mergeReview), so a
 * revision is published only once main takes it.
 */
async function publishForReview(
  p: PreparedPublish,
  tree: RepoTree,
  planned: Planned,
  summary: ChangeSummary,
  requirements: readonly GateRequirement[],
  extras: PublishExtras,
): Promise<PublishResult> {
  const { ws } = p;
  const { change, revisions } = planned;
  const reviewBranch = p.options.reviewBranch ?? extras.reviewBranch ?? reviewBranchName(p.changeId);
  await checkBranchName(ws, reviewBranch);
  const existing = await ws.branchHead(reviewBranch);
  const merged = existing && planned.overall.base.commit ? await isAncestor(ws, existing, planned.overall.base.commit) : false;
  const tags = revisions.created.map(r => r.tag);
  const result = { mode: 'pull-request' as const, remote: ws.remote, branch: p.branch, changeId: p.changeId, reviewBranch, summary, requirements, attempts: 1, changed: true, revisions: sortedRevisions(revisions), tags };
  if (existing && !merged) {
    // The branch holds this change when the tree, locked to the revisions it carries, is its content.
    const onBranch = await revisionsOnBranch(ws, planned.overall.base.commit, existing, tree, p.options.externalRevisions);
    const again = await planTreeChange(ws, onBranch, await ws.snapshot(existing)).catch(() => undefined);
    if (again && isEmptyChange(again)) {
      const pr = p.options.forge ? await p.options.forge.findOpenPullRequest(reviewBranch, p.branch) : undefined;
      const next = [ws.command('review', 'approve', reviewBranch), ws.command('review', 'merge', reviewBranch)];
      return { ...result, tags: [], next, pullRequest: pr && pick(pr), description: `Already proposed on ${reviewBranch}${pr ? ` (pull request #${pr.number})` : ''}: nothing new was pushed.\n${nextSteps(next)}` };
    }
  }
  const commit = isEmptyChange(change) ? change.base.commit! : await ws.commit({
    parents: change.base.commit ? [change.base.commit] : [],
    ops: change.ops,
    message: buildCommitMessage({ title: p.title, body: summaryForCommit(summary), trailers: p.trailers }),
    author: p.author,
    committer: p.committer,
  });
  const outcome = await ws.push([{ source: commit, ref: `refs/heads/${reviewBranch}`, expect: existing ?? '' }]);
  if (!outcome.ok) throw new GitOpsError(`the review branch ${reviewBranch} changed on the remote meanwhile; publish again`);
  // The program's tree on the target's head: what the target holds once the review merges.
  if (!extras.restores && planned.kept.length === 0) await ws.recordBase(p.branch, commit, false);
  let pullRequest: PullRequest | undefined;
  if (p.options.forge) {
    const body = pullRequestBody({ summary, changeId: p.changeId, sourceCommit: p.source, requirements });
    const open = await p.options.forge.findOpenPullRequest(reviewBranch, p.branch);
    pullRequest = open
      ? await p.options.forge.updatePullRequest(open.number, { title: p.title, body })
      : await p.options.forge.createPullRequest({ title: p.title, body, head: reviewBranch, base: p.branch });
  }
  const revisionNote = tags.length > 0 ? ` Merging it publishes ${tags.join(', ')}.` : '';
  const next = [ws.command('review', 'approve', reviewBranch), ws.command('review', 'merge', reviewBranch)];
  return {
    ...result,
    commit,
    next,
    pullRequest: pullRequest && pick(pullRequest),
    description: (pullRequest
      ? `Opened pull request #${pullRequest.number} (${pullRequest.url}) from ${reviewBranch} into ${p.branch} (approve it there or with the command below).`
      : `Pushed ${reviewBranch} for review into ${p.branch}.`) + revisionNote + '\n' + nextSteps(next),
  };
}

/** Approve and merge commands, one a line (each can be pasted as it is): approvals first. */
function nextSteps(commands: readonly string[]): string {
  const approve = commands.filter(c => / review approve /.test(c));
  const merge = commands.filter(c => / review merge /.test(c));
  return ['Approve with:', ...approve.map(c => `  ${c}`), 'then merge with:', ...merge.map(c => `  ${c}`)].join('\n');
}

/** The review branch of a change: `nephoran/change-<first 12 hex digits of the change id>`. */
export function reviewBranchName(changeId: string): string {
  return `nephoran/change-${changeId.replace(/^I/, '').slice(0, 12)}`;
}

/** Refuses branch names git would not accept. */
export async function checkBranchName(ws: Workspace, branch: string): Promise<void> {
  const ok = await ws.git.run(['check-ref-format', `refs/heads/${branch}`], { allowFailure: true });
  if (ok.exitCode !== 0 || branch.startsWith('-')) throw new GitOpsError(`"${branch}" is not a valid branch name`);
}

/** True when `ancestor` is reachable from `commit`. */
export async function isAncestor(ws: Workspace, ancestor: string, commit: string): Promise<boolean> {
  return (await ws.git.run(['merge-base', '--is-ancestor', ancestor, commit], { allowFailure: true })).exitCode === 0;
}

/** The layout seen by a change: files of the base and the ones the change writes. */
export function layoutOf(base: TreeSnapshot, change: ChangeSet): RepositoryLayout {
  return new RepositoryLayout([...base.paths(), ...change.ops.map(op => op.path)]);
}

function pick(pr: PullRequest): { number: number; url: string } {
  return { number: pr.number, url: pr.url };
}
