import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { GitOpsRepository, readRepoSetFromFolder, RepoSet, writeRepoSetToFolder } from '../../src/repo';
import { PROJECT_ROOT } from '../support/tmp';

/**
 * Every ```ts example of docs/LAYOUTS.md is a complete program importing from
 * 'nephoran-gitops': each is type-checked, run with the package resolved to src/, and must
 * synthesize the repositories its layout promises.
 */
const DOC = fs.readFileSync(path.join(PROJECT_ROOT, 'docs/LAYOUTS.md'), 'utf8');
const EXAMPLES = [...DOC.matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({ index: i + 1, code: m[1] }));
const SRC = path.join(PROJECT_ROOT, 'src');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nephoran-layout-examples-'));
const files = EXAMPLES.map(e => {
  const file = path.join(dir, `example-${e.index}.ts`);
  fs.writeFileSync(file, e.code.replace(/from 'nephoran-gitops'/g, `from ${JSON.stringify(SRC)}`));
  return file;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('one example per layout and mode', () => {
  expect(EXAMPLES).toHaveLength(3);
  expect(EXAMPLES.map(e => /FleetLayout\.repositoryPerCluster/.test(e.code))).toEqual([false, true, true]);
  expect(EXAMPLES.map(e => /DeliveryMode\.porch/.test(e.code))).toEqual([false, false, true]);
});

test('the examples type-check against the library', () => {
  const program = ts.createProgram(files, {
    strict: true,
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    resolveJsonModule: true,
    types: ['node'],
  });
  const messages = ts.getPreEmitDiagnostics(program).filter(d => d.file && files.includes(d.file.fileName)).map(d => {
    const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${path.basename(d.file!.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  expect(messages).toEqual([]);
});

const EXPECTED: Record<number, (set: RepoSet) => void> = {
  1: set => {
    expect(set.isSingle).toBe(true);
    const tree = set.tree(set.primary);
    expect(tree.has('deployments/production/edge-01/upf/Kptfile')).toBe(true);
    // Operator model: the NFDeployment and its attachments, no Deployment of ours.
    expect(tree.has('deployments/production/edge-01/upf/networkattachmentdefinition_upf-n3.yaml')).toBe(true);
    expect(tree.pathsUnder('deployments/production/edge-01/upf').some(p => p.includes('/deployment_'))).toBe(false);
  },
  2: set => {
    expect(set.names).toEqual(['mgmt', 'edge-01', 'edge-02']);
    expect(set.tree('edge-01').has('nrf/Kptfile')).toBe(true);
    expect(set.tree('mgmt').has('clusters/edge-01/rootsync_edge-01.yaml')).toBe(true);
  },
  3: set => {
    expect(set.names).toEqual(['mgmt', 'edge-01', 'edge-02', 'edge-03', 'lab-01']);
    const mgmt = set.tree('mgmt');
    expect(mgmt.paths().filter(p => p.startsWith('packages/variants/') && p.endsWith('/Kptfile'))).toEqual([
      'packages/variants/nrf-edge/lab-01/Kptfile', 'packages/variants/nrf-edge/staging/Kptfile',
    ]);
    expect(mgmt.paths().filter(p => p.startsWith('porch/packagevariantset_'))).toEqual([
      'porch/packagevariantset_nrf-edge-lab-01.yaml', 'porch/packagevariantset_nrf-edge-staging.yaml',
    ]);
    expect(mgmt.paths().filter(p => p.startsWith('porch/repository_'))).toHaveLength(5);
  },
};

describe.each(EXAMPLES.map(e => [e.index]))('example %i', index => {
  test('runs and writes the repositories of its layout', () => {
    // synth() is redirected into a temporary folder; a failed synth throws its SynthError here.
    const out = path.join(dir, `out-${index}`);
    const synthesized: GitOpsRepository[] = [];
    const originalSynth = GitOpsRepository.prototype.synth;
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    GitOpsRepository.prototype.synth = function synthIntoTemp(this: GitOpsRepository) {
      synthesized.push(this);
      writeRepoSetToFolder(this.synthTrees().repositories, out);
    };
    try {
      // The example is a program written at run time; requiring it runs it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(files[index - 1]);
    } finally {
      GitOpsRepository.prototype.synth = originalSynth;
      log.mockRestore();
    }
    expect(synthesized).toHaveLength(1);
    const written = readRepoSetFromFolder(out);
    expect(written.equals(synthesized[0].synthTrees().repositories)).toBe(true);
    EXPECTED[index](written);
  });
});
