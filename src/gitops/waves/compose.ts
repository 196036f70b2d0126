import { compareStrings } from '../../repo/compare';
import { RepoTree } from '../../repo/repo-tree';
import { RolloutPlan, waveIndexer } from '../../repo/rollout-plan';

/**
 * The tree to publish when only some waves take a change: the new tree's files outside every wave
 * (blueprints, shared files, the plan itself) and inside the waves in `shipped`, and the files the
 * branch holds (`current`, what it publishes now) inside the other waves. Held-back folders keep
 * their bytes, so their Kptfiles keep locking the blueprint revision they were published with;
 * only the new files keep their revision bindings, to be locked to the new revision.
 *
 * A cluster new in a held wave gets nothing until its wave is promoted; a folder no wave of the
 * new plan governs (a cluster removed from the fleet) follows the new tree at once.
 */
export function composeWaveTree(next: RepoTree, current: ReadonlyMap<string, Buffer>, plan: RolloutPlan, shipped: ReadonlySet<number>): RepoTree {
  const waveOf = waveIndexer(plan);
  const out = new RepoTree();
  for (const [path, content] of next.entries()) {
    const wave = waveOf(path);
    if (wave === undefined || shipped.has(wave)) out.addFile(path, content);
  }
  for (const [path, content] of [...current].sort(([a], [b]) => compareStrings(a, b))) {
    const wave = waveOf(path);
    if (wave !== undefined && !shipped.has(wave)) out.addFile(path, content);
  }
  for (const binding of next.revisionBindings()) {
    const wave = waveOf(binding.path);
    if ((wave === undefined || shipped.has(wave)) && out.has(binding.path)) out.bindRevision(binding);
  }
  return out;
}

/** The paths of `files` that lie in the waves of `waves` (by index). */
export function pathsInWaves(files: Iterable<string>, plan: RolloutPlan, waves: ReadonlySet<number>): string[] {
  const waveOf = waveIndexer(plan);
  const result: string[] = [];
  for (const path of files) {
    const wave = waveOf(path);
    if (wave !== undefined && waves.has(wave)) result.push(path);
  }
  return result.sort();
}
