import { loadIntent } from './load-intent';
import { GitOpsRepository, RepoSetSynthesis } from '../repo/gitops-repository';
import { SynthError } from '../repo/synth-error';

/**
 * Synthesizes the repositories NetworkIntent files declare (a file or a folder of them), in
 * memory, as `nephoran synth --intent` does. Throws a SynthError listing every problem: those of
 * the files, and those synth finds in what they declare, each at the file, line and column of
 * the document that declared it.
 */
export function synthesizeIntent(target: string): RepoSetSynthesis {
  const repo = new GitOpsRepository();
  const loaded = loadIntent(repo, target);
  let synthesis: RepoSetSynthesis;
  try {
    synthesis = repo.synthTrees();
  } catch (err) {
    if (err instanceof SynthError) throw new SynthError(loaded.locateProblems(err.problems));
    throw err;
  }
  return { repositories: synthesis.repositories, warnings: loaded.locateProblems(synthesis.warnings) };
}
