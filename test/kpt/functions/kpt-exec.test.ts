import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ConformanceCase, discoverCases, expectedFiles, failureIsAcceptable, fixtureRoot, isEmptyConfig, PROJECT_ROOT, readExpected,
  readInputFile, yamlData,
} from './fixtures';
import { onPath } from '../../support/tmp';

/**
 * The conformance cases again, through the real kpt: `kpt fn eval DIR --exec "bin/nephoran fn
 * NAME" --fn-config config.yaml`, which exercises the ResourceList protocol, kpt's own
 * handling of comments, and the CLI.
 */
const root = fixtureRoot();
const cases = discoverCases(root);
const CLI = path.join(PROJECT_ROOT, 'bin', 'nephoran');
const COMPILED_MAIN = path.join(PROJECT_ROOT, 'lib', 'cli', 'main.js');

// Decided without running kpt: nothing is spawned while jest collects the tests.
const kptAvailable = onPath('kpt');
if (!kptAvailable) {
  console.log('kpt fn eval conformance skipped: `kpt` is not on PATH (install kpt 1.0 to run these cases through it)');
}

type Files = Record<string, string>;

function writePackage(c: ConformanceCase): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpt-fn-conformance-'));
  // Contents only: fixture files may be read-only, and kpt writes the package back.
  for (const file of c.inputFiles) fs.writeFileSync(path.join(dir, file), readInputFile(c, file));
  return dir;
}

function readPackage(dir: string): Files {
  const files: Files = {};
  for (const file of fs.readdirSync(dir).sort()) files[file] = fs.readFileSync(path.join(dir, file), 'utf8');
  return files;
}

function kptEval(c: ConformanceCase, dir: string, exec: string): { status: number | null; output: string } {
  // kpt refuses a config file without apiVersion; with no --fn-config it passes an empty config.
  const config = isEmptyConfig(c) ? [] : ['--fn-config', c.configPath];
  const result = spawnSync('kpt', ['fn', 'eval', dir, '--exec', exec, ...config], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * Some unit-test fixtures are not valid packages for kpt (e.g. `metadata.name: ""`); kpt
 * rejects them before any function runs. Found out by running a function that changes nothing.
 */
function kptRejection(c: ConformanceCase): string | undefined {
  const dir = writePackage(c);
  try {
    const passThrough = kptEval(c, dir, 'cat');
    if (passThrough.status === 0) return undefined;
    return passThrough.output.split('\n').find(line => line.startsWith('error:')) ?? passThrough.output.trim();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

(kptAvailable ? describe : describe.skip)(`kpt function conformance through kpt fn eval --exec (${root})`, () => {
  if (cases.length === 0) throw new Error(`no conformance cases found under ${root}`);

  beforeAll(() => {
    if (!fs.existsSync(COMPILED_MAIN)) {
      throw new Error(`${COMPILED_MAIN} is missing: bin/nephoran runs the compiled CLI, so compile first (npx tsc, or npm test, which compiles before jest)`);
    }
  });

  for (const c of cases) {
    const rejection = kptRejection(c);
    if (rejection) {
      test.skip(`${c.id} (kpt rejects the input package: ${rejection})`, () => undefined);
      continue;
    }
    test(c.id, () => {
      const dir = writePackage(c);
      try {
        const before = readPackage(dir);
        const run = kptEval(c, dir, `${CLI} fn ${c.functionName}`);
        const after = readPackage(dir);

        if (c.expectedError !== undefined || (run.status !== 0 && failureIsAcceptable(c))) {
          expect(run.status).not.toBe(0);
          expect(run.output).toMatch(/\[error\]/);
          expect(after).toEqual(before);
          return;
        }
        if (run.status !== 0) throw new Error(`kpt fn eval failed:\n${run.output}`);
        expect(Object.keys(after)).toEqual(expectedFiles(c));
        for (const file of expectedFiles(c)) {
          expect({ file, documents: yamlData(after[file]) }).toStrictEqual({ file, documents: yamlData(readExpected(c, file)) });
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
