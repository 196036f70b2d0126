import { RepoTree } from '../../repo/repo-tree';
import { findWave, ROLLOUT_PLAN_PATH, RolloutPlan } from '../../repo/rollout-plan';
import { ownedTreeAt, readOwnedPathsAt } from '../change';
import { changeIdOf, TRAILER } from '../commit-message';
import { GitOpsError, ReviewGateError } from '../errors';
import { PublishExtras, PublishOptions, publishInWorkspace, PublishResult, withRemoteHead } from '../publish';
import { TreeSnapshot } from '../snapshot';
import { Workspace, withWorkspace } from '../workspace';
import { composeWaveTree, pathsInWaves } from './compose';
import { checkWaveGate, ClusterVerdict, WaveGateOptions } from './gate';
import { parsePlan, readRolloutPlanAt, readRolloutState, RolloutState } from './state';
import { formatWaveMark, WAVE_TRAILER, WaveMark } from './trailers';

/** Where a publish left a rollout. */
export interface RolloutProgress {
  /** The program's change (the id of its whole tree). */
  readonly changeId: string;
  /** The wave the branch now takes the change to (or, unchanged, already did). */
  readonly wave: WaveMark;
  /** Names of the waves still to promote, in order. */
  readonly pending: readonly string[];
  /** The clusters of the waves that have the change. */
  readonly clusters: readonly string[];
}

/** A publish of a fleet with rollout waves. */
export interface WavePublishResult extends PublishResult {
  readonly rollout: RolloutProgress;
  /** What the gate saw before a promotion. */
  readonly gate?: { readonly clusters: readonly ClusterVerdict[]; readonly skipped: boolean };
}

/** The plan of a program's tree, or undefined when it declares no waves. */
export function rolloutPlanOf(tree: RepoTree): RolloutPlan | undefined {
  const text = tree.getText(ROLLOUT_PLAN_PATH);
  return text === undefined ? undefined : parsePlan(text, `${ROLLOUT_PLAN_PATH} of the program`);
}

function checkMode(options: PublishOptions, what: string): void {
  if (options.mode === 'proposal') {
    throw new GitOpsError(`${what}: a fleet with rollout waves publishes in direct or pull-request mode; proposal mode makes one Porch proposal per package, which cannot carry a wave (use --mode pull-request for review)`);
  }
}

/**
 * publish() of a tree that holds a rollout plan: the first publish of a branch ships everything;
 * a new change ships its first wave, the other waves keep what the branch holds; publishing the
 * change being rolled out again ships the waves it already reached (nothing new).
 */
export async function publishRolloutWave(ws: Workspace, tree: RepoTree, options: PublishOptions): Promise<WavePublishResult> {
  checkMode(options, 'publish');
  const plan = rolloutPlanOf(tree)!;
  const branch = options.branch ?? 'main';
  const changeId = changeIdOf(tree);
  const head = await ws.branchHead(branch);
  const n = plan.waves.length;
  if (!head) {
    const wave = { name: plan.waves[n - 1].name, number: n, count: n };
    const result = await publishInWorkspace(ws, tree, options, waveExtras(changeId, wave, `Publish change ${short(changeId)} to every wave (first publish)`));
    return withRollout(result, plan, changeId, wave, new Set(plan.waves.map((_, i) => i)), true);
  }
  const state = await readRolloutState(ws, head);
  const same = state?.changeId === changeId;
  const number = same ? Math.min(state!.reached, n) : 1;
  const shipped = shippedWaves(number, same ? state!.rolledBack : new Set());
  const wave = { name: plan.waves[number - 1].name, number, count: n };
  const composed = await composeOnHead(ws, tree, plan, await ws.snapshot(head), shipped);
  const title = number === 1 ? `Publish change ${short(changeId)} to wave ${formatWaveMark(wave)}` : `Publish change ${short(changeId)} to waves 1-${number} (${wave.name})`;
  const result = await throughGate(ws, options, ['publish'], () => publishInWorkspace(ws, composed, options, waveExtras(changeId, wave, title)));
  return withRollout(result, plan, changeId, wave, shipped);
}

