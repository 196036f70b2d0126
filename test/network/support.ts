import { parse } from 'yaml';
import { RepoTree, SynthError } from '../../src/repo';

/** The parsed object in one file of the tree; fails the test when the file is missing. */
export function objectAt(tree: RepoTree, path: string): Record<string, any> {
  const text = tree.getText(path);
  if (text === undefined) throw new Error(`no file "${path}"; files are:\n${tree.paths().join('\n')}`);
  return parse(text);
}

/** File names (not paths) of one package folder. */
export function filesOf(tree: RepoTree, folder: string): string[] {
  return tree.pathsUnder(folder).map(p => p.slice(folder.length + 1));
}

/** Runs `fn`, which must throw a SynthError, and returns its problems as `[path] field: message`. */
export function synthProblems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof SynthError)) throw err;
    return err.problems.map(p => `[${p.path}] ${p.field}: ${p.message}`);
  }
  throw new Error('expected synth to fail with a SynthError');
}
