import { GitOpsError } from '../errors';
import { withWorkspace, WorkspaceOptions } from '../workspace';
import { groupRollouts, readRolloutPlanAt, rolloutLog } from './state';
import { formatWaveMark } from './trailers';

/** One step of a change's rollout: which wave it reached (or left, on rollback), which clusters, when. */
export interface RolloutHistoryStep {
  readonly action: 'publish' | 'rollback';
  readonly wave: string;
  /** `canary (1/3)`. */
  readonly mark: string;
  /** The clusters of that wave, by the plan the commit holds. */
  readonly clusters: readonly string[];
  readonly commit: string;
  /** When the branch took the commit (RFC 3339). */
  readonly at: string;
  /** What the gate saw before a promotion (`<cluster> synced <commit> at <time>`). */
  readonly verified: readonly string[];
  readonly verificationSkipped: boolean;
}

/** The rollout of one change. */
export interface RolloutHistoryEntry {
  readonly changeId: string;
  /** Steps, oldest first. */
  readonly steps: readonly RolloutHistoryStep[];
}

/** Which branch's rollouts to read. */
export interface RolloutHistoryOptions extends WorkspaceOptions {
  /** @default 'main' */
  readonly branch?: string;
  /** At most this many changes, newest first. @default - all */
  readonly limit?: number;
}

/** The rollouts on a branch, newest change first, read from commit trailers and the plans the commits hold. */
export async function rolloutHistory(options: RolloutHistoryOptions): Promise<RolloutHistoryEntry[]> {
  const branch = options.branch ?? 'main';
  return withWorkspace(options, async ws => {
    const head = await ws.branchHead(branch);
    if (!head) throw new GitOpsError(`${ws.remote} has no branch ${branch} yet: nothing has been published there`);
    const rollouts = groupRollouts(await rolloutLog(ws, head));
    const entries: RolloutHistoryEntry[] = [];
    for (const rollout of rollouts.slice(0, options.limit ?? rollouts.length)) {
      const steps: RolloutHistoryStep[] = [];
      let reached = 0;
      for (const step of rollout.steps) {
        const plan = await readRolloutPlanAt(ws, await ws.snapshot(step.commit)).catch(() => undefined);
        // A publish reaches the waves after the last one reached, up to its own (all of them on the
        // first publish of a branch); a rollback concerns its wave alone.
        const from = step.action === 'publish' && step.wave.number > reached ? reached : step.wave.number - 1;
        if (step.action === 'publish') reached = Math.max(reached, step.wave.number);
        const waves = plan ? plan.waves.slice(from, step.wave.number) : [];
        steps.push({
          action: step.action,
          wave: step.wave.name,
          mark: formatWaveMark(step.wave),
          clusters: waves.flatMap(w => (w ? w.clusters.map(c => c.name) : [])),
          commit: step.commit,
          at: step.at,
          verified: step.verified,
          verificationSkipped: step.skipped,
        });
      }
      entries.push({ changeId: rollout.changeId, steps });
    }
    return entries;
  });
}

/** The rollouts as text, one block per change. */
export function formatRolloutHistory(entries: readonly RolloutHistoryEntry[]): string {
  if (entries.length === 0) return 'No rollout on this branch: no commit carries Nephoran-Rollout trailers.';
  const blocks = entries.map(entry => [
    `change ${entry.changeId}`,
    ...entry.steps.map(s => `  ${s.at}  ${s.action === 'publish' ? 'reached' : 'rolled back'} wave ${s.mark}: ${s.clusters.join(', ') || '(clusters unknown)'}  ${s.commit.slice(0, 12)}${s.verificationSkipped ? '  (verification skipped)' : ''}`
      + s.verified.map(v => `\n      after ${v}`).join('')),
  ].join('\n'));
  return blocks.join('\n\n');
}
