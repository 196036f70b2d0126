import { GitOpsRepository, SynthError } from '../../src/repo';

/** A token-shaped secret: tests assert it never appears in output or messages. */
export const TOKEN = 'glpat-Zx9Qw8Er7Ty6Ui5Op4As';

/** The SynthError a synth of `repo` throws; fails when synth succeeds. */
export function synthError(repo: GitOpsRepository): SynthError {
  try {
    repo.synthTrees();
  } catch (err) {
    if (err instanceof SynthError) return err;
    throw err;
  }
  throw new Error('expected synth to fail');
}
