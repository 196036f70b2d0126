import * as fs from 'fs';
import * as path from 'path';
import * as plus from 'cdk8s-plus-28';
import * as ts from 'typescript';
import * as network from '../../src/network';
import { GitOpsRepository } from '../../src/repo';

const SOURCE_DIR = path.join(__dirname, '../../src/network');

/** The `@example` blocks of the doc comments in one source file, as code. */
function examplesOf(file: string): string[] {
  const lines = fs.readFileSync(path.join(SOURCE_DIR, file), 'utf8').split('\n');
  const examples: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s*@example\s*$/.test(lines[i])) continue;
    const code: string[] = [];
    for (i++; i < lines.length && !/^\s*\*\s*@\w/.test(lines[i]) && !/^\s*\*\//.test(lines[i]); i++) {
      code.push(lines[i].replace(/^\s*\* ?/, ''));
    }
    examples.push(code.join('\n'));
  }
  return examples;
}

/** Runs an example with the library in scope and returns the repository it built. */
function runExample(code: string): GitOpsRepository {
  const js = ts.transpileModule(`${code}\nreturn repo;`, { compilerOptions: { module: ts.ModuleKind.None, target: ts.ScriptTarget.ES2022 } }).outputText;
  const scope: Record<string, unknown> = { ...network, GitOpsRepository, Protocol: plus.Protocol };
  return new Function(...Object.keys(scope), js)(...Object.values(scope));
}

const files = fs.readdirSync(SOURCE_DIR).filter(f => f.endsWith('.ts')).sort();
const examples = files.flatMap(file => examplesOf(file).map((code, i) => [`${file} #${i + 1}`, code] as const));

test('every public construct and type of the network module documents an example', () => {
  expect(examples.map(([name]) => name.split(' ')[0])).toEqual(expect.arrayContaining([
    'capacity.ts', 'interfaces.ts', 'network-function.ts', 'network-slice.ts', 'nf-kind.ts', 'qos.ts', 'snssai.ts',
  ]));
});

test.each(examples)('the example in %s synthesizes a valid repository', (_name, code) => {
  const repo = runExample(code);
  expect(repo).toBeInstanceOf(GitOpsRepository);
  const { tree, warnings } = repo.synthTree();
  expect(warnings).toEqual([]);
  expect(tree.paths().some(p => p.startsWith('packages/'))).toBe(true);
});
