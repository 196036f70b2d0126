import { parseRolloutPlan, ROLLOUT_PLAN_PATH, RolloutPlan, RolloutPlanError } from '../../repo/rollout-plan';
import { GitOpsError } from '../errors';
import { TreeSnapshot } from '../snapshot';
import { Workspace } from '../workspace';
import { RolloutTrailers, rolloutTrailersOf, WaveMark } from './trailers';

/** How far back the rollout state is looked for, in first-parent commits. */
const MAX_COMMITS = 2000;

/** One step of a rollout: a wave published or rolled back, by the commit on the branch. */
export interface RolloutStep {
  readonly action: 'publish' | 'rollback';
  readonly wave: WaveMark;
  /** The commit on the branch (the merge, for a reviewed change). */
  readonly commit: string;
  /** When the branch took it (committer date, RFC 3339). */
  readonly at: string;
  readonly subject: string;
  /** The gate's findings recorded on a promotion. */
  readonly verified: readonly string[];
  /** Promoted with --skip-verification. */
  readonly skipped: boolean;
}

/** Where the latest rollout on a branch stands, read from the commit trailers. */
export interface RolloutState {
  /** The program's change being rolled out. */
  readonly changeId: string;
  /** Its steps, oldest first. */
  readonly steps: readonly RolloutStep[];
  /** The highest wave number the change reached (1-based). */
  readonly reached: number;
  readonly count: number;
  /** The commit that took the change to each wave (1-based number -> commit of its latest publish). */
  readonly waveCommits: ReadonlyMap<number, RolloutStep>;
  /** Wave numbers whose previous files were restored since they last took the change. */
  readonly rolledBack: ReadonlySet<number>;
  /** The oldest commit of the rollout on the branch. */
  readonly firstCommit: string;
  /** Its first parent: the branch before the rollout began (undefined when it began the branch). */
  readonly before?: string;
}

interface LogRecord {
  readonly commit: string;
  readonly parents: readonly string[];
  readonly at: string;
  readonly subject: string;
  readonly trailers: RolloutTrailers;
}

/** The rollout steps of every commit on the branch's first-parent line, newest first. */
export async function rolloutLog(ws: Workspace, head: string, limit = MAX_COMMITS): Promise<LogRecord[]> {
  const out = await ws.git.text(['log', '--first-parent', `-n${limit}`, '--format=%H%x00%P%x00%cI%x00%B%x01', head]);
  const records: LogRecord[] = [];
  for (const raw of out.split('\x01')) {
    const [commit, parents, at, message] = raw.replace(/^\s+/, '').split('\0');
    if (!commit || message === undefined) continue;
    let trailers = rolloutTrailersOf(message);
    // A merged review: its trailers are on the commit reviewed.
    if (!trailers.changeId && trailers.reviewedCommit && /^[0-9a-f]{40,64}$/.test(trailers.reviewedCommit)) {
      const reviewed = await ws.git.tryText(['log', '-1', '--format=%B', trailers.reviewedCommit]);
      if (reviewed) trailers = { ...rolloutTrailersOf(reviewed), reviewedCommit: trailers.reviewedCommit };
    }
    records.push({ commit, parents: parents.split(' ').filter(p => p), at, subject: message.split('\n')[0], trailers });
  }
  return records;
}

/** Groups the log (newest first) into rollouts, newest first: consecutive commits of one change id. */
export function groupRollouts(records: readonly LogRecord[]): RolloutState[] {
  const result: RolloutState[] = [];
  let group: LogRecord[] = [];
  let id: string | undefined;
  const flush = () => {
    if (id !== undefined && group.length > 0) result.push(stateOf(id, group));
    group = [];
  };
  for (const record of records) {
    const changeId = record.trailers.changeId;
    if (changeId === undefined) continue;
    if (changeId !== id) { flush(); id = changeId; }
    group.push(record);
  }
  flush();
  return result;
}

function stateOf(changeId: string, newestFirst: readonly LogRecord[]): RolloutState {
  const oldestFirst = [...newestFirst].reverse();
  const steps: RolloutStep[] = [];
  const waveCommits = new Map<number, RolloutStep>();
  const rolledBack = new Set<number>();
  let reached = 0;
  let count = 0;
  let lastCommit: string | undefined;
  for (const r of oldestFirst) {
    const mark = r.trailers.wave ?? r.trailers.rollback;
    if (!mark) continue;
    // A revision commit carries the trailers of the publish it belongs to: one step per commit
    // that the branch's next commit does not continue.
    const step: RolloutStep = { action: r.trailers.rollback ? 'rollback' : 'publish', wave: mark, commit: r.commit, at: r.at, subject: r.subject, verified: r.trailers.verified, skipped: r.trailers.skipped };
    const previous = steps[steps.length - 1];
    if (previous && previous.action === step.action && previous.wave.number === mark.number
      && lastCommit !== undefined && r.parents[0] === lastCommit) {
      steps[steps.length - 1] = step;
    } else {
      steps.push(step);
    }
    lastCommit = r.commit;
    count = mark.count;
  }
  for (const step of steps) {
    if (step.action === 'publish') {
      rolledBack.delete(step.wave.number);
      reached = Math.max(reached, step.wave.number);
      waveCommits.set(step.wave.number, step);
    } else {
      rolledBack.add(step.wave.number);
    }
  }
  const oldest = oldestFirst[0];
  return { changeId, steps, reached, count, waveCommits, rolledBack, firstCommit: oldest.commit, before: oldest.parents[0] };
}

/** The latest rollout on the branch, or undefined when no commit carries rollout trailers. */
export async function readRolloutState(ws: Workspace, head: string | undefined): Promise<RolloutState | undefined> {
  if (!head) return undefined;
  // Only the latest rollout is needed: stop reading at the first commit of another change.
  const records = await rolloutLog(ws, head);
  const latest: LogRecord[] = [];
  for (const r of records) {
    if (r.trailers.changeId === undefined) continue;
    if (latest.length > 0 && r.trailers.changeId !== latest[0].trailers.changeId) break;
    latest.push(r);
  }
  return latest.length === 0 ? undefined : groupRollouts(latest)[0];
}

/** The plan a snapshot holds, or undefined when it has none. */
export async function readRolloutPlanAt(ws: Workspace, snapshot: TreeSnapshot): Promise<RolloutPlan | undefined> {
  const text = await ws.readText(snapshot, ROLLOUT_PLAN_PATH);
  if (text === undefined) return undefined;
  return parsePlan(text, `${ROLLOUT_PLAN_PATH} at ${snapshot.commit?.slice(0, 12)}`);
}

/** parseRolloutPlan with its errors as GitOpsErrors (printed without a stack). */
export function parsePlan(text: string, source: string): RolloutPlan {
  try {
    return parseRolloutPlan(text, source);
  } catch (err) {
    if (err instanceof RolloutPlanError) throw new GitOpsError(err.message);
    throw err;
  }
}
