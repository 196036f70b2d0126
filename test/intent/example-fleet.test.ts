import * as path from 'path';
import { declareExampleFleet } from '../../clusters/example-fleet';
import { GitOpsRepository, synthesizeIntent } from '../../src';
import { PROJECT_ROOT } from '../support/tmp';

/** The example fleet declared twice: by the program in clusters/ and by the intent files beside it. */
const INTENT_FOLDER = path.join(PROJECT_ROOT, 'clusters/intent');

test('the intent files of the example fleet synthesize to the same bytes as the program, every file', () => {
  const program = new GitOpsRepository();
  declareExampleFleet(program);
  const fromProgram = program.synthTrees();
  const fromIntent = synthesizeIntent(INTENT_FOLDER);

  expect(fromIntent.repositories.names).toEqual(fromProgram.repositories.names);
  for (const name of fromProgram.repositories.names) {
    const expected = fromProgram.repositories.tree(name);
    const actual = fromIntent.repositories.tree(name);
    expect(actual.paths()).toEqual(expected.paths());
    const differing = expected.paths().filter(p => !Buffer.from(actual.get(p)!).equals(Buffer.from(expected.get(p)!)));
    expect(differing).toEqual([]);
    expect(actual.equals(expected)).toBe(true);
  }
  expect(fromProgram.repositories.tree(fromProgram.repositories.primary).size).toBeGreaterThan(100);
  // The same warnings too (the image-digest rule warns on tags in staging and production).
  const withoutOrigin = (message: string) => message.replace(/ \([A-Za-z]+ "[^"]+", construct [^)]+\)$/, '');
  expect(fromIntent.warnings.map(w => withoutOrigin(w.message)).sort()).toEqual(fromProgram.warnings.map(w => w.message).sort());
  expect(fromProgram.warnings.length).toBeGreaterThan(0);
}, 120_000); // two syntheses of the whole example fleet
