import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const PROJECT_ROOT = path.resolve(__dirname, '../..');
// Under node_modules so the compiled code resolves ajv, cdk8s and kubernetes-models as an installed package would.
const OUT_DIR = path.join(PROJECT_ROOT, 'node_modules/.cache/nephoran-apis-lib-test');

function apiSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return apiSources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('src/apis compiled with the project tsconfig', () => {
  let emitted: string[] = [];
  let diagnostics: readonly ts.Diagnostic[] = [];

  beforeAll(() => {
    const config = ts.getParsedCommandLineOfConfigFile(path.join(PROJECT_ROOT, 'tsconfig.json'), { outDir: OUT_DIR }, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: d => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
    })!;
    const program = ts.createProgram(apiSources(path.join(PROJECT_ROOT, 'src/apis')), { ...config.options, inlineSourceMap: false, inlineSources: false, declaration: false });
    diagnostics = ts.getPreEmitDiagnostics(program);
    fs.rmSync(OUT_DIR, { recursive: true, force: true });
    program.emit();
    emitted = fs.existsSync(OUT_DIR) ? listFiles(OUT_DIR) : [];
  }, 120_000);

  afterAll(() => fs.rmSync(OUT_DIR, { recursive: true, force: true }));

  test('compiles without errors under the strict options', () => {
    expect(diagnostics.map(d => ts.formatDiagnostic(d, { getCanonicalFileName: f => f, getCurrentDirectory: () => PROJECT_ROOT, getNewLine: () => '\n' }))).toEqual([]);
  });

  test('emits the bundled schemas beside the code that loads them', () => {
    const schemas = fs.readdirSync(path.join(PROJECT_ROOT, 'src/apis/validation/schemas')).map(f => `apis/validation/schemas/${f}`);
    expect(emitted).toEqual(expect.arrayContaining(schemas));
  });

  test('the compiled validation finds its schemas at runtime', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the output compiled by the test above, at a path known at run time
    const lib = require(path.join(OUT_DIR, 'apis/index.js')) as typeof import('../../src/apis');
    const violations = lib.validateObject({ apiVersion: 'configsync.gke.io/v1beta1', kind: 'RootSync', metadata: { name: 'x' }, spec: { sync: {} } });
    expect(violations).toEqual([{ field: 'spec.sync', message: expect.stringMatching(/^unknown field "sync"/) }]);
    expect(lib.validateKptfile({ apiVersion: 'kpt.dev/v1', kind: 'Kptfile', metadata: { name: 'p' } })).toEqual([]);
    expect(lib.validateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, dta: {} })).toHaveLength(1);
  });
});

function listFiles(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
  });
}