/** What promote needs besides the publish options. */
export interface PromoteOptions extends PublishOptions, Omit<WaveGateOptions, 'now'> {
  /**
   * Promote without reading the clusters (recorded in the commit as `Nephoran-Verification: skipped`).
   * @default false
   */
  readonly skipVerification?: boolean;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** A promotion refused by the gate: the reasons, one per line, name the clusters. */
export class PromotionRefusedError extends GitOpsError {
  constructor(message: string, public readonly reasons: readonly string[], public readonly clusters: readonly ClusterVerdict[] = []) {
    super(message);
    this.name = 'PromotionRefusedError';
  }
}

/**
 * Publishes the next wave of the change being rolled out, once the gate after the wave it reached
 * is open (see checkWaveGate), through the same review gate and modes as publish. Refuses, with
 * the reason, when the program's tree is not the change being rolled out, when the change reached
 * every wave or was rolled back, and when the gate is closed.
 */
export async function promote(tree: RepoTree, options: PromoteOptions): Promise<WavePublishResult> {
  checkMode(options, 'promote');
  const plan = rolloutPlanOf(tree);
  if (!plan) throw new GitOpsError(`the program declares no rollout waves (no ${ROLLOUT_PLAN_PATH} in its tree): every publish reaches every cluster, there is nothing to promote`);
  return withWorkspace(options, async ws => {
    const branch = options.branch ?? 'main';
    const head = await ws.branchHead(branch);
    const state = await readRolloutState(ws, head);
    const changeId = changeIdOf(tree);
    if (!head || !state) throw new GitOpsError(`nothing to promote: ${branch} holds no rollout yet; publish the change first (${ws.command('publish')})`);
    const n = plan.waves.length;
    const current = state.waveCommits.get(state.reached);
    const reachedName = plan.waves[state.reached - 1]?.name ?? current?.wave.name ?? '?';
    if (state.changeId !== changeId) {
      throw new GitOpsError(`the program changed since wave ${reachedName} (${state.reached}/${state.count}) was published (change ${short(state.changeId)} there, ${short(changeId)} now); publish it first (${ws.command('publish')}), which starts its rollout at wave ${plan.waves[0].name}`);
    }
    if (state.rolledBack.size > 0) {
      const names = [...state.rolledBack].sort((a, b) => a - b).map(k => plan.waves[k - 1]?.name ?? String(k));
      throw new GitOpsError(`wave${names.length === 1 ? '' : 's'} ${names.join(', ')} of change ${short(changeId)} ${names.length === 1 ? 'was' : 'were'} rolled back: fix the program and publish the new change, which starts a new rollout`);
    }
    if (state.reached >= n) throw new GitOpsError(`change ${short(changeId)} has reached every wave (${reachedName}, ${n}/${n}): nothing to promote`);
    const previous = plan.waves[state.reached - 1];
    const next = { name: plan.waves[state.reached].name, number: state.reached + 1, count: n };
    let gate: WavePublishResult['gate'];
    const trailers: Array<readonly [string, string]> = [];
    if (options.skipVerification) {
      ws.log(`--skip-verification: wave ${previous.name} is not checked against its clusters`);
      trailers.push([WAVE_TRAILER.verification, 'skipped']);
      gate = { clusters: [], skipped: true };
    } else {
      const result = await checkWaveGate(ws, previous, current!.commit, { ...options, now: options.now });
      if (!result.open) {
        throw new PromotionRefusedError(
          `cannot promote change ${short(changeId)} to wave ${formatWaveMark(next)}: wave ${previous.name} (${state.reached}/${n}, commit ${current!.commit.slice(0, 12)}) is not ready:\n${result.reasons.map(r => `  - ${r}`).join('\n')}`,
          result.reasons, result.clusters);
      }
      for (const c of result.clusters) trailers.push([WAVE_TRAILER.verified, `${c.cluster} synced ${c.syncedCommit?.slice(0, 12)}${c.syncedAt ? ` at ${c.syncedAt}` : ''}`]);
      gate = { clusters: result.clusters, skipped: false };
    }
    const shipped = shippedWaves(next.number, new Set());
    const composed = await composeOnHead(ws, tree, plan, await ws.snapshot(head), shipped);
    const extras = waveExtras(changeId, next, `Promote change ${short(changeId)} to wave ${formatWaveMark(next)}`, trailers);
    const result = await throughGate(ws, options, ['promote'], () => publishInWorkspace(ws, composed, options, { ...extras, reviewBranch: `nephoran/rollout-${short(changeId).slice(1)}-${next.name}` }));
    return { ...(await withRemoteHead(ws, withRollout(result, plan, changeId, next, shipped))), gate };
  });
}

/** What a wave rollback takes. */
export interface WaveRollbackOptions extends Omit<PublishOptions, 'mode'> {
  /** The wave whose clusters get their previous files back. */
  readonly wave: string;
  readonly emergency?: boolean;
  /** @default 'direct' */
  readonly mode?: 'direct' | 'pull-request';
}

/**
 * Restores, for the clusters of one wave that took the change being rolled out, the files they
 * had before the rollout began; every other path stays as the branch has it. Recorded as
 * `Rollback-To: <commit before the rollout>` and `Nephoran-Wave-Rollback: <wave> (<k>/<n>)`.
 */
export async function rollbackWave(options: WaveRollbackOptions): Promise<PublishResult> {
  return withWorkspace(options, async ws => {
    const branch = options.branch ?? 'main';
    const head = await ws.branchHead(branch);
    if (!head) throw new GitOpsError(`${ws.remote} has no branch ${branch}: nothing to roll back`);
    const snapshot = await ws.snapshot(head);
    const plan = await readRolloutPlanAt(ws, snapshot);
    if (!plan) throw new GitOpsError(`${branch} holds no rollout plan (${ROLLOUT_PLAN_PATH}): roll back with --to <commit> instead`);
    const found = findWave(plan, options.wave);
    if (!found) throw new GitOpsError(`no wave "${options.wave}" in the rollout plan; waves: ${plan.waves.map(w => w.name).join(', ')}`);
    const state = await readRolloutState(ws, head);
    const number = found.index + 1;
    if (!state || state.reached < number) {
      throw new GitOpsError(`wave ${options.wave} has not taken ${state ? `change ${short(state.changeId)} (it reached wave ${state.reached}/${state.count})` : 'any change'}: its clusters run what they ran; nothing to roll back`);
    }
    if (state.rolledBack.has(number)) throw new GitOpsError(`wave ${options.wave} was already rolled back from change ${short(state.changeId)}`);
    if (!state.before) throw new GitOpsError(`wave ${options.wave} took change ${short(state.changeId)} with the first publish of ${branch}: there are no earlier files to restore`);
    const before = await ws.snapshot(state.before);
    const restored = await ownedTreeAt(ws, snapshot);
    const waves = new Set([found.index]);
    for (const path of pathsInWaves(restored.paths(), plan, waves)) restored.removeFile(path);
    const earlier = pathsInWaves((await readOwnedPathsAt(ws, before)) ?? [], plan, waves);
    for (const [path, content] of await ws.readFiles(before, earlier)) restored.addFile(path, content);
    const mark = { name: options.wave, number, count: plan.waves.length };
    const beforeShort = state.before.slice(0, 12);
    const result = await publishInWorkspace(ws, restored, { ...options, mode: options.mode ?? 'direct' }, {
      defaultTitle: `${options.emergency ? 'Emergency rollback' : 'Roll back'} wave ${formatWaveMark(mark)} of change ${short(state.changeId)} to ${beforeShort}`,
      trailers: [[TRAILER.rollbackTo, state.before], [WAVE_TRAILER.rollout, state.changeId], [WAVE_TRAILER.rollback, formatWaveMark(mark)], ...(options.emergency ? [[TRAILER.emergency, 'true'] as const] : [])],
      bypassGate: options.emergency ?? false,
      restores: true,
      reviewBranch: `nephoran/rollback-${options.wave}-${beforeShort}`,
      retryCommand: ['rollback', '--wave', options.wave],
    });
    const published = `Published change ${result.changeId} `;
    const description = result.description.startsWith(published) ? `Rolled back wave ${formatWaveMark(mark)} of change ${state.changeId} ${result.description.slice(published.length).replace(/^to /, 'on ')}` : result.description;
    return withRemoteHead(ws, result.changed ? { ...result, description: `${description} Wave ${options.wave} (${found.wave.clusters.map(c => c.name).join(', ')}) has its files of ${beforeShort} back; the other waves are untouched.` } : result);
  });
}

/**
 * A wave refused by the review gate, with the way through it that waves take: a pull request
 * (proposal mode cannot carry a wave, and a wave is not an emergency).
 */
async function throughGate<T>(ws: Workspace, options: PublishOptions, command: readonly string[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof ReviewGateError) || options.mode === 'pull-request') throw err;
    const retry = options.retryCommand ?? command;
    throw new ReviewGateError(`this ${command[0]} cannot go directly to ${options.branch ?? 'main'}: ${err.missing.join('; ')}. Send it through review, then approve and merge the review branch it names:\n  ${ws.command(...retry, '--mode', 'pull-request')}`, err.missing);
  }
}

