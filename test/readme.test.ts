import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { GitOpsRepository, readRepoSetFromFolder, SynthError, writeRepoSetToFolder } from '../src';
import { PROJECT_ROOT, tmpDir } from './support/tmp';

/**
 * Every ```ts example in README.md is a complete program against the public API. Each one is
 * type-checked, then run with `nephoran-gitops` resolved to src/, and must synthesize.
 */
const README = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
const EXAMPLES = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({
  index: i + 1,
  code: m[1],
  expectedProblems: expectedSynthFailure(README.slice(m.index! + m[0].length)),
}));

/**
 * An example whose next fenced block is a `console` block showing `synth failed with N problems:`
 * demonstrates a failed synth: it must fail with exactly the lines shown there.
 */
function expectedSynthFailure(after: string): string[] | undefined {
  const next = /```(\w*)\n([\s\S]*?)```/.exec(after);
  if (!next || next[1] !== 'console') return undefined;
  const lines = next[2].split('\n');
  const start = lines.findIndex(l => /^synth failed with \d+ problems?:$/.test(l));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('  '));
  return lines.slice(start, end < 0 ? undefined : end);
}

function heading(offsetOf: string): string {
  const before = README.slice(0, README.indexOf(offsetOf));
  const headings = [...before.matchAll(/^#+ (.*)$/gm)];
  return headings.length ? headings[headings.length - 1][1] : 'top';
}

test('README has runnable examples, one of them a failed synth with its problems listed', () => {
  expect(EXAMPLES.length).toBeGreaterThan(0);
  expect(EXAMPLES.filter(e => e.expectedProblems).map(e => e.expectedProblems!.length)).toEqual([12]);
});

// Examples are written inside the project so that their imports resolve from its node_modules.
const EXAMPLE_DIR = path.join(PROJECT_ROOT, 'test/.readme-examples');
const files = new Map<number, string>();
let diagnosticsByFile = new Map<string, string[]>();

beforeAll(() => {
  fs.rmSync(EXAMPLE_DIR, { recursive: true, force: true });
  fs.mkdirSync(EXAMPLE_DIR, { recursive: true });
  for (const example of EXAMPLES) {
    const file = path.join(EXAMPLE_DIR, `example-${example.index}.ts`);
    fs.writeFileSync(file, example.code.replace(/from 'nephoran-gitops'/g, "from '../../src'"));
    files.set(example.index, file);
  }
  // One program for all examples: type-checking the library once, not once per example.
  const program = ts.createProgram([...files.values()], {
    strict: true,
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  });
  diagnosticsByFile = new Map([...files.values()].map(f => [f, [] as string[]]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const list = d.file && diagnosticsByFile.get(d.file.fileName);
    if (list) list.push(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
});

afterAll(() => fs.rmSync(EXAMPLE_DIR, { recursive: true, force: true }));

describe.each(EXAMPLES.map(e => [`example ${e.index} (${heading(e.code)})`, e.index]))('README %s', (_name, index) => {
  test('type-checks and synthesizes (or fails with the problems the README shows)', () => {
    const file = files.get(index as number)!;
    expect(diagnosticsByFile.get(file)).toEqual([]);
    const expectedProblems = EXAMPLES[(index as number) - 1].expectedProblems;
    if (expectedProblems) {
      let failure: unknown;
      try {
        // The example is a program written at run time; requiring it runs it.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(file);
      } catch (err) {
        failure = err;
      }
      expect(failure).toBeInstanceOf(SynthError);
      expect((failure as SynthError).message.split('\n')).toEqual(expectedProblems);
      return;
    }

    // synth() is redirected into a temporary folder; a failed synth throws its SynthError here.
    const out = path.join(tmpDir('nephoran-readme-'), 'out');
    const synthesized: GitOpsRepository[] = [];
    const originalSynth = GitOpsRepository.prototype.synth;
    GitOpsRepository.prototype.synth = function synthIntoTemp(this: GitOpsRepository) {
      synthesized.push(this);
      writeRepoSetToFolder(this.synthTrees().repositories, out);
    };
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(file);
    } finally {
      GitOpsRepository.prototype.synth = originalSynth;
    }
    expect(synthesized.length).toBeGreaterThan(0);
    expect(readRepoSetFromFolder(out).names.length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(out, '.nephoran/owned-paths')) || fs.existsSync(path.join(out, '.nephoran/repositories'))).toBe(true);
  });
});

/**
 * Every ```yaml example of NetworkIntent documents is a complete intent file: `nephoran synth
 * --intent` must synthesize it, and the problems the README shows for it are the ones printed.
 */
const INTENT_EXAMPLES = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)].map(m => m[1]).filter(text => text.includes('apiVersion: nephoran.io/v1alpha1'));
const BIN = path.join(PROJECT_ROOT, 'bin/nephoran');

function synthIntent(dir: string, text: string) {
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);
  return spawnSync(BIN, ['synth', '--intent', 'fleet.yaml', '--out', 'dist'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: '' } });
}

describe('README NetworkIntent example', () => {
  test('there is one', () => {
    expect(INTENT_EXAMPLES.length).toBeGreaterThan(0);
  });

  test.each(INTENT_EXAMPLES.map((text, i) => [i + 1, text]))('intent example %d synthesizes with nephoran synth --intent', (_i, text) => {
    const dir = tmpDir('nephoran-readme-intent-');
    const result = synthIntent(dir, text as string);
    expect(result.stdout).toMatch(/^dist: wrote \d+ files\n$/);
    expect(result.status).toBe(0);
    expect(readRepoSetFromFolder(path.join(dir, 'dist')).names.length).toBeGreaterThan(0);
  });

  test('the problems it shows are the ones nephoran prints for the edits it names', () => {
    const shown = /(`environment: lab` on `lab-01` and\n`maxSessions: many` in the UPF's capacity)[\s\S]*?```text\n([\s\S]*?)```/.exec(README);
    expect(shown).not.toBeNull();
    const example = INTENT_EXAMPLES[0];
    const edited = example
      .replace('name: lab-01\nspec: { environment: development,', 'name: lab-01\nspec: { environment: lab,')
      .replace('capacity: { maxUplinkThroughput: 1G', 'capacity: { maxSessions: many, maxUplinkThroughput: 1G');
    expect(edited.split('\n').filter((line, i) => line !== example.split('\n')[i])).toHaveLength(2);
    const result = synthIntent(tmpDir('nephoran-readme-intent-'), edited);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(shown![2]);
  });
});
