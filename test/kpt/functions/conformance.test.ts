import { Document } from 'yaml';
import {
  ConformanceCase, discoverCases, expectedFiles, failureIsAcceptable, fixtureRoot, loadConfig, loadItems, readExpected, yamlData,
} from './fixtures';
import { findKrmFunction, FunctionOutput, KrmFunctionError } from '../../../src/kpt/functions';
import { stringifyYamlItems } from '../../../src/kpt/resource-list';

const root = fixtureRoot();
const cases = discoverCases(root);

describe(`kpt function conformance, in-process (${root})`, () => {
  if (cases.length === 0) {
    throw new Error(`no conformance cases found under ${root}: expected <function>/<case>/case.json folders (set NEPHORAN_KPT_FN_FIXTURES to another fixture folder)`);
  }

  test.each(cases.map(c => [c.id, c] as const))('%s', (_, c) => {
    const fn = findKrmFunction(c.functionName);
    if (!fn) throw new Error(`${c.id}: no implementation of "${c.functionName}"`);
    const { items, counts } = loadItems(c);
    const config = loadConfig(c);
    const itemsBefore = items.map(d => d.toString());
    const configBefore = config.toString();

    let output: FunctionOutput | undefined;
    let failure: unknown;
    try {
      output = fn.run(items, config);
    } catch (err) {
      failure = err;
    }

    // Whatever happened, the input documents are untouched.
    expect(items.map(d => d.toString())).toEqual(itemsBefore);
    expect(config.toString()).toEqual(configBefore);

    if (failure !== undefined && !(failure instanceof KrmFunctionError)) throw failure;
    if (c.expectedError !== undefined) {
      expect(failure).toBeInstanceOf(KrmFunctionError);
      expect((failure as KrmFunctionError).results.some(r => r.severity === 'error')).toBe(true);
      return;
    }
    if (failure) {
      if (!failureIsAcceptable(c)) throw failure;
      return;
    }
    expectFilesMatch(c, output!.items, counts);
  });
});

function expectFilesMatch(c: ConformanceCase, items: Document[], counts: number[]): void {
  expect(items).toHaveLength(counts.reduce((a, b) => a + b, 0));
  expect(expectedFiles(c)).toEqual(c.inputFiles);
  let next = 0;
  c.inputFiles.forEach((file, i) => {
    const written = stringifyYamlItems(items.slice(next, next + counts[i]));
    next += counts[i];
    expect({ file, documents: yamlData(written) }).toStrictEqual({ file, documents: yamlData(readExpected(c, file)) });
  });
}