/** Waves 1..number (0-based indices), less the ones rolled back. */
function shippedWaves(number: number, rolledBack: ReadonlySet<number>): Set<number> {
  const shipped = new Set<number>();
  for (let k = 1; k <= number; k++) if (!rolledBack.has(k)) shipped.add(k - 1);
  return shipped;
}

/** The program's tree with the held waves as the head holds them. */
async function composeOnHead(ws: Workspace, tree: RepoTree, plan: RolloutPlan, head: TreeSnapshot, shipped: ReadonlySet<number>): Promise<RepoTree> {
  const held = new Set(plan.waves.map((_, i) => i).filter(i => !shipped.has(i)));
  const owned = (await readOwnedPathsAt(ws, head)) ?? [];
  const current = await ws.readFiles(head, pathsInWaves(owned, plan, held));
  return composeWaveTree(tree, current, plan, shipped);
}

function waveExtras(changeId: string, wave: WaveMark, title: string, more: ReadonlyArray<readonly [string, string]> = []): PublishExtras {
  return { defaultTitle: title, trailers: [[WAVE_TRAILER.rollout, changeId], [WAVE_TRAILER.wave, formatWaveMark(wave)], ...more] };
}

function withRollout(
  result: PublishResult,
  plan: RolloutPlan,
  changeId: string,
  wave: WaveMark,
  shipped: ReadonlySet<number>,
  firstPublish = false,
): WavePublishResult {
  const pending = plan.waves.slice(wave.number).map(w => w.name);
  const reached = plan.waves.filter((_, i) => shipped.has(i));
  const clusters = reached.flatMap(w => w.clusters.map(c => c.name));
  const next = plan.waves[wave.number];
  const note = pending.length === 0
    ? ` Every wave has it: ${plan.waves.map(w => w.name).join(', ')}.`
    : ` ${reached.length === 1 ? 'Wave' : 'Waves'} ${reached.map(w => w.name).join(', ')} (${clusters.join(', ')}) ${reached.length === 1 ? 'has' : 'have'} it; next: ${next.name} (${next.clusters.map(c => c.name).join(', ')}), once wave ${wave.name} is verified (nephoran promote).`;
  // The commit's Change-Id names the tree published; what people follow is the program's change.
  const what = firstPublish ? `change ${changeId} (first publish: every wave)` : `wave ${formatWaveMark(wave)} of change ${changeId}`;
  const head = `Published change ${result.changeId} `;
  const description = result.description.startsWith(head) ? `Published ${what} ${result.description.slice(head.length)}` : result.description;
  return { ...result, description: description + note, rollout: { changeId, wave, pending, clusters } };
}

function short(changeId: string): string {
  return changeId.slice(0, 13);
}

export type { RolloutState };
