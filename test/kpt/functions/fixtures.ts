import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { Document, parseAllDocuments } from 'yaml';
import { parseYamlItems } from '../../../src/kpt/resource-list';

/** The checkout this test runs in (test/kpt/functions -> project root). */
export const PROJECT_ROOT = path.resolve(__dirname, '../../..');

/** Fixture folder: NEPHORAN_KPT_FN_FIXTURES, else the cases kept in test/fixtures/kpt-fn. */
export function fixtureRoot(): string {
  const override = process.env.NEPHORAN_KPT_FN_FIXTURES;
  return override ? path.resolve(override) : path.resolve(PROJECT_ROOT, 'test/fixtures/kpt-fn');
}

export interface ReportedResult { readonly message: string; readonly severity?: string }

export interface ConformanceCase {
  /** `<function>/<case>`, relative to the fixture root. */
  readonly id: string;
  readonly functionName: string;
  readonly dir: string;
  readonly configPath: string;
  /** input/ file names in the order their documents form the item list. */
  readonly inputFiles: string[];
  readonly expectedDir?: string;
  readonly expectedError?: string;
  readonly reportedResults: ReportedResult[];
}

/** Every folder under `root` that holds a case.json, in path order. */
export function discoverCases(root: string): ConformanceCase[] {
  if (!fs.existsSync(root)) return [];
  const found: ConformanceCase[] = [];
  const walk = (dir: string) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (entries.some(e => e.isFile() && e.name === 'case.json')) {
      found.push(readCase(root, dir));
      return;
    }
    for (const entry of entries) if (entry.isDirectory()) walk(path.join(dir, entry.name));
  };
  walk(root);
  return found;
}

function readCase(root: string, dir: string): ConformanceCase {
  const id = path.relative(root, dir);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8'));
  const functionName: string = meta.function ?? path.basename(path.dirname(dir));
  const expectedDir = path.join(dir, 'expected');
  const errorFile = path.join(dir, 'expected-error.txt');
  const hasExpected = fs.existsSync(expectedDir);
  const hasError = fs.existsSync(errorFile);
  if (hasExpected === hasError) throw new Error(`${id}: a case needs exactly one of expected/ and expected-error.txt`);
  const inputDir = path.join(dir, 'input');
  if (!fs.existsSync(inputDir)) throw new Error(`${id}: input/ is missing`);
  return {
    id,
    functionName,
    dir,
    configPath: path.join(dir, 'config.yaml'),
    inputFiles: fs.readdirSync(inputDir).filter(f => fs.statSync(path.join(inputDir, f)).isFile()).sort(),
    expectedDir: hasExpected ? expectedDir : undefined,
    expectedError: hasError ? fs.readFileSync(errorFile, 'utf8').trim() : undefined,
    reportedResults: meta.reportedResults ?? [],
  };
}

export function readInputFile(c: ConformanceCase, file: string): string {
  return fs.readFileSync(path.join(c.dir, 'input', file), 'utf8');
}

/** The items of a case, with how many documents each input file contributed. */
export function loadItems(c: ConformanceCase): { items: Document[]; counts: number[] } {
  const perFile = c.inputFiles.map(file => parseYamlItems(readInputFile(c, file)));
  return { items: perFile.flat(), counts: perFile.map(docs => docs.length) };
}

/** The functionConfig; `{}` means kpt passes an empty one. */
export function loadConfig(c: ConformanceCase): Document {
  const docs = parseYamlItems(fs.readFileSync(c.configPath, 'utf8'));
  if (docs.length !== 1) throw new Error(`${c.id}: config.yaml must hold one document, found ${docs.length}`);
  return docs[0];
}

export function isEmptyConfig(c: ConformanceCase): boolean {
  const config = loadConfig(c).toJS();
  return typeof config === 'object' && config !== null && Object.keys(config).length === 0;
}

/** A YAML stream as data, one entry per document: what the fixture README compares. */
export function yamlData(text: string): unknown[] {
  return parseAllDocuments(text).filter(d => d.contents !== null).map(d => {
    if (d.errors.length) throw new Error(d.errors[0].message);
    return d.toJS();
  });
}

export function expectedFiles(c: ConformanceCase): string[] {
  return fs.readdirSync(c.expectedDir!).sort();
}

export function readExpected(c: ConformanceCase, file: string): string {
  return fs.readFileSync(path.join(c.expectedDir!, file), 'utf8');
}

/**
 * The README allows an implementation to fail where upstream reported an error result but
 * still exited 0, provided nothing changes: the case records an error-severity result and its
 * expected/ equals input/.
 */
export function failureIsAcceptable(c: ConformanceCase): boolean {
  if (!c.expectedDir || !c.reportedResults.some(r => r.severity === 'error')) return false;
  const names = expectedFiles(c);
  if (names.join('\n') !== c.inputFiles.join('\n')) return false;
  return names.every(f => isDeepStrictEqual(yamlData(readExpected(c, f)), yamlData(readInputFile(c, f))));
}
